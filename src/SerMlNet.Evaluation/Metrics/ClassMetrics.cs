using System.Text.Json.Serialization;

namespace SerMlNet.Evaluation.Metrics;

/// <summary>Precision, recall, F1 and support of one class (scikit-learn's definitions, zero_division = 0). Immutable.</summary>
/// <param name="Label">Class label.</param>
/// <param name="Precision">TP / (TP + FP); 0 when the class was never predicted.</param>
/// <param name="Recall">TP / (TP + FN); 0 when the class has no examples.</param>
/// <param name="F1">Harmonic mean of precision and recall; 0 when both are 0.</param>
/// <param name="Support">Number of examples whose true class is this one.</param>
public sealed record ClassMetrics(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("precision")] double Precision,
    [property: JsonPropertyName("recall")] double Recall,
    [property: JsonPropertyName("f1")] double F1,
    [property: JsonPropertyName("support")] long Support);
