using SerMlNet.Audio.Spectral;

namespace SerMlNet.Audio.Effects;

/// <summary>
/// Time stretching without pitch change, as <c>librosa.effects.time_stretch</c>: STFT, phase vocoder by
/// <c>rate</c>, inverse STFT to <c>round(length / rate)</c> samples. Defaults follow librosa: NFft 2048, hop 512
/// (NFft / 4), centred with zero padding. Unlike librosa, which always advances phases for a hop of NFft / 4, the
/// phase vocoder here uses the STFT's own hop. Stateless and thread-safe.
/// </summary>
public static class TimeStretch
{
    /// <summary>The STFT parameters used when none are given: NFft 2048, HopLength 512, centred, constant padding.</summary>
    public static StftOptions DefaultStft { get; } = new() { NFft = 2048, HopLength = 512 };

    /// <summary>Stretches a signal in time.</summary>
    /// <param name="samples">Mono samples.</param>
    /// <param name="rate">Speed-up factor: 2 plays twice as fast (half as long), 0.5 half as fast. Positive.</param>
    /// <param name="stft">STFT parameters; null for <see cref="DefaultStft"/>.</param>
    /// <returns><c>round(samples.Length / rate)</c> samples.</returns>
    public static float[] Apply(ReadOnlySpan<float> samples, double rate, StftOptions? stft = null)
    {
        if (!(rate > 0) || double.IsInfinity(rate))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "must be positive and finite");
        }
        var transform = new Stft(stft ?? DefaultStft);
        int length = (int)Math.Round(samples.Length / rate, MidpointRounding.ToEven);
        if (samples.IsEmpty)
        {
            return [];
        }
        ComplexSpectrogram spectrum = transform.Forward(samples);
        ComplexSpectrogram stretched = PhaseVocoder.Stretch(spectrum, rate, transform.HopLength);
        return transform.Inverse(stretched, length);
    }
}
