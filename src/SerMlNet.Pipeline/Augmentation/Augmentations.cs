using System.Numerics.Tensors;
using SerMlNet.Audio;
using SerMlNet.Pipeline.Randomness;
using AudioEffects = SerMlNet.Audio.Effects;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>
/// The training-only augmentation kernels, one per options type. Each draws, from the given random source, first whether
/// it acts (the options' <c>Probability</c>) and then its parameters, so a (seed, clip, draw) triple always gives the same
/// result; <see cref="ClipAugmenter"/> applies them in the job's order. The options must be valid (their
/// <c>Validate</c>); the kernels do not check them again. Thread-safe: every call uses only its arguments.
/// </summary>
public static class Augmentations
{
    /// <summary>
    /// Speed perturbation by a rate drawn from Rates: the clip resampled as if played at that speed (band-limited,
    /// <see cref="SerMlNet.Audio.Resampling.Resampler.ProcessRatio"/>), tempo and pitch together; length n becomes
    /// floor(n / rate).
    /// </summary>
    /// <param name="audio">The waveform (not modified).</param>
    /// <param name="options">Valid options.</param>
    /// <param name="random">The draw's random source.</param>
    /// <returns><paramref name="audio"/> itself when the draw does not act, else a new waveform at the same rate.</returns>
    public static AudioSignal SpeedPerturbation(AudioSignal audio, SpeedPerturbationOptions options, SeededRandom random)
    {
        Check(audio, options, random);
        if (!random.NextBool(options.Probability))
        {
            return audio;
        }
        double rate = options.Rates[random.NextInt(options.Rates.Count)];
        int length = (int)Math.Floor(audio.Samples.Length / rate);
        return new AudioSignal(SerMlNet.Audio.Resampling.Resampler.ProcessRatio(audio.Samples, 1 / rate, length), audio.SampleRate);
    }

    /// <summary>Time stretch (pitch kept, <c>librosa.effects.time_stretch</c>) by a rate drawn from [MinRate, MaxRate]; rate &gt; 1 shortens the clip by 1/rate.</summary>
    /// <param name="audio">The waveform (not modified).</param>
    /// <param name="options">Valid options.</param>
    /// <param name="random">The draw's random source.</param>
    /// <returns><paramref name="audio"/> itself when the draw does not act, else a new waveform at the same rate.</returns>
    public static AudioSignal TimeStretch(AudioSignal audio, TimeStretchOptions options, SeededRandom random)
    {
        Check(audio, options, random);
        if (!random.NextBool(options.Probability))
        {
            return audio;
        }
        double rate = random.NextDouble(options.MinRate, options.MaxRate);
        return new AudioSignal(AudioEffects.TimeStretch.Apply(audio.Samples, rate), audio.SampleRate);
    }

    /// <summary>
    /// Pitch shift by semitones drawn from [MinSemitones, MaxSemitones], duration kept (<see cref="AudioEffects.PitchShift.Apply"/>:
    /// NWaves' phase-locking phase vocoder stretch by 2^(n/12), then resampling back).
    /// </summary>
    /// <param name="audio">The waveform (not modified).</param>
    /// <param name="options">Valid options.</param>
    /// <param name="random">The draw's random source.</param>
    /// <returns><paramref name="audio"/> itself when the draw does not act, else a new waveform of the same length and rate.</returns>
    public static AudioSignal PitchShift(AudioSignal audio, PitchShiftOptions options, SeededRandom random)
    {
        Check(audio, options, random);
        if (!random.NextBool(options.Probability))
        {
            return audio;
        }
        double semitones = random.NextDouble(options.MinSemitones, options.MaxSemitones);
        return new AudioSignal(AudioEffects.PitchShift.Apply(audio.Samples, audio.SampleRate, semitones), audio.SampleRate);
    }

    /// <summary>
    /// Shift by up to ±MaxShiftSeconds (whole samples, drawn uniformly), length kept: a positive shift delays the clip
    /// (silence in front, the end dropped), a negative one advances it.
    /// </summary>
    /// <param name="audio">The waveform (not modified).</param>
    /// <param name="options">Valid options.</param>
    /// <param name="random">The draw's random source.</param>
    /// <returns><paramref name="audio"/> itself when the draw does not act, else a new waveform.</returns>
    public static AudioSignal TimeShift(AudioSignal audio, TimeShiftOptions options, SeededRandom random)
    {
        Check(audio, options, random);
        if (!random.NextBool(options.Probability))
        {
            return audio;
        }
        int max = (int)Math.Round(options.MaxShiftSeconds * audio.SampleRate);
        int shift = random.NextInt(2 * max + 1) - max;
        return new AudioSignal(Shift(audio.Samples, shift), audio.SampleRate);
    }

    /// <summary>Gain by a factor 10^(g/20), g drawn in dB from [MinDb, MaxDb].</summary>
    /// <param name="audio">The waveform (not modified).</param>
    /// <param name="options">Valid options.</param>
    /// <param name="random">The draw's random source.</param>
    /// <returns><paramref name="audio"/> itself when the draw does not act, else a new waveform.</returns>
    public static AudioSignal Gain(AudioSignal audio, GainOptions options, SeededRandom random)
    {
        Check(audio, options, random);
        if (!random.NextBool(options.Probability))
        {
            return audio;
        }
        float factor = (float)Math.Pow(10, random.NextDouble(options.MinDb, options.MaxDb) / 20);
        float[] output = new float[audio.Samples.Length];
        TensorPrimitives.Multiply(audio.Samples, factor, output);
        return new AudioSignal(output, audio.SampleRate);
    }

    /// <summary>
    /// White or pink noise (colour drawn from Colours) at a clip SNR (total signal power over total noise power) drawn
    /// in dB from [MinSnrDb, MaxSnrDb]; see <see cref="AddNoise(Span{float}, double, NoiseColour, SeededRandom)"/>.
    /// </summary>
    /// <param name="audio">The waveform (not modified).</param>
    /// <param name="options">Valid options.</param>
    /// <param name="random">The draw's random source.</param>
    /// <returns><paramref name="audio"/> itself when the draw does not act, else a new waveform.</returns>
    public static AudioSignal AddNoise(AudioSignal audio, NoiseOptions options, SeededRandom random)
    {
        Check(audio, options, random);
        if (!random.NextBool(options.Probability))
        {
            return audio;
        }
        double snrDb = random.NextDouble(options.MinSnrDb, options.MaxSnrDb);
        NoiseColour colour = options.Colours[random.NextInt(options.Colours.Count)];
        float[] output = (float[])audio.Samples.Clone();
        AddNoise(output, snrDb, colour, random);
        return new AudioSignal(output, audio.SampleRate);
    }

    /// <summary>
    /// SpecAugment (Park et al. 2019): FrequencyMasks bands of up to MaxFrequencyWidth rows, then TimeMasks spans of up to
    /// MaxTimeWidth frames, set to MaskValue; see <see cref="Mask"/>.
    /// </summary>
    /// <param name="features">[rows, frames] (not modified).</param>
    /// <param name="options">Valid options.</param>
    /// <param name="random">The draw's random source.</param>
    /// <returns><paramref name="features"/> itself when the draw does not act, else a masked copy of the same shape.</returns>
    public static FeatureMatrix SpecAugment(FeatureMatrix features, SpecAugmentOptions options, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        if (!random.NextBool(options.Probability))
        {
            return features;
        }
        FeatureMatrix masked = features.Clone();
        Mask(masked, options, random);
        return masked;
    }

    /// <summary>Adds noise in place at the given SNR; silent or empty input is left unchanged.</summary>
    /// <param name="samples">The signal, modified in place.</param>
    /// <param name="snrDb">Target SNR in dB (signal power over noise power, over the whole span).</param>
    /// <param name="colour">Noise colour.</param>
    /// <param name="random">Random source.</param>
    public static void AddNoise(Span<float> samples, double snrDb, NoiseColour colour, SeededRandom random)
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
        GenerateNoise(noise, colour, random);
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
    public static void GenerateNoise(Span<double> destination, NoiseColour colour, SeededRandom random)
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

    /// <summary>The signal shifted by <paramref name="shift"/> samples, same length, vacated samples zero.</summary>
    /// <param name="samples">The signal.</param>
    /// <param name="shift">Positive delays, negative advances.</param>
    /// <returns>A new array.</returns>
    public static float[] Shift(ReadOnlySpan<float> samples, int shift)
    {
        var output = new float[samples.Length];
        int n = samples.Length - Math.Abs(shift);
        if (n > 0)
        {
            if (shift >= 0)
            {
                samples[..n].CopyTo(output.AsSpan(shift));
            }
            else
            {
                samples[(-shift)..].CopyTo(output);
            }
        }
        return output;
    }

    /// <summary>Draws and writes the SpecAugment masks in place (no probability draw: they always apply).</summary>
    /// <param name="features">[rows, frames], modified.</param>
    /// <param name="options">Mask counts and widths.</param>
    /// <param name="random">Random source.</param>
    public static void Mask(FeatureMatrix features, SpecAugmentOptions options, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        for (int m = 0; m < options.FrequencyMasks; m++)
        {
            (int start, int width) = DrawMask(features.Rows, options.MaxFrequencyWidth, random);
            for (int r = start; r < start + width; r++)
            {
                features.Row(r).Fill(options.MaskValue);
            }
        }
        for (int m = 0; m < options.TimeMasks; m++)
        {
            (int start, int width) = DrawMask(features.Columns, options.MaxTimeWidth, random);
            for (int r = 0; r < features.Rows; r++)
            {
                features.Row(r).Slice(start, width).Fill(options.MaskValue);
            }
        }
    }

    private static (int Start, int Width) DrawMask(int size, int maxWidth, SeededRandom random)
    {
        int width = random.NextInt(Math.Min(maxWidth, size) + 1);
        int start = random.NextInt(size - width + 1);
        return (start, width);
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

    private static void Check(AudioSignal audio, object options, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
    }
}
