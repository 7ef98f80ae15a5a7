using SerMlNet.Audio;
using SerMlNet.Audio.Trimming;
using SerMlNet.Pipeline.Composition;

namespace SerMlNet.Pipeline.Stages;

/// <summary>
/// Cuts leading and trailing silence with <c>librosa.effects.trim</c> semantics (frames more than
/// <see cref="TrimOptions.TopDb"/> below the loudest frame are silence). Thread-safe.
/// </summary>
/// <param name="options">The options.</param>
public sealed class TrimStage(TrimOptions options) : StatelessStage<TrimOptions>(options, o => o.Validate(), PipelineJsonContext.Default.TrimOptions)
{
    /// <summary>Registry name.</summary>
    public const string TypeName = "trim";

    /// <inheritdoc />
    public override string StageType => TypeName;

    /// <inheritdoc />
    public override SampleSchema GetOutputSchema(SampleSchema input)
    {
        input.Require(SampleKind.Audio, TypeName);
        return input;
    }

    /// <inheritdoc />
    public override Sample Transform(Sample input, TransformContext context) => Trim(input, out _);

    /// <summary>Trims like <see cref="Transform"/> and says where the kept audio started.</summary>
    /// <param name="input">An audio sample.</param>
    /// <param name="start">Samples cut from the start (0 when nothing was cut or the clip is all silence).</param>
    /// <returns>The trimmed sample (the input itself when nothing was cut).</returns>
    public Sample Trim(Sample input, out int start)
    {
        AudioSignal audio = input.RequireAudio(TypeName);
        TrimInterval kept = SilenceTrimmer.FindInterval(audio.Samples, Options);
        start = kept.Start;
        if (kept.Start == 0 && kept.End == audio.Samples.Length)
        {
            return input;
        }
        return input.With(new AudioSignal(audio.Samples[kept.Start..kept.End], audio.SampleRate));
    }
}
