using SerMlNet.Audio;
using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Wav;
using SerMlNet.Pipeline.Composition;

namespace SerMlNet.Pipeline.Stages;

/// <summary>
/// Decodes a clip's WAV file (any PCM/float format, channels averaged to mono) and resamples it to
/// <see cref="LoadAudioOptions.SampleRate"/>; a waveform given directly is only resampled. Thread-safe.
/// </summary>
/// <param name="options">The options.</param>
public sealed class LoadAudioStage(LoadAudioOptions options) : StatelessStage<LoadAudioOptions>(options, o => o.Validate(), PipelineJsonContext.Default.LoadAudioOptions)
{
    /// <summary>Registry name.</summary>
    public const string TypeName = "loadAudio";

    /// <inheritdoc />
    public override string StageType => TypeName;

    /// <inheritdoc />
    public override SampleSchema GetOutputSchema(SampleSchema input)
    {
        if (input.Kind == SampleKind.Features)
        {
            throw new SchemaMismatchException($"stage '{TypeName}' needs Source or Audio input but receives {input.Describe()}");
        }
        return new SampleSchema(SampleKind.Audio, Options.SampleRate);
    }

    /// <inheritdoc />
    /// <exception cref="WavFormatException">The clip's file is not a readable WAV file.</exception>
    public override Sample Transform(Sample input, TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        AudioSignal audio = input.Kind switch
        {
            SampleKind.Source => WavFile.Read(input.Clip!.Path),
            SampleKind.Audio => input.Audio!,
            _ => throw new SchemaMismatchException($"stage '{TypeName}' needs Source or Audio input but receives Features"),
        };
        if (audio.SampleRate == Options.SampleRate)
        {
            return input.Kind == SampleKind.Audio ? input : input.With(audio);
        }
        // Cheap to create: the filter tables are cached by Resampler per rate ratio.
        var resampler = new Resampler(audio.SampleRate, Options.SampleRate);
        return input.With(new AudioSignal(resampler.Process(audio.Samples), Options.SampleRate));
    }
}
