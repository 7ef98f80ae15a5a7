using System.Text.Json.Serialization.Metadata;
using SerMlNet.Audio;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>Options every augmentation has: how often it acts, and its own validation.</summary>
public interface IAugmentationOptions
{
    /// <summary>Chance in [0, 1] that a draw applies the augmentation.</summary>
    double Probability { get; }

    /// <summary>Checks every field.</summary>
    /// <exception cref="OptionsValidationException">A field is out of range.</exception>
    void Validate();
}

/// <summary>
/// Base of augmentations that change the waveform: inert unless the context augments, then applied with the options'
/// probability, every random choice drawn from the context so a (seed, clip, draw) triple is reproducible.
/// Thread-safe when the derived stage is.
/// </summary>
/// <typeparam name="TOptions">The stage's options.</typeparam>
/// <param name="options">The options; validated here.</param>
/// <param name="optionsJson">Serialization metadata of the options (see <see cref="StatelessStage{TOptions}"/>).</param>
public abstract class WaveformAugmentation<TOptions>(TOptions options, JsonTypeInfo<TOptions> optionsJson) : StatelessStage<TOptions>(options, o => o.Validate(), optionsJson)
    where TOptions : class, IAugmentationOptions
{
    /// <inheritdoc />
    public sealed override StageTraits Traits => StageTraits.Augmentation;

    /// <inheritdoc />
    public sealed override SampleSchema GetOutputSchema(SampleSchema input)
    {
        input.Require(SampleKind.Audio, StageType);
        return input;
    }

    /// <inheritdoc />
    public sealed override Sample Transform(Sample input, TransformContext context)
    {
        AudioSignal audio = input.RequireAudio(StageType);
        if (!context.Augment || !context.Random.NextBool(Options.Probability))
        {
            return input;
        }
        return input.With(Augment(audio, context.Random));
    }

    /// <summary>Applies the augmentation to one waveform.</summary>
    /// <param name="audio">The input (not to be modified).</param>
    /// <param name="random">The draw's random source.</param>
    /// <returns>The augmented waveform, at the same sample rate.</returns>
    protected abstract AudioSignal Augment(AudioSignal audio, SeededRandom random);
}
