using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Pipeline.Composition;

namespace SerMlNet.Pipeline.Stages;

/// <summary>Pads (with the matrix minimum, the dB floor) or crops features to a fixed number of frames. Thread-safe.</summary>
/// <param name="options">The options.</param>
public sealed class FixedLengthStage(FixedLengthOptions options) : StatelessStage<FixedLengthOptions>(options, o => o.Validate(), PipelineJsonContext.Default.FixedLengthOptions)
{
    /// <summary>Registry name.</summary>
    public const string TypeName = "fixedLength";

    /// <inheritdoc />
    public override string StageType => TypeName;

    /// <inheritdoc />
    public override SampleSchema GetOutputSchema(SampleSchema input)
    {
        input.Require(SampleKind.Features, TypeName);
        return input with { Columns = Options.Frames };
    }

    /// <inheritdoc />
    public override Sample Transform(Sample input, TransformContext context)
    {
        FeatureMatrix features = input.RequireFeatures(TypeName);
        return features.Columns == Options.Frames ? input : input.With(FixedLength.Apply(features, Options));
    }
}
