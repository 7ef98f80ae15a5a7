using SerMlNet.Audio;
using SerMlNet.Audio.Spectral;
using SerMlNet.Pipeline.Composition;

namespace SerMlNet.Pipeline.Stages;

/// <summary>
/// Log-Mel spectrogram in dB (<c>librosa.feature.melspectrogram</c> then <c>power_to_db(ref=np.max)</c>), shape
/// [NMels, frames]. The input rate must equal <see cref="LogMelOptions.SampleRate"/>. Thread-safe.
/// </summary>
/// <param name="options">The options.</param>
public sealed class LogMelStage(LogMelOptions options) : StatelessStage<LogMelOptions>(options, o => o.Validate(), PipelineJsonContext.Default.LogMelOptions)
{
    /// <summary>Registry name.</summary>
    public const string TypeName = "logMel";

    private readonly LogMelExtractor _extractor = new(options);

    /// <inheritdoc />
    public override string StageType => TypeName;

    /// <inheritdoc />
    public override SampleSchema GetOutputSchema(SampleSchema input)
    {
        input.Require(SampleKind.Audio, TypeName);
        if (input.SampleRate is int rate && rate != Options.SampleRate)
        {
            throw new SchemaMismatchException($"stage '{TypeName}' is set for {Options.SampleRate} Hz but receives {rate} Hz audio (load/resample to {Options.SampleRate} Hz first)");
        }
        return new SampleSchema(SampleKind.Features, Options.SampleRate, Options.NMels, null);
    }

    /// <inheritdoc />
    public override Sample Transform(Sample input, TransformContext context)
    {
        AudioSignal audio = input.RequireAudio(TypeName);
        if (audio.SampleRate != Options.SampleRate)
        {
            throw new SchemaMismatchException($"stage '{TypeName}' is set for {Options.SampleRate} Hz but receives {audio.SampleRate} Hz audio");
        }
        return input.With(_extractor.ComputeDb(audio.Samples));
    }
}
