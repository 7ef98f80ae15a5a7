using Microsoft.ML;
using SerMlNet.Training.Model;
using SerMlNet.Training.Runs;

namespace SerMlNet.Training.MlNet;

/// <summary>
/// Adds the CNN trainer to ML.NET's multiclass catalog: <c>mlContext.MulticlassClassification.Trainers.SerCnn(...)</c>.
/// Thread-safe.
/// </summary>
public static class SerCnnCatalog
{
    /// <summary>The CNN trainer with default column names.</summary>
    /// <param name="catalog">ML.NET's multiclass trainer catalog.</param>
    /// <param name="labelColumnName">Label column, a key with <see cref="SerCnnOptions.ClassCount"/> values; default <c>Label</c>.</param>
    /// <param name="featureColumnName">Feature column, a float vector of InputMels × InputFrames values; default <c>Features</c>.</param>
    /// <param name="model">The network; null for <see cref="SerCnnOptions"/>' defaults (128 × 300 inputs, 8 classes).</param>
    /// <param name="training">The training loop; null for <see cref="TrainerOptions"/>' defaults.</param>
    /// <param name="validationSet">Data for per-epoch model selection and early stopping, or null (keep the last epoch).</param>
    /// <returns>The trainer.</returns>
    /// <exception cref="SerMlNet.Audio.OptionsValidationException">An option is invalid; every bad field is listed.</exception>
    public static SerCnnTrainer SerCnn(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label",
        string featureColumnName = "Features",
        SerCnnOptions? model = null,
        TrainerOptions? training = null,
        IDataView? validationSet = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SerCnnTrainer(new SerCnnTrainerOptions
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            Model = model ?? new SerCnnOptions(),
            Training = training ?? new TrainerOptions(),
            ValidationSet = validationSet,
        });
    }

    /// <summary>The CNN trainer with every option.</summary>
    /// <param name="catalog">ML.NET's multiclass trainer catalog.</param>
    /// <param name="options">The options.</param>
    /// <returns>The trainer.</returns>
    /// <exception cref="SerMlNet.Audio.OptionsValidationException">An option is invalid; every bad field is listed.</exception>
    public static SerCnnTrainer SerCnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, SerCnnTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SerCnnTrainer(options);
    }
}
