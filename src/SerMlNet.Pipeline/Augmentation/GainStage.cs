using SerMlNet.Audio;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>Multiplies the waveform by a gain drawn in dB. Acts only in augmenting contexts. Thread-safe.</summary>
/// <param name="options">Validated options.</param>
public sealed class GainStage(GainOptions options) : WaveformAugmentation<GainOptions>(options, PipelineJsonContext.Default.GainOptions)
{
    /// <summary>Registry name.</summary>
    public const string TypeName = "gain";

    /// <inheritdoc />
    public override string StageType => TypeName;

    /// <inheritdoc />
    protected override AudioSignal Augment(AudioSignal audio, SeededRandom random)
    {
        float factor = (float)Math.Pow(10, random.NextDouble(Options.MinDb, Options.MaxDb) / 20);
        float[] output = new float[audio.Samples.Length];
        System.Numerics.Tensors.TensorPrimitives.Multiply(audio.Samples, factor, output);
        return new AudioSignal(output, audio.SampleRate);
    }
}
