using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Onnx;
using SchemaMismatchException = SerMlNet.Pipeline.Features.SchemaMismatchException;
using SerMlNet.Training.Export;
using SerMlNet.Training.Model;
using SerMlNet.Training.Runs;
using static TorchSharp.torch;

namespace SerMlNet.Training.MlNet;

/// <summary>
/// A trained <see cref="SerCnn"/> as an ML.NET transformer (what <see cref="SerCnnTrainer.Fit"/> returns): it adds
/// <c>Score</c> (a known-size vector of <see cref="SerCnnOptions.ClassCount"/> float probabilities, softmax of the
/// network's logits, in label-key order) and <c>PredictedLabel</c> (a key with the training label's key values, the
/// arg-max of <c>Score</c>) and passes every input column through. Rows are scored one at a time on the CPU, lazily as
/// a cursor moves. Its weights go to the ONNX exporter through <see cref="Describe"/> or <see cref="SaveWeights"/>; the
/// inference path (Predict, Serving) runs that ONNX model and never this transformer. A seed ensemble
/// (<see cref="TrainerOptions.EnsembleSeeds"/>) holds one network per seed and scores the mean of their probabilities,
/// as its ONNX export does. Thread-safe (the networks run under a lock); dispose it to free their native tensors.
/// </summary>
public sealed class SerCnnTransformer : ITransformer, IDisposable
{
    private readonly IReadOnlyList<SerCnn> _models;
    private readonly ITransformer _scoring;
    private readonly Lock _gate = new();
    private bool _disposed;

    internal SerCnnTransformer(MLContext mlContext, SerCnnTrainerOptions options, IReadOnlyList<SerCnn> models, IReadOnlyList<string>? labelNames, IReadOnlyList<TrainingResult> training)
    {
        Options = options;
        _models = models;
        LabelNames = labelNames;
        MemberTraining = training;
        _scoring = SerCnnScoring.Fitted(mlContext, options.FeatureColumnName, models[0].Options.ClassCount, labelNames, Score);
    }

    /// <summary>The options the model was trained with (input column names, network, training loop).</summary>
    public SerCnnTrainerOptions Options { get; }

    /// <summary>The network's options (input size, classes).</summary>
    public SerCnnOptions ModelOptions => _models[0].Options;

    /// <summary>Networks scored: 1, or the seed ensemble's size (1 + <see cref="TrainerOptions.EnsembleSeeds"/>).</summary>
    public int NetworkCount => _models.Count;

    /// <summary>The training label's key values in key order (the order of <c>Score</c>), or null when the label
    /// column had none.</summary>
    public IReadOnlyList<string>? LabelNames { get; }

    /// <summary>The training curves, best epoch and timing (of a seed ensemble: the first network's curves and epochs,
    /// the seconds of all).</summary>
    public TrainingResult Training => MemberTraining[0] with { Seconds = MemberTraining.Sum(t => t.Seconds) };

    /// <summary>Each network's training result, in seed order (<see cref="TrainerOptions.Seed"/> first).</summary>
    public IReadOnlyList<TrainingResult> MemberTraining { get; }

    /// <summary>Always true: the transformer maps row to row.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The output schema for an input schema: the input columns plus <c>Score</c> and <c>PredictedLabel</c>.</summary>
    /// <param name="inputSchema">Must hold the feature column: a float vector of <see cref="SerCnnOptions.InputMels"/>
    /// × <see cref="SerCnnOptions.InputFrames"/> values (or of unknown size).</param>
    /// <returns>The schema, without reading any row.</returns>
    /// <exception cref="SchemaMismatchException">The feature column is missing or of another type or size.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SerCnnTrainer.CheckFeatures(inputSchema, Options.FeatureColumnName, ModelOptions);
        return _scoring.GetOutputSchema(inputSchema);
    }

    /// <summary>Adds <c>Score</c> and <c>PredictedLabel</c> to a data view (lazily: rows are scored when read).</summary>
    /// <param name="input">Data with the feature column.</param>
    /// <returns>The scored view.</returns>
    /// <exception cref="SchemaMismatchException">The feature column is missing or of another type or size; or, when a
    /// row is read, a variable-size feature vector of the wrong length.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(input.Schema);
        return _scoring.Transform(input);
    }

    /// <summary>A row-to-row mapper for an input schema (ML.NET's prediction engine uses it).</summary>
    /// <param name="inputSchema">The input schema.</param>
    /// <returns>The mapper.</returns>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        GetOutputSchema(inputSchema);
        return _scoring.GetRowToRowMapper(inputSchema);
    }

    /// <summary>Not supported: ML.NET's <c>ModelSaveContext</c> members are internal (dotnet/machinelearning issue
    /// 4911). Export the network to ONNX (<see cref="Describe"/>) and score it with <c>ApplyOnnxModel</c>, or keep the
    /// weights with <see cref="SaveWeights"/>.</summary>
    /// <param name="ctx">Unused.</param>
    /// <exception cref="SerCnnSaveException">Always.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new SerCnnSaveException("the CNN transformer cannot be saved with mlContext.Model.Save; export it to ONNX (SerCnnTransformer.Describe) and score it with ApplyOnnxModel, or save its weights with SaveWeights");

    /// <summary>The ONNX layer description of the trained network (the exporter's input), in evaluation semantics.</summary>
    /// <returns>The description, input [N, 1, InputMels, InputFrames].</returns>
    /// <exception cref="InvalidOperationException">A seed ensemble: use <see cref="DescribeNetworks"/>.</exception>
    public CnnDescription Describe() => _models.Count == 1
        ? DescribeNetworks()[0]
        : throw new InvalidOperationException($"this transformer is a seed ensemble of {_models.Count} networks: DescribeNetworks() describes each (OnnxExporter.Export writes them as one model)");

    /// <summary>The ONNX layer description of every network, in seed order: what <c>OnnxExporter.Export</c> writes as
    /// one model (a seed ensemble's members side by side, probabilities averaged).</summary>
    /// <returns>One description per network.</returns>
    public IReadOnlyList<CnnDescription> DescribeNetworks()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return [.. _models.Select(SerCnnExport.Describe)];
        }
    }

    /// <summary>Writes one network's weights (format <c>sermlnet.weights</c>, like a run's <c>best.ckpt</c>) atomically.</summary>
    /// <param name="path">Destination file.</param>
    /// <param name="network">Which network, 0-based in seed order; default 0 (the only one unless this is a seed ensemble).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="network"/> is not below <see cref="NetworkCount"/>.</exception>
    public void SaveWeights(string path, int network = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(network);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(network, _models.Count);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ModelWeights.Save(_models[network], path);
        }
    }

    /// <summary>Frees the network's native tensors; scoring afterwards throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                foreach (SerCnn model in _models)
                {
                    model.Dispose();
                }
            }
        }
    }

    private void Score(SerCnnScoring.FeatureRow input, SerCnnScoring.ScoreRow output)
    {
        int mels = ModelOptions.InputMels, frames = ModelOptions.InputFrames;
        if (input.Features.Length != mels * frames)
        {
            throw new SchemaMismatchException($"column '{Options.FeatureColumnName}' holds {input.Features.Length} values; the model expects {mels} x {frames} = {mels * frames}");
        }
        int classes = ModelOptions.ClassCount;
        float[] probabilities = new float[classes];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using (no_grad())
            using (NewDisposeScope())
            {
                // The mean of the networks' probabilities (one network: its own), as the exported ensemble computes it.
                Tensor x = tensor(input.Features, [1, 1, mels, frames]);
                Tensor sum = nn.functional.softmax(_models[0].forward(x), 1);
                for (int m = 1; m < _models.Count; m++)
                {
                    sum = sum + nn.functional.softmax(_models[m].forward(x), 1);
                }
                (_models.Count == 1 ? sum : sum / _models.Count).data<float>().CopyTo(probabilities);
            }
        }
        output.Score = probabilities;
        output.PredictedLabel = (uint)Trainer.ArgMax(probabilities);
    }
}
