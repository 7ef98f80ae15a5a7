using Microsoft.ML;
using SerMlNet.Audio;
using SerMlNet.Pipeline.Augmentation;
using OptionErrors = SerMlNet.Pipeline.Jobs.OptionErrors;
using SerMlNet.Training.Model;
using SerMlNet.Training.Runs;

namespace SerMlNet.Training.MlNet;

/// <summary>
/// Options of <see cref="SerCnnTrainer"/>, the CNN as an ML.NET multiclass trainer: the input column names, the
/// network (<see cref="SerCnnOptions"/>, the job file's <c>model</c> section) and the training loop
/// (<see cref="TrainerOptions"/>, the job file's <c>training</c> section: batch size, epochs, learning rate and schedule,
/// weight decay, seed, ...), so the ML.NET and JSON-job paths share one option system. Validated once, by the trainer's
/// constructor, which reports every bad field together. Immutable; thread-safe.
/// </summary>
public sealed record SerCnnTrainerOptions
{
    /// <summary>Input column of features: a vector of <see cref="float"/> holding one example's
    /// [<see cref="SerCnnOptions.InputMels"/>, <see cref="SerCnnOptions.InputFrames"/>] matrix row-major (Mel band by
    /// band, e.g. 128 × 300 = 38,400 values). Default <c>Features</c>.</summary>
    public string FeatureColumnName { get; init; } = "Features";

    /// <summary>Input label column: a key type with <see cref="SerCnnOptions.ClassCount"/> values (e.g. made by
    /// <c>mlContext.Transforms.Conversion.MapValueToKey</c>). Default <c>Label</c>.</summary>
    public string LabelColumnName { get; init; } = "Label";

    /// <summary>The network; default <see cref="SerCnnOptions"/>' defaults (128 × 300 inputs, 8 classes).</summary>
    public SerCnnOptions Model { get; init; } = new();

    /// <summary>The training loop; default <see cref="TrainerOptions"/>' defaults (40 epochs, batch 32, AdamW at
    /// 0.002 with warm-up and cosine decay, weight decay 0.0005, seed 42, early stopping after 12 epochs without a
    /// better validation macro-F1).</summary>
    public TrainerOptions Training { get; init; } = new();

    /// <summary>Optional validation data with the same feature and label columns: each epoch is scored on it and the
    /// epoch with the best validation macro-F1 is kept (with early stopping per <see cref="TrainerOptions.Patience"/>).
    /// Null (default): the last epoch is kept and there is no early stopping.</summary>
    public IDataView? ValidationSet { get; init; }

    /// <summary>Training only: SpecAugment frequency and time masks drawn afresh for every epoch, the job file's
    /// <c>augmentation.specAugment</c>, applied to the training rows exactly as <c>ser train</c> does (the masks of
    /// (<see cref="AugmentationSeed"/> mixed with the epoch, the row's clip id, its draw + 1); see
    /// <see cref="ClipAugmenter.AugmentFeaturesForEpoch"/>). Needs the <see cref="ClipIdColumnName"/> column in the
    /// training data. Null (default): no masks. Validation rows are never masked.</summary>
    public SpecAugmentOptions? SpecAugment { get; init; }

    /// <summary>The augmentation seed the SpecAugment masks derive from (the job's <c>augmentation.seed</c>); default 1234.</summary>
    public long AugmentationSeed { get; init; } = 1234;

    /// <summary>Text column of clip ids the SpecAugment masks are seeded with (read only with <see cref="SpecAugment"/>);
    /// default <c>ClipId</c>.</summary>
    public string ClipIdColumnName { get; init; } = "ClipId";

    /// <summary>Int32 column of augmentation draws (0 = original; from <c>ReplicateForAugmentation</c>) the SpecAugment
    /// masks are seeded with; read only with <see cref="SpecAugment"/>, and a row counts as draw 0 when the data has no
    /// such column. Default <c>Draw</c>.</summary>
    public string DrawColumnName { get; init; } = "Draw";

    /// <summary>Receives training progress (after every step and epoch) on the fitting thread; null (default) for none.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Checks every field, including the nested model and training options.</summary>
    /// <exception cref="OptionsValidationException">One or more fields are invalid; the message lists them all.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(FeatureColumnName))
        {
            errors.Add("featureColumnName must be a column name");
        }
        if (string.IsNullOrWhiteSpace(LabelColumnName))
        {
            errors.Add("labelColumnName must be a column name");
        }
        else if (FeatureColumnName == LabelColumnName)
        {
            errors.Add($"featureColumnName and labelColumnName must differ (both '{FeatureColumnName}')");
        }
        if (Model is null || Training is null)
        {
            errors.Add(Model is null ? "model is required" : "training is required");
        }
        OptionErrors.Collect(errors, "model", Model is null ? null : Model.Validate);
        OptionErrors.Collect(errors, "training", Training is null ? null : Training.Validate);
        OptionErrors.Collect(errors, "specAugment", SpecAugment is null ? null : SpecAugment.Validate);
        if (SpecAugment is not null && string.IsNullOrWhiteSpace(ClipIdColumnName))
        {
            errors.Add("clipIdColumnName must be a column name when specAugment is set");
        }
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(SerCnnTrainerOptions), errors);
        }
    }
}
