using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio;
using SerMlNet.Pipeline.Augmentation;
using SchemaMismatchException = SerMlNet.Pipeline.Features.SchemaMismatchException;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Training.Model;
using SerMlNet.Training.Runs;

namespace SerMlNet.Training.MlNet;

/// <summary>
/// The CNN as an ML.NET multiclass trainer (<c>mlContext.MulticlassClassification.Trainers.SerCnn(...)</c>): reads a
/// float-vector feature column ([mels, frames] row-major) and a key label column, trains a <see cref="SerCnn"/> with
/// the project's TorchSharp loop (<see cref="Trainer"/>: the same seeds, schedule, class balance, per-epoch SpecAugment
/// (<see cref="SerCnnTrainerOptions.SpecAugment"/>) and validation-based model selection as <c>ser train</c>, without
/// run-folder checkpoints; waveform augmentation is the pipeline's, through <c>AugmentAudio</c>), and returns a
/// <see cref="SerCnnTransformer"/> that adds <c>Score</c> and <c>PredictedLabel</c>. Rows whose label is missing (key
/// value 0) are skipped. With <see cref="TrainerOptions.EnsembleSeeds"/> it trains one network per seed in turn on the
/// same rows (a seed ensemble, as <c>ser train</c> does) and the transformer scores the mean of their probabilities.
/// Fitting reads every row into memory once (about 150 kB per 128 × 300 example). Not
/// thread-safe while fitting (libtorch's seed and thread count are process-wide).
/// </summary>
/// <remarks>
/// Not derived from <c>Microsoft.ML.TorchSharp.TorchSharpBaseTrainer</c>: its <c>Fit</c> must return a
/// <c>TorchSharpBaseTransformer</c>, whose only constructor and abstract members (<c>SaveModel</c>,
/// <c>MakeRowMapper</c>) are <c>private protected</c>, so no type outside that assembly can be returned.
/// </remarks>
public sealed class SerCnnTrainer : IEstimator<SerCnnTransformer>
{
    private readonly MLContext _mlContext;

    /// <summary>Creates the trainer; reached through <see cref="SerCnnCatalog.SerCnn(MulticlassClassificationCatalog.MulticlassClassificationTrainers, SerCnnTrainerOptions)"/>.</summary>
    /// <param name="options">The options, validated here.</param>
    /// <exception cref="OptionsValidationException">An option is invalid; every bad field is listed.</exception>
    internal SerCnnTrainer(SerCnnTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        // The catalog does not expose its MLContext (IInternalCatalog is internal): the scoring mapping lives in an own,
        // seeded context. Its data views chain with any other context's.
        _mlContext = new MLContext(seed: (int)(options.Training.Seed & int.MaxValue));
    }

    /// <summary>The validated options.</summary>
    public SerCnnTrainerOptions Options { get; }

    /// <summary>
    /// The output shape for an input shape, without data: the input columns plus <c>Score</c> (a known-size vector of
    /// <see cref="SerCnnOptions.ClassCount"/> floats) and <c>PredictedLabel</c> (a key, with key values when the label
    /// has them).
    /// </summary>
    /// <param name="inputSchema">Must hold the feature column (a float vector) and the label column (a key).</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="SchemaMismatchException">A column is missing or of the wrong kind.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShape.Column features = Find(inputSchema, Options.FeatureColumnName, "feature");
        if (features.Kind == SchemaShape.Column.VectorKind.Scalar || features.ItemType != NumberDataViewType.Single || features.IsKey)
        {
            throw new SchemaMismatchException($"feature column '{Options.FeatureColumnName}' must be a vector of Single");
        }
        SchemaShape.Column label = Find(inputSchema, Options.LabelColumnName, "label");
        if (!label.IsKey || label.Kind != SchemaShape.Column.VectorKind.Scalar)
        {
            throw new SchemaMismatchException($"label column '{Options.LabelColumnName}' must be a key (e.g. from mlContext.Transforms.Conversion.MapValueToKey)");
        }
        bool named = label.Annotations.Any(a => a.Name == "KeyValues");
        string[]? placeholders = named ? [.. Enumerable.Repeat(string.Empty, Options.Model.ClassCount)] : null;
        return SerCnnScoring.Mapping(_mlContext, Options.FeatureColumnName, Options.Model.ClassCount, placeholders, static (_, _) => { })
            .GetOutputSchema(inputSchema);
    }

    /// <summary>Reads the training (and validation) rows and trains the network.</summary>
    /// <param name="input">Training data with the feature and label columns.</param>
    /// <returns>The fitted transformer (dispose it to free the network).</returns>
    /// <exception cref="SchemaMismatchException">A column is missing or of the wrong type or size, the label's key
    /// count differs from <see cref="SerCnnOptions.ClassCount"/>, or there is no labelled row.</exception>
    public SerCnnTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        IReadOnlyList<FeatureItem> train = Read(input, SplitPart.Train, "training data");
        IReadOnlyList<FeatureItem> validation = Options.ValidationSet is null ? [] : Read(Options.ValidationSet, SplitPart.Validation, "validation set");
        ClipAugmenter? masks = Options.SpecAugment is null ? null : ClipAugmenter.ForSpecAugment(Options.SpecAugment, Options.AugmentationSeed);
        // A seed ensemble (training.ensembleSeeds): one network per seed in turn on the same rows, as 'ser train' does.
        IReadOnlyList<long> seeds = Options.Training.NetworkSeeds();
        var models = new List<SerCnn>(seeds.Count);
        var results = new List<TrainingResult>(seeds.Count);
        try
        {
            for (int m = 0; m < seeds.Count; m++)
            {
                TrainerOptions member = Options.Training.ForNetwork(seeds[m]);
                (TrainingResult result, SerCnn model) = new Trainer(Options.Model, member).Fit(train, validation, MemberProgress.For(Options.Progress, m + 1, seeds.Count), featureAugmenter: masks);
                models.Add(model);
                results.Add(result);
            }
            return new SerCnnTransformer(_mlContext, Options, models, LabelNames(input.Schema[Options.LabelColumnName]), results);
        }
        catch
        {
            foreach (SerCnn model in models)
            {
                model.Dispose();
            }
            throw;
        }
    }

    /// <summary>Checks that a schema's feature column is a float vector of the model's input size (or unknown size).</summary>
    internal static DataViewSchema.Column CheckFeatures(DataViewSchema schema, string name, SerCnnOptions model)
    {
        DataViewSchema.Column column = schema.GetColumnOrNull(name)
            ?? throw new SchemaMismatchException($"feature column '{name}' is not in the data (columns: {string.Join(", ", schema.Select(c => c.Name))})");
        int size = model.InputMels * model.InputFrames;
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType n } vector || n != NumberDataViewType.Single || (vector.IsKnownSize && vector.Size != size))
        {
            throw new SchemaMismatchException($"feature column '{name}' is {column.Type}; the model expects a vector of {model.InputMels} x {model.InputFrames} = {size} Single values");
        }
        return column;
    }

    private IReadOnlyList<FeatureItem> Read(IDataView data, SplitPart part, string what)
    {
        DataViewSchema.Column features = CheckFeatures(data.Schema, Options.FeatureColumnName, Options.Model);
        DataViewSchema.Column label = data.Schema.GetColumnOrNull(Options.LabelColumnName)
            ?? throw new SchemaMismatchException($"label column '{Options.LabelColumnName}' is not in the {what}");
        if (label.Type is not KeyDataViewType key || key.RawType != typeof(uint) || key.Count != (ulong)Options.Model.ClassCount)
        {
            throw new SchemaMismatchException($"label column '{Options.LabelColumnName}' of the {what} is {label.Type}; the model needs a UInt32 key with {Options.Model.ClassCount} values (model.classCount)");
        }
        int mels = Options.Model.InputMels, frames = Options.Model.InputFrames;
        // Per-epoch SpecAugment seeds each training row's masks with its clip id and draw, as the job path does.
        bool seeded = part == SplitPart.Train && Options.SpecAugment is not null;
        DataViewSchema.Column? clipId = null, draw = null;
        if (seeded)
        {
            clipId = data.Schema.GetColumnOrNull(Options.ClipIdColumnName) is { Type: TextDataViewType } id ? id
                : throw new SchemaMismatchException($"specAugment needs the text column '{Options.ClipIdColumnName}' of clip ids in the {what} (clipIdColumnName)");
            draw = data.Schema.GetColumnOrNull(Options.DrawColumnName);
            if (draw is { } d && d.Type != NumberDataViewType.Int32)
            {
                throw new SchemaMismatchException($"draw column '{Options.DrawColumnName}' of the {what} is {d.Type}; it must be Int32 (from ReplicateForAugmentation)");
            }
        }
        var items = new List<FeatureItem>();
        using DataViewRowCursor cursor = data.GetRowCursor([features, label, .. clipId is null ? Array.Empty<DataViewSchema.Column>() : [clipId.Value], .. draw is null ? Array.Empty<DataViewSchema.Column>() : [draw.Value]]);
        ValueGetter<VBuffer<float>> getFeatures = cursor.GetGetter<VBuffer<float>>(features);
        ValueGetter<uint> getLabel = cursor.GetGetter<uint>(label);
        ValueGetter<ReadOnlyMemory<char>>? getClipId = clipId is null ? null : cursor.GetGetter<ReadOnlyMemory<char>>(clipId.Value);
        ValueGetter<int>? getDraw = draw is null ? null : cursor.GetGetter<int>(draw.Value);
        VBuffer<float> buffer = default;
        ReadOnlyMemory<char> idText = default;
        uint value = 0;
        int drawIndex = 0;
        long row = -1;
        while (cursor.MoveNext())
        {
            row++;
            getLabel(ref value);
            if (value == 0)
            {
                continue;
            }
            getFeatures(ref buffer);
            if (buffer.Length != mels * frames)
            {
                throw new SchemaMismatchException($"row {row} of the {what}: '{Options.FeatureColumnName}' holds {buffer.Length} values; the model expects {mels} x {frames} = {mels * frames}");
            }
            var matrix = new FeatureMatrix(mels, frames);
            buffer.CopyTo(matrix.Data);
            string id = $"{what} row {row}";
            if (getClipId is not null)
            {
                getClipId(ref idText);
                id = idText.ToString();
                getDraw?.Invoke(ref drawIndex);
            }
            items.Add(new FeatureItem(new Clip(id, string.Empty, string.Empty, null, null, null), part, (int)value - 1, drawIndex, matrix));
        }
        if (part == SplitPart.Train && items.Count == 0)
        {
            throw new SchemaMismatchException($"the {what} has no row with a label");
        }
        return items;
    }

    private static IReadOnlyList<string>? LabelNames(DataViewSchema.Column label)
    {
        if (label.Annotations.Schema.GetColumnOrNull("KeyValues") is not { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            return null;
        }
        VBuffer<ReadOnlyMemory<char>> names = default;
        label.Annotations.GetValue("KeyValues", ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }

    private static SchemaShape.Column Find(SchemaShape schema, string name, string role) =>
        schema.FirstOrDefault(c => c.Name == name) is { Name: not null } column
            ? column
            : throw new SchemaMismatchException($"{role} column '{name}' is not in the input (columns: {string.Join(", ", schema.Select(c => c.Name))})");
}
