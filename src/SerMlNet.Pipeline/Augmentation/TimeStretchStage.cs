using SerMlNet.Audio;
using SerMlNet.Audio.Effects;
using SerMlNet.Pipeline.Composition;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>
/// Changes the tempo by a rate drawn uniformly, keeping the pitch (<c>librosa.effects.time_stretch</c>, phase
/// vocoder): rate &gt; 1 shortens the clip by 1/rate. Acts only in augmenting contexts. Thread-safe.
/// </summary>
/// <param name="options">The options.</param>
public sealed class TimeStretchStage(TimeStretchOptions options) : StatelessStage<TimeStretchOptions>(options, o => o.Validate())
{
    /// <summary>Registry name.</summary>
    public const string TypeName = "timeStretch";

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
        double rate = context.Random.NextDouble(Options.MinRate, Options.MaxRate);
        return input.With(new AudioSignal(TimeStretch.Apply(audio.Samples, rate), audio.SampleRate));
    }
}
