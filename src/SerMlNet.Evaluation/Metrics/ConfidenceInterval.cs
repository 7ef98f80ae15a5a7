using System.Text.Json.Serialization;

namespace SerMlNet.Evaluation.Metrics;

/// <summary>A two-sided interval [<see cref="Lower"/>, <see cref="Upper"/>], here a bootstrap 95 % percentile interval. Immutable.</summary>
/// <param name="Lower">Lower bound (the 2.5th percentile of the bootstrap replicates).</param>
/// <param name="Upper">Upper bound (the 97.5th percentile), at least <paramref name="Lower"/>.</param>
public readonly record struct ConfidenceInterval(
    [property: JsonPropertyName("lower")] double Lower,
    [property: JsonPropertyName("upper")] double Upper)
{
    /// <summary>Width of the interval, <c>Upper − Lower</c>.</summary>
    [JsonIgnore]
    public double Width => Upper - Lower;

    /// <summary>Whether <paramref name="value"/> lies inside the closed interval.</summary>
    /// <param name="value">The value.</param>
    /// <returns>True when <c>Lower ≤ value ≤ Upper</c>.</returns>
    public bool Contains(double value) => value >= Lower && value <= Upper;
}
