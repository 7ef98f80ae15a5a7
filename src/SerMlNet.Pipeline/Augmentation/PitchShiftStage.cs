using SerMlNet.Audio;
using SerMlNet.Audio.Effects;
using SerMlNet.Pipeline.Composition;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>
/// Shifts the pitch by a number of semitones drawn uniformly, keeping the duration (<c>librosa.effects.pitch_shift</c>:
/// phase-vocoder time stretch by 2^(−n/12), then resampling back). Acts only in augmenting contexts. Thread-safe.
/// </summary>
/// <param name="options">The options.</param>
public sealed class PitchShiftStage(PitchShiftOptions options) : StatelessStage<PitchShiftOptions>(options, o => o.Validate())
{
    /// <summary>Registry name.</summary>
    public const string TypeName = "pitchShift";

    /// <inheritdoc />
    public override string StageType => TypeName;

    /// <inheritdoc />
    public override StageTraits Traits => StageTraits.Augmentation;

    /// <inheritdoc />
    public override SampleSchema GetOutputSchema(SampleSchema input)
    {
        input.Require(SampleKind.Audio, TypeName);
        return input;
    }

    /// <inheritdoc />
    public override Sample Transform(Sample input, TransformContext context)
    {
        AudioSignal audio = input.RequireAudio(TypeName);
        if (!context.Augment || !context.Random.NextBool(Options.Probability))
        {
            return input;
        }
        double semitones = context.Random.NextDouble(Options.MinSemitones, Options.MaxSemitones);
        return input.With(new AudioSignal(PitchShift.Apply(audio.Samples, audio.SampleRate, semitones), audio.SampleRate));
    }
}
