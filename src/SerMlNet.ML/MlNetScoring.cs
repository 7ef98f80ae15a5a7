using Microsoft.ML;
using Microsoft.ML.Data;

namespace SerMlNet.ML;

/// <summary>
/// Scores an exported <c>model.onnx</c> (log-Mel input <c>[N, 1, NMels, Frames]</c>) inside an ML.NET pipeline with
/// <c>mlContext.Transforms.ApplyOnnxModel</c>, one row per input: the ML.NET way to run the network, measured against
/// our own <c>OnnxModel</c> by <see cref="MlNetComparison"/>. Stateless; thread-safe (each call builds its pipeline).
/// </summary>
public static class MlNetScoring
{
    /// <summary>Name of the input column (the model's input name).</summary>
    public const string InputColumn = "log_mel";

    /// <summary>Name of the output column read back (the model's softmax output).</summary>
    public const string OutputColumn = "probabilities";

    /// <summary>Runs the model on every input through <c>ApplyOnnxModel</c>.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="modelPath">A SerMlNet <c>model.onnx</c> (log-Mel input).</param>
    /// <param name="inputs">Network inputs, each <c>nMels × frames</c> normalised log-Mel values, row-major.</param>
    /// <param name="nMels">Mel bands of the input.</param>
    /// <param name="frames">Frames of the input.</param>
    /// <returns>One probability vector per input, in order.</returns>
    public static IReadOnlyList<float[]> Score(MLContext mlContext, string modelPath, IReadOnlyList<float[]> inputs, int nMels, int frames)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nMels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        int size = nMels * frames;
        var schema = SchemaDefinition.Create(typeof(InputRow));
        schema[nameof(InputRow.Values)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        schema[nameof(InputRow.Values)].ColumnName = InputColumn;
        IDataView data = mlContext.Data.LoadFromEnumerable(inputs.Select(v => v.Length == size
            ? new InputRow { Values = v }
            : throw new ArgumentException($"an input holds {v.Length} values, not {nMels} x {frames}", nameof(inputs))), schema);
        var pipeline = mlContext.Transforms.ApplyOnnxModel(
            outputColumnNames: [OutputColumn],
            inputColumnNames: [InputColumn],
            modelFile: modelPath,
            shapeDictionary: new Dictionary<string, int[]> { [InputColumn] = [1, 1, nMels, frames] },
            gpuDeviceId: null,
            fallbackToCpu: false);
        IDataView scored = pipeline.Fit(data).Transform(data);
        var results = new List<float[]>(inputs.Count);
        using DataViewRowCursor cursor = scored.GetRowCursor([scored.Schema[OutputColumn]]);
        ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(scored.Schema[OutputColumn]);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            results.Add(buffer.DenseValues().ToArray());
        }
        return results;
    }

    private sealed class InputRow
    {
        public float[] Values { get; set; } = [];
    }
}
