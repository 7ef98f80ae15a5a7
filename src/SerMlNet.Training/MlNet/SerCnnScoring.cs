using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace SerMlNet.Training.MlNet;

/// <summary>
/// The scoring columns a fitted <see cref="SerCnnTransformer"/> adds, as an ML.NET <c>CustomMapping</c>: <c>Score</c>, a
/// known-size vector of <c>classCount</c> probabilities in label-key order, and <c>PredictedLabel</c>, a key with
/// <c>classCount</c> values carrying the training label's key values (<c>KeyValues</c> annotation; also the
/// <c>SlotNames</c> of <c>Score</c>). Building the mapping needs no data, so the output schema is known before data
/// flows. Thread-safe.
/// </summary>
internal static class SerCnnScoring
{
    /// <summary>Name of the probabilities column (ML.NET's default).</summary>
    public const string ScoreColumnName = "Score";

    /// <summary>Name of the predicted-label column (ML.NET's default).</summary>
    public const string PredictedLabelColumnName = "PredictedLabel";

    /// <summary>The mapping from the feature column to <c>Score</c> and <c>PredictedLabel</c>.</summary>
    /// <param name="mlContext">The context the mapping lives in.</param>
    /// <param name="featureColumnName">The input feature column (a float vector).</param>
    /// <param name="classCount">Number of classes.</param>
    /// <param name="labelNames">The label's key values in key order, or null when the label has none.</param>
    /// <param name="score">Fills <see cref="ScoreRow"/> from <see cref="FeatureRow"/>; may run on several cursors at once.</param>
    /// <returns>The estimator; its <c>Fit</c> needs no rows.</returns>
    public static CustomMappingEstimator<FeatureRow, ScoreRow> Mapping(MLContext mlContext, string featureColumnName, int classCount, IReadOnlyList<string>? labelNames, Action<FeatureRow, ScoreRow> score)
    {
        SchemaDefinition input = InputDefinition(featureColumnName);
        var output = SchemaDefinition.Create(typeof(ScoreRow));
        SchemaDefinition.Column scoreColumn = output[nameof(ScoreRow.Score)];
        SchemaDefinition.Column predicted = output[nameof(ScoreRow.PredictedLabel)];
        scoreColumn.ColumnType = new VectorDataViewType(NumberDataViewType.Single, classCount);
        predicted.ColumnType = new KeyDataViewType(typeof(uint), classCount);
        if (labelNames is not null)
        {
            var names = new VBuffer<ReadOnlyMemory<char>>(classCount, [.. labelNames.Select(n => n.AsMemory())]);
            var namesType = new VectorDataViewType(TextDataViewType.Instance, classCount);
            predicted.AddAnnotation("KeyValues", names, namesType);
            scoreColumn.AddAnnotation("SlotNames", names, namesType);
        }
        return mlContext.Transforms.CustomMapping(score, contractName: null, input, output);
    }

    /// <summary>The fitted mapping (fitting reads no rows).</summary>
    /// <inheritdoc cref="Mapping"/>
    public static ITransformer Fitted(MLContext mlContext, string featureColumnName, int classCount, IReadOnlyList<string>? labelNames, Action<FeatureRow, ScoreRow> score) =>
        Mapping(mlContext, featureColumnName, classCount, labelNames, score)
            .Fit(mlContext.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), InputDefinition(featureColumnName)));

    private static SchemaDefinition InputDefinition(string featureColumnName)
    {
        var input = SchemaDefinition.Create(typeof(FeatureRow));
        input[nameof(FeatureRow.Features)].ColumnName = featureColumnName;
        return input;
    }

    /// <summary>The input row of the mapping.</summary>
    internal sealed class FeatureRow
    {
        /// <summary>One example's features, row-major [mels, frames].</summary>
        public float[] Features { get; set; } = [];
    }

    /// <summary>The output row of the mapping.</summary>
    internal sealed class ScoreRow
    {
        /// <summary>Class probabilities in label-key order.</summary>
        public float[] Score { get; set; } = [];

        /// <summary>0-based index of the most probable class (ML.NET exposes it as key value index + 1).</summary>
        public uint PredictedLabel { get; set; }
    }
}
