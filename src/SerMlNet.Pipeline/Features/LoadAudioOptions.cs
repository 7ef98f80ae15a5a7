using SerMlNet.Audio;

namespace SerMlNet.Pipeline.Features;

/// <summary>The saved <c>loadAudio</c> stage of a <see cref="FittedFrontEnd"/>: decode, then resample.</summary>
internal sealed class LoadAudioOptions
{
    /// <summary>Rate every clip is resampled to, in Hz; default 16000.</summary>
    public int SampleRate { get; init; } = 16000;

    /// <summary>Checks every field.</summary>
    /// <exception cref="OptionsValidationException">A field is out of range.</exception>
    public void Validate()
    {
        if (SampleRate is < 1000 or > 384000)
        {
            throw new OptionsValidationException(nameof(LoadAudioOptions), [$"SampleRate must be in [1000, 384000] Hz (was {SampleRate})"]);
        }
    }
}
