using SerMlNet.Audio;
using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>
/// Applies a job's <see cref="AugmentationOptions"/> to one training clip for one draw: the waveform augmentations in a
/// fixed order (speed perturbation, time stretch, pitch shift, time shift, gain, then noise, so its SNR refers to the final signal), all
/// drawing from one <see cref="SeededRandom"/> derived from (seed, clip id, draw), and SpecAugment on the features from
/// its own derived source. The same triple always gives the same result. Validation and test clips are never augmented
/// (draw 0 is the original). Immutable; thread-safe.
/// </summary>
public sealed class ClipAugmenter
{
    /// <summary>Creates the augmenter, validating the options once.</summary>
    /// <param name="options">The job's augmentation options.</param>
    /// <exception cref="OptionsValidationException">The options are invalid (every bad field listed).</exception>
    public ClipAugmenter(AugmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The options.</summary>
    public AugmentationOptions Options { get; }

    /// <summary>An augmenter that only masks features (SpecAugment), every waveform augmentation off: what training
    /// applies per epoch on top of features made elsewhere (the ML.NET trainer, the ML.NET <c>SpecAugment</c> transform).</summary>
    /// <param name="specAugment">The masks' options.</param>
    /// <param name="seed">The augmentation seed.</param>
    /// <returns>The augmenter.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public static ClipAugmenter ForSpecAugment(SpecAugmentOptions specAugment, long seed)
    {
        ArgumentNullException.ThrowIfNull(specAugment);
        return new ClipAugmenter(new AugmentationOptions
        {
            Seed = seed,
            SpecAugment = specAugment,
            Noise = null,
            PitchShift = null,
            TimeStretch = null,
            TimeShift = null,
            Gain = null,
        });
    }

    /// <summary>Whether any waveform augmentation is enabled.</summary>
    public bool ChangesWaveform => Options.SpeedPerturbation is not null || Options.TimeStretch is not null || Options.PitchShift is not null || Options.TimeShift is not null
        || Options.Gain is not null || Options.Noise is not null;

    /// <summary>Whether SpecAugment is enabled.</summary>
    public bool ChangesFeatures => Options.SpecAugment is not null;

    /// <summary>The waveform augmentations of one draw.</summary>
    /// <param name="audio">The (trimmed) waveform; not modified.</param>
    /// <param name="seed">The augmentation seed (usually <see cref="AugmentationOptions.Seed"/>).</param>
    /// <param name="clipId">The clip's id.</param>
    /// <param name="draw">The draw index, at least 1 (0 is the original and is never augmented).</param>
    /// <returns>The augmented waveform at the same rate (<paramref name="audio"/> itself when no augmentation acted).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="draw"/> is below 1.</exception>
    public AudioSignal AugmentWaveform(AudioSignal audio, long seed, string clipId, long draw)
    {
        ArgumentNullException.ThrowIfNull(audio);
        SeededRandom random = Derive(seed, clipId, draw);
        if (Options.SpeedPerturbation is { } speed)
        {
            audio = Augmentations.SpeedPerturbation(audio, speed, random);
        }
        if (Options.TimeStretch is { } stretch)
        {
            audio = Augmentations.TimeStretch(audio, stretch, random);
        }
        if (Options.PitchShift is { } pitch)
        {
            audio = Augmentations.PitchShift(audio, pitch, random);
        }
        if (Options.TimeShift is { } shift)
        {
            audio = Augmentations.TimeShift(audio, shift, random);
        }
        if (Options.Gain is { } gain)
        {
            audio = Augmentations.Gain(audio, gain, random);
        }
        if (Options.Noise is { } noise)
        {
            audio = Augmentations.AddNoise(audio, noise, random);
        }
        return audio;
    }

    /// <summary>SpecAugment on one draw's normalised features.</summary>
    /// <param name="features">[rows, frames]; not modified.</param>
    /// <param name="seed">The seed (per epoch in training: see <c>PreparedDataset.TrainingFeatures</c>).</param>
    /// <param name="clipId">The clip's id.</param>
    /// <param name="draw">The draw index, at least 1.</param>
    /// <returns>A masked copy, or <paramref name="features"/> itself when SpecAugment is off or the draw does not act.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="draw"/> is below 1.</exception>
    public FeatureMatrix AugmentFeatures(FeatureMatrix features, long seed, string clipId, long draw)
    {
        ArgumentNullException.ThrowIfNull(features);
        SeededRandom random = Derive(seed, clipId, draw);
        return Options.SpecAugment is { } spec ? Augmentations.SpecAugment(features, spec, random) : features;
    }

    /// <summary>
    /// SpecAugment of one training item for one epoch of training: the masks of (the seed mixed with the epoch, clip id,
    /// draw + 1), so every epoch draws fresh masks, the original copy (draw 0) included. What training applies online.
    /// </summary>
    /// <param name="features">[rows, frames]; not modified.</param>
    /// <param name="epoch">Epoch index (0-based).</param>
    /// <param name="clipId">The clip's id.</param>
    /// <param name="draw">The item's draw index (0 for the original).</param>
    /// <returns>A masked copy, or <paramref name="features"/> itself when SpecAugment is off or the draw does not act.</returns>
    public FeatureMatrix AugmentFeaturesForEpoch(FeatureMatrix features, int epoch, string clipId, long draw)
    {
        long epochSeed = Options.Seed ^ (0x5851F42D4C957F2DL * (epoch + 1));
        return AugmentFeatures(features, epochSeed, clipId, draw + 1);
    }

    private static SeededRandom Derive(long seed, string clipId, long draw)
    {
        ArgumentNullException.ThrowIfNull(clipId);
        ArgumentOutOfRangeException.ThrowIfLessThan(draw, 1);
        return SeededRandom.Derive(seed, clipId, draw);
    }
}
