using SerMlNet.Audio;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>
/// SpecAugment frequency and time masks on a feature matrix. Acts only in augmenting contexts, and is online: its
/// output is never cached, so every epoch sees fresh masks. Thread-safe.
/// </summary>
/// <param name="options">Validated options.</param>
public sealed class SpecAugmentStage(SpecAugmentOptions options) : StatelessStage<SpecAugmentOptions>(options, o => o.Validate(), PipelineJsonContext.Default.SpecAugmentOptions)
{
    /// <summary>Registry name.</summary>
    public const string TypeName = "specAugment";

    /// <inheritdoc />
    public override string StageType => TypeName;

    /// <inheritdoc />
    public override StageTraits Traits => StageTraits.Augmentation | StageTraits.Online;

    /// <inheritdoc />
    public override SampleSchema GetOutputSchema(SampleSchema input)
    {
        input.Require(SampleKind.Features, TypeName);
        return input;
    }

    /// <inheritdoc />
    public override Sample Transform(Sample input, TransformContext context)
    {
        FeatureMatrix features = input.RequireFeatures(TypeName);
        if (!context.Augment || !context.Random.NextBool(Options.Probability))
        {
            return input;
        }
        FeatureMatrix masked = features.Clone();
        Apply(masked, Options, context.Random);
        return input.With(masked);
    }

    /// <summary>Masks a matrix in place.</summary>
    /// <param name="features">[rows, frames], modified.</param>
    /// <param name="options">Mask counts and widths.</param>
    /// <param name="random">Random source.</param>
    public static void Apply(FeatureMatrix features, SpecAugmentOptions options, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        for (int m = 0; m < options.FrequencyMasks; m++)
        {
            (int start, int width) = Draw(features.Rows, options.MaxFrequencyWidth, random);
            for (int r = start; r < start + width; r++)
            {
                features.Row(r).Fill(options.MaskValue);
            }
        }
        for (int m = 0; m < options.TimeMasks; m++)
        {
            (int start, int width) = Draw(features.Columns, options.MaxTimeWidth, random);
            for (int r = 0; r < features.Rows; r++)
            {
                features.Row(r).Slice(start, width).Fill(options.MaskValue);
            }
        }
    }

    private static (int Start, int Width) Draw(int size, int maxWidth, SeededRandom random)
    {
        int width = random.NextInt(Math.Min(maxWidth, size) + 1);
        int start = random.NextInt(size - width + 1);
        return (start, width);
    }
}
