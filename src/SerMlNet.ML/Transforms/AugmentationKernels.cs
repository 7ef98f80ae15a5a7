using SerMlNet.Audio;
using SerMlNet.Pipeline.Augmentation;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// Where the ML.NET transforms call the one implementation of the training augmentations,
/// <see cref="ClipAugmenter"/> (the same code, draw order and seeding as job training), so a row of an ML.NET training
/// view gets exactly the audio and masks a prepared dataset would. Stateless and thread-safe.
/// </summary>
internal static class AugmentationKernels
{
    /// <summary>One augmentation draw of a waveform; <paramref name="draw"/> 0 is the original, returned unchanged.</summary>
    /// <param name="audio">Mono samples, owned by the caller's row (not modified; wrapped, not copied).</param>
    /// <param name="sampleRate">Their rate in Hz.</param>
    /// <param name="augmenter">The augmenter (its options' seed seeds every draw).</param>
    /// <param name="clipId">The clip's stable id.</param>
    /// <param name="draw">0 for the original, 1..k for augmented copies.</param>
    /// <returns>The augmented samples (a new array, or <paramref name="audio"/> itself for draw 0 or when nothing acted).</returns>
    public static float[] AugmentWaveform(float[] audio, int sampleRate, ClipAugmenter augmenter, string clipId, long draw) =>
        draw == 0 ? audio : augmenter.AugmentWaveform(new AudioSignal(audio, sampleRate), augmenter.Options.Seed, clipId, draw).Samples;

    /// <summary>SpecAugment masks of one training row for one epoch (<see cref="ClipAugmenter.AugmentFeaturesForEpoch"/>).</summary>
    /// <param name="features">Row-major [rows, columns] values; masked in place.</param>
    /// <param name="rows">Mel bands.</param>
    /// <param name="columns">Frames.</param>
    /// <param name="augmenter">The augmenter (SpecAugment options and seed).</param>
    /// <param name="epoch">The epoch (0-based).</param>
    /// <param name="clipId">The clip's stable id.</param>
    /// <param name="draw">The row's draw index.</param>
    public static void MaskSpectrogram(float[] features, int rows, int columns, ClipAugmenter augmenter, int epoch, string clipId, long draw)
    {
        var matrix = new FeatureMatrix(rows, columns, features);
        FeatureMatrix masked = augmenter.AugmentFeaturesForEpoch(matrix, epoch, clipId, draw);
        if (!ReferenceEquals(masked, matrix))
        {
            masked.Data.CopyTo(features, 0);
        }
    }
}
