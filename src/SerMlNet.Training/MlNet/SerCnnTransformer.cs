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
/// inference path (Predict, Serving) runs that ONNX model and never this transformer. Thread-safe (the network runs
/// under a lock); dispose it to free the network's native tensors.
/// </summary>
public sealed class SerCnnTransformer : ITransformer, IDisposable
{
    private readonly SerCnn _model;
    private readonly ITransformer _scoring;
    private readonly Lock _gate = new();
    private bool _disposed;

    internal SerCnnTransformer(MLContext mlContext, SerCnnTrainerOptions options, SerCnn model, IReadOnlyList<string>? labelNames, TrainingResult training)
    {
        Options = options;
        _model = model;
        LabelNames = labelNames;
        Training = training;
        _scoring = SerCnnScoring.Fitted(mlContext, options.FeatureColumnName, model.Options.ClassCount, labelNames, Score);
    }

    /// <summary>The options the model was trained with (input column names, network, training loop).</summary>
    public SerCnnTrainerOptions Options { get; }

    /// <summary>The network's options (input size, classes).</summary>
    public SerCnnOptions ModelOptions => _model.Options;

    /// <summary>The training label's key values in key order (the order of <c>Score</c>), or null when the label
    /// column had none.</summary>
    public IReadOnlyList<string>? LabelNames { get; }

    /// <summary>The training curves, best epoch and timing.</summary>
    public TrainingResult Training { get; }

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
        SerCnnTrainer.CheckFeatures(inputSchema, Options.FeatureColumnName, _model.Options);
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
    public CnnDescription Describe()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return SerCnnExport.Describe(_model);
        }
    }

    /// <summary>Writes the network's weights (format <c>sermlnet.weights</c>, like a run's <c>best.ckpt</c>) atomically.</summary>
    /// <param name="path">Destination file.</param>
    public void SaveWeights(string path)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ModelWeights.Save(_model, path);
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
                _model.Dispose();
            }
        }
    }

    private void Score(SerCnnScoring.FeatureRow input, SerCnnScoring.ScoreRow output)
    {
        int mels = _model.Options.InputMels, frames = _model.Options.InputFrames;
        if (input.Features.Length != mels * frames)
        {
            throw new SchemaMismatchException($"column '{Options.FeatureColumnName}' holds {input.Features.Length} values; the model expects {mels} x {frames} = {mels * frames}");
        }
        int classes = _model.Options.ClassCount;
        float[] probabilities = new float[classes];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using (no_grad())
            using (NewDisposeScope())
            {
                Tensor x = tensor(input.Features, [1, 1, mels, frames]);
                nn.functional.softmax(_model.forward(x), 1).data<float>().CopyTo(probabilities);
            }
        }
        output.Score = probabilities;
        output.PredictedLabel = (uint)Trainer.ArgMax(probabilities);
    }
}
