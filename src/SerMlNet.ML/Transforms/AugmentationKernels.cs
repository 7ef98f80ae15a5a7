using System.Numerics.Tensors;
using SerMlNet.Audio;
using SerMlNet.Audio.Effects;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// The one place where the ML.NET transforms call augmentation code of SerMlNet.Pipeline (the seeded random source,
/// the noise generator, the time shift and the SpecAugment masks), so that it can be re-pointed when that code moves.
/// Computes exactly what the offline augmentation of the job pipeline computes: one <see cref="SeededRandom"/> per
/// (seed, clip id, draw), drawn by the enabled waveform augmentations in their fixed order (time stretch, pitch shift,
/// time shift, gain, noise), each first drawing whether it acts with its probability. Stateless and thread-safe.
/// </summary>
internal static class AugmentationKernels
{
    /// <summary>One augmentation draw of a waveform; <paramref name="draw"/> 0 is the original, returned unchanged.</summary>
    /// <param name="audio">Mono samples (not modified).</param>
    /// <param name="sampleRate">Their rate in Hz.</param>
    /// <param name="options">Validated options (their <see cref="AugmentationOptions.Seed"/> seeds every draw).</param>
    /// <param name="clipId">The clip's stable id.</param>
    /// <param name="draw">0 for the original, 1..k for augmented copies.</param>
    /// <returns>The augmented samples (a new array, or the input's memory for draw 0).</returns>
    public static ReadOnlyMemory<float> AugmentWaveform(ReadOnlyMemory<float> audio, int sampleRate, AugmentationOptions options, string clipId, long draw)
    {
        if (draw == 0)
        {
            return audio;
        }
        // What TransformContext.ForDraw(seed, clipId, draw) holds.
        SeededRandom random = SeededRandom.Derive(options.Seed, clipId, draw);
        float[] samples = audio.ToArray();
        if (options.TimeStretch is { } stretch && random.NextBool(stretch.Probability))
        {
            samples = TimeStretch.Apply(samples, random.NextDouble(stretch.MinRate, stretch.MaxRate));
        }
        if (options.PitchShift is { } pitch && random.NextBool(pitch.Probability))
        {
            samples = PitchShift.Apply(samples, sampleRate, random.NextDouble(pitch.MinSemitones, pitch.MaxSemitones));
        }
        if (options.TimeShift is { } shift && random.NextBool(shift.Probability))
        {
            int max = (int)Math.Round(shift.MaxShiftSeconds * sampleRate);
            samples = TimeShiftStage.Shift(samples, random.NextInt(2 * max + 1) - max);
        }
        if (options.Gain is { } gain && random.NextBool(gain.Probability))
        {
            float factor = (float)Math.Pow(10, random.NextDouble(gain.MinDb, gain.MaxDb) / 20);
            TensorPrimitives.Multiply(samples, factor, samples);
        }
        if (options.Noise is { } noise && random.NextBool(noise.Probability))
        {
            double snrDb = random.NextDouble(noise.MinSnrDb, noise.MaxSnrDb);
            NoiseColour colour = noise.Colours[random.NextInt(noise.Colours.Count)];
            AddNoiseStage.Apply(samples, snrDb, colour, random);
        }
        return samples;
    }

    /// <summary>
    /// SpecAugment masks of one training row for one epoch, as the job pipeline's online stage draws them: a random
    /// source per (seed mixed with the epoch, clip id, draw + 1), then masking with the options' probability.
    /// </summary>
    /// <param name="features">Row-major [rows, columns] values; masked in place.</param>
    /// <param name="rows">Mel bands.</param>
    /// <param name="columns">Frames.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="seed">The augmentation seed.</param>
    /// <param name="epoch">The epoch (0-based).</param>
    /// <param name="clipId">The clip's stable id.</param>
    /// <param name="draw">The row's draw index.</param>
    public static void MaskSpectrogram(float[] features, int rows, int columns, SpecAugmentOptions options, long seed, int epoch, string clipId, long draw)
    {
        long epochSeed = seed ^ (0x5851F42D4C957F2DL * (epoch + 1));
        SeededRandom random = SeededRandom.Derive(epochSeed, clipId, draw + 1);
        if (random.NextBool(options.Probability))
        {
            SpecAugmentStage.Apply(new FeatureMatrix(rows, columns, features), options, random);
        }
    }
}
