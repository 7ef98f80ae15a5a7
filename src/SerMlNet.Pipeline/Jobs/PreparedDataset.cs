using SerMlNet.Audio;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Splits;

namespace SerMlNet.Pipeline.Jobs;

/// <summary>
/// A split turned into features, with the fitted front end that made them. Training items include the offline
/// augmented copies; online augmentations (fresh draws, SpecAugment) are applied per epoch by
/// <see cref="TrainingItems"/> and <see cref="TrainingFeatures"/>. Thread-safe for reading.
/// </summary>
public sealed class PreparedDataset
{
    private readonly FittedFrontEnd _unnormalized;
    private readonly ClipAugmenter? _augmenter;
    private readonly IReadOnlyDictionary<(SplitPart, string), FittedFrontEnd>? _speakers;

    internal PreparedDataset(
        DatasetCatalog catalog,
        DatasetSplit split,
        FittedFrontEnd pipeline,
        FittedFrontEnd unnormalized,
        ClipAugmenter? augmenter,
        IReadOnlyDictionary<(SplitPart, string), FittedFrontEnd>? speakers,
        IReadOnlyList<FeatureItem> train,
        IReadOnlyList<FeatureItem> validation,
        IReadOnlyList<FeatureItem> test,
        long cacheHits,
        int featureRequests)
    {
        Catalog = catalog;
        Split = split;
        Pipeline = pipeline;
        _unnormalized = unnormalized;
        _augmenter = augmenter;
        _speakers = speakers;
        Train = train;
        Validation = validation;
        Test = test;
        CacheHits = cacheHits;
        FeatureRequests = featureRequests;
    }

    /// <summary>The dataset.</summary>
    public DatasetCatalog Catalog { get; }

    /// <summary>The split.</summary>
    public DatasetSplit Split { get; }

    /// <summary>The fitted front end (what export and inference apply; its saved augmentations are inert outside training).</summary>
    public FittedFrontEnd Pipeline { get; }

    /// <summary>The augmentation options, or null.</summary>
    public AugmentationOptions? Augmentation => _augmenter?.Options;

    /// <summary>
    /// Whether every item was normalised with its own speaker's statistics (<see cref="NormaliseOptions.PerSpeaker"/>);
    /// <see cref="Pipeline"/> still holds the training split's.
    /// </summary>
    public bool PerSpeaker => _speakers is not null;

    /// <summary>Training items: every training clip's original and its offline copies.</summary>
    public IReadOnlyList<FeatureItem> Train { get; }

    /// <summary>Validation items (never augmented).</summary>
    public IReadOnlyList<FeatureItem> Validation { get; }

    /// <summary>Test items (never augmented).</summary>
    public IReadOnlyList<FeatureItem> Test { get; }

    /// <summary>Feature computations served by the cache during preparation.</summary>
    public long CacheHits { get; }

    /// <summary>Feature computations requested during preparation.</summary>
    public int FeatureRequests { get; }

    /// <summary>Shape of one example, [rows, frames].</summary>
    public (int Rows, int Columns) FeatureShape => (Train[0].Features.Rows, Train[0].Features.Columns);

    /// <summary>Clips per class in a part (originals only).</summary>
    /// <param name="part">The part.</param>
    /// <returns>Counts indexed by class.</returns>
    public int[] ClassCounts(SplitPart part)
    {
        var counts = new int[Catalog.Labels.Count];
        IReadOnlyList<FeatureItem> items = part switch { SplitPart.Train => Train, SplitPart.Validation => Validation, _ => Test };
        foreach (FeatureItem item in items)
        {
            if (item.Draw == 0)
            {
                counts[item.Label]++;
            }
        }
        return counts;
    }

    /// <summary>How many items <see cref="TrainingItems"/> returns per epoch (without computing them).</summary>
    public int ExamplesPerEpoch => Augmentation is { Mode: AugmentationMode.Online } ? Train.Count(i => i.Draw == 0) : Train.Count;

    /// <summary>
    /// The training items of one epoch: in offline mode always <see cref="Train"/>; in online mode one fresh
    /// augmentation draw per training clip (computed now, in parallel, not cached).
    /// </summary>
    /// <param name="epoch">Epoch index (0-based).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The items.</returns>
    public IReadOnlyList<FeatureItem> TrainingItems(int epoch, CancellationToken cancellationToken = default)
    {
        if (Augmentation is not { Mode: AugmentationMode.Online })
        {
            return Train;
        }
        FeatureItem[] originals = [.. Train.Where(i => i.Draw == 0)];
        var fresh = new FeatureItem[originals.Length];
        long draw = 1 + (long)epoch;
        DatasetPreparation.RunParallel(originals.Length, cancellationToken, i =>
        {
            FeatureItem o = originals[i];
            FeatureMatrix features = DatasetPreparation.ComputeDraw(_unnormalized, _augmenter, o.Clip, draw, Augmentation.Seed);
            fresh[i] = new FeatureItem(o.Clip, o.Part, o.Label, draw, DatasetPreparation.NormalizerOf(Pipeline, _speakers, o.Part, o.Clip).Normalize(features));
        });
        return fresh;
    }

    /// <summary>
    /// One training item's features for an epoch, after the online stages (e.g. fresh SpecAugment masks) drawn for
    /// this (epoch, clip, draw). Without online stages these are the item's features themselves (do not modify them).
    /// </summary>
    /// <param name="item">A training item.</param>
    /// <param name="epoch">Epoch index.</param>
    /// <returns>The features.</returns>
    public FeatureMatrix TrainingFeatures(FeatureItem item, int epoch)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_augmenter is not { ChangesFeatures: true })
        {
            return item.Features;
        }
        if (item.Part != SplitPart.Train)
        {
            throw new InvalidOperationException($"clip '{item.Clip.Id}' is in the {item.Part} part and is never augmented");
        }
        return _augmenter.AugmentFeaturesForEpoch(item.Features, epoch, item.Clip.Id, item.Draw);
    }
}
