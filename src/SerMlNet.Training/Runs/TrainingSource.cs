using SerMlNet.Audio;
using SerMlNet.Pipeline.Jobs;

namespace SerMlNet.Training.Runs;

/// <summary>
/// What <see cref="Trainer"/>'s loop reads: the training items of each epoch (with their per-epoch features) and the
/// validation items. Two sources exist: a <see cref="PreparedDataset"/> (the JSON-job path, with offline and online
/// augmentation) and plain in-memory lists (the ML.NET trainer). Implementations are read-only during a run.
/// </summary>
internal interface ITrainingSource
{
    /// <summary>Number of classes.</summary>
    int ClassCount { get; }

    /// <summary>Shape of one example, [rows, frames].</summary>
    (int Rows, int Columns) FeatureShape { get; }

    /// <summary>How many items <see cref="TrainingItems"/> returns per epoch.</summary>
    int ExamplesPerEpoch { get; }

    /// <summary>All training items (class weights are counted over them).</summary>
    IReadOnlyList<FeatureItem> Train { get; }

    /// <summary>Validation items (never augmented); may be empty.</summary>
    IReadOnlyList<FeatureItem> Validation { get; }

    /// <summary>The training items of one epoch.</summary>
    IReadOnlyList<FeatureItem> TrainingItems(int epoch, CancellationToken cancellationToken);

    /// <summary>One training item's features for an epoch.</summary>
    FeatureMatrix TrainingFeatures(FeatureItem item, int epoch);
}

/// <summary>A <see cref="PreparedDataset"/> as a training source (every member forwards to it).</summary>
internal sealed class PreparedSource(PreparedDataset data) : ITrainingSource
{
    public int ClassCount => data.Catalog.Labels.Count;

    public IReadOnlyList<string> Labels => data.Catalog.Labels;

    public (int Rows, int Columns) FeatureShape => data.FeatureShape;

    public int ExamplesPerEpoch => data.ExamplesPerEpoch;

    public IReadOnlyList<FeatureItem> Train => data.Train;

    public IReadOnlyList<FeatureItem> Validation => data.Validation;

    public IReadOnlyList<FeatureItem> TrainingItems(int epoch, CancellationToken cancellationToken) => data.TrainingItems(epoch, cancellationToken);

    public FeatureMatrix TrainingFeatures(FeatureItem item, int epoch) => data.TrainingFeatures(item, epoch);
}

/// <summary>In-memory training and validation items, the same every epoch but for the optional per-epoch SpecAugment
/// masks of <paramref name="augmenter"/> (seeded by each training item's clip id and draw, as in the job path).</summary>
internal sealed class InMemorySource(IReadOnlyList<FeatureItem> train, IReadOnlyList<FeatureItem> validation, int classCount, SerMlNet.Pipeline.Augmentation.ClipAugmenter? augmenter = null) : ITrainingSource
{
    public int ClassCount => classCount;

    public (int Rows, int Columns) FeatureShape => (train[0].Features.Rows, train[0].Features.Columns);

    public int ExamplesPerEpoch => train.Count;

    public IReadOnlyList<FeatureItem> Train => train;

    public IReadOnlyList<FeatureItem> Validation => validation;

    public IReadOnlyList<FeatureItem> TrainingItems(int epoch, CancellationToken cancellationToken) => train;

    public FeatureMatrix TrainingFeatures(FeatureItem item, int epoch) =>
        augmenter is { ChangesFeatures: true } ? augmenter.AugmentFeaturesForEpoch(item.Features, epoch, item.Clip.Id, item.Draw) : item.Features;
}
