using SerMlNet.Audio;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>
/// Adds white or pink noise scaled so that the clip's SNR (total signal power over total noise power) equals a draw
/// from [MinSnrDb, MaxSnrDb]. Acts only in augmenting contexts. Thread-safe.
/// </summary>
/// <param name="options">Validated options.</param>
public sealed class AddNoiseStage(NoiseOptions options) : WaveformAugmentation<NoiseOptions>(options, PipelineJsonContext.Default.NoiseOptions)
{
    /// <summary>Registry name.</summary>
    public const string TypeName = "addNoise";

    /// <inheritdoc />
    public override string StageType => TypeName;

    /// <inheritdoc />
    protected override AudioSignal Augment(AudioSignal audio, SeededRandom random)
    {
        double snrDb = random.NextDouble(Options.MinSnrDb, Options.MaxSnrDb);
        NoiseColour colour = Options.Colours[random.NextInt(Options.Colours.Count)];
        float[] output = (float[])audio.Samples.Clone();
        Apply(output, snrDb, colour, random);
        return new AudioSignal(output, audio.SampleRate);
    }

    /// <summary>Adds noise in place at the given SNR; silent input is left unchanged.</summary>
    /// <param name="samples">The signal, modified in place.</param>
    /// <param name="snrDb">Target SNR in dB.</param>
    /// <param name="colour">Noise colour.</param>
    /// <param name="random">Random source.</param>
    public static void Apply(Span<float> samples, double snrDb, NoiseColour colour, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (samples.IsEmpty)
        {
            return;
        }
        double signalPower = MeanSquare(samples);
        if (signalPower <= 0)
        {
            return;
        }
        var noise = new double[samples.Length];
        Generate(noise, colour, random);
        double noisePower = 0;
        foreach (double n in noise)
        {
            noisePower += n * n;
        }
        noisePower /= noise.Length;
        double scale = Math.Sqrt(signalPower / (noisePower * Math.Pow(10, snrDb / 10)));
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(samples[i] + noise[i] * scale);
        }
    }

    /// <summary>Fills <paramref name="destination"/> with unit-variance-ish noise of a colour.</summary>
    /// <param name="destination">Output.</param>
    /// <param name="colour">White, or pink through Paul Kellet's refined 1/f filter (accurate to ±0.05 dB above 9.2 Hz at 44.1 kHz).</param>
    /// <param name="random">Random source.</param>
    public static void Generate(Span<double> destination, NoiseColour colour, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (colour == NoiseColour.White)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = random.NextGaussian();
            }
            return;
        }
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
        for (int i = 0; i < destination.Length; i++)
        {
            double white = random.NextGaussian();
            b0 = 0.99886 * b0 + white * 0.0555179;
            b1 = 0.99332 * b1 + white * 0.0750759;
            b2 = 0.96900 * b2 + white * 0.1538520;
            b3 = 0.86650 * b3 + white * 0.3104856;
            b4 = 0.55000 * b4 + white * 0.5329522;
            b5 = -0.7616 * b5 - white * 0.0168980;
            destination[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362;
            b6 = white * 0.115926;
        }
    }

    private static double MeanSquare(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (float s in samples)
        {
            sum += (double)s * s;
        }
        return sum / samples.Length;
    }
}
