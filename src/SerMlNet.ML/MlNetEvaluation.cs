using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Evaluation.Metrics;

namespace SerMlNet.ML;

/// <summary>
/// ML.NET's multiclass evaluator (<c>mlContext.MulticlassClassification.Evaluate</c>) over our predictions: micro and
/// macro accuracy, log-loss and the confusion matrix, for comparison with our <see cref="Evaluator"/> (which adds
/// macro-F1, bootstrap intervals and the audits on top). Stateless; thread-safe.
/// </summary>
public static class MlNetEvaluation
{
    /// <summary>Evaluates predictions with ML.NET.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="classCount">Number of classes; the predictions' class indices are in [0, classCount).</param>
    /// <param name="predictions">The predictions (true class, predicted class, probabilities in class order).</param>
    /// <returns>ML.NET's metrics.</returns>
    public static MulticlassClassificationMetrics Evaluate(MLContext mlContext, int classCount, IReadOnlyList<Prediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        var schema = SchemaDefinition.Create(typeof(ScoredRow));
        // Class indices as key columns. LoadFromEnumerable takes a key column's uint values as 0-based indices here
        // (the known-confusion test pins this: 1-based values shift every class by one and drop the last).
        var key = new KeyDataViewType(typeof(uint), classCount);
        schema[nameof(ScoredRow.Label)].ColumnType = key;
        schema[nameof(ScoredRow.PredictedLabel)].ColumnType = key;
        schema[nameof(ScoredRow.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, classCount);
        IDataView data = mlContext.Data.LoadFromEnumerable(predictions.Select(p => new ScoredRow
        {
            Label = (uint)p.TrueClass,
            PredictedLabel = (uint)p.PredictedClass,
            Score = p.Probabilities,
        }), schema);
        return mlContext.MulticlassClassification.Evaluate(data, nameof(ScoredRow.Label), nameof(ScoredRow.Score), nameof(ScoredRow.PredictedLabel));
    }

    private sealed class ScoredRow
    {
        public uint Label { get; set; }

        public uint PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];
    }
}
