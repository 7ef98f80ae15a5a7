using SerMlNet.Audio;
using SerMlNet.Pipeline.Composition;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>Multiplies the waveform by a gain drawn in dB. Acts only in augmenting contexts. Thread-safe.</summary>
/// <param name="options">Validated options.</param>
public sealed class GainStage(GainOptions options) : StatelessStage<GainOptions>(options, o => o.Validate())
{
    /// <summary>Registry name.</summary>
    public const string TypeName = "gain";

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
        float factor = (float)Math.Pow(10, context.Random.NextDouble(Options.MinDb, Options.MaxDb) / 20);
        float[] output = new float[audio.Samples.Length];
        System.Numerics.Tensors.TensorPrimitives.Multiply(audio.Samples, factor, output);
        return input.With(new AudioSignal(output, audio.SampleRate));
    }
}
