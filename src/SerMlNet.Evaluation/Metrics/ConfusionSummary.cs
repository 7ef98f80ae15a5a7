using System.Text.Json.Serialization;

namespace SerMlNet.Evaluation.Metrics;

/// <summary>A confusion matrix as plain arrays: rows are true classes, columns predicted classes, both in <see cref="Labels"/> order. Immutable by convention.</summary>
/// <param name="Labels">Class labels (row and column order).</param>
/// <param name="Counts">Example counts, <c>[true][predicted]</c>, shape [K][K].</param>
/// <param name="Normalised">Counts divided by their row sum (each non-empty row sums to 1; an empty row is all 0), shape [K][K].</param>
public sealed record ConfusionSummary(
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("counts")] long[][] Counts,
    [property: JsonPropertyName("normalised")] double[][] Normalised)
{
    /// <summary>Summarises a filled matrix.</summary>
    /// <param name="labels">Class labels, one per class of <paramref name="matrix"/>.</param>
    /// <param name="matrix">The matrix.</param>
    /// <returns>The summary.</returns>
    public static ConfusionSummary From(IReadOnlyList<string> labels, ConfusionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(matrix);
        if (labels.Count != matrix.ClassCount)
        {
            throw new ArgumentException($"{labels.Count} labels for a {matrix.ClassCount}-class matrix", nameof(labels));
        }
        return new ConfusionSummary(labels.ToArray(), matrix.ToCounts(), matrix.ToRowNormalised());
    }
}
