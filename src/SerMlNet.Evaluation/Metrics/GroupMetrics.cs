using System.Text.Json.Serialization;

namespace SerMlNet.Evaluation.Metrics;

/// <summary>Accuracy and macro-F1 of one group of examples (a gender, an intensity) with bootstrap 95 % intervals. Immutable.</summary>
/// <param name="N">Number of examples in the group.</param>
/// <param name="Accuracy">Fraction of the group classified correctly.</param>
/// <param name="AccuracyCi95">Bootstrap 95 % percentile interval of <paramref name="Accuracy"/> (resampling within the group).</param>
/// <param name="MacroF1">Macro-F1 over the labels present in the group's truth or predictions.</param>
/// <param name="MacroF1Ci95">Bootstrap 95 % percentile interval of <paramref name="MacroF1"/>.</param>
public sealed record GroupMetrics(
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("accuracy_ci95")] ConfidenceInterval AccuracyCi95,
    [property: JsonPropertyName("macro_f1")] double MacroF1,
    [property: JsonPropertyName("macro_f1_ci95")] ConfidenceInterval MacroF1Ci95);

/// <summary>Difference of two groups' metrics (first minus second; for gender, male − female) with bootstrap 95 % intervals. Immutable.</summary>
/// <param name="Accuracy">Accuracy difference; positive means the first group is classified more accurately.</param>
/// <param name="AccuracyCi95">Bootstrap 95 % percentile interval of the accuracy difference, each group resampled on its own.</param>
/// <param name="MacroF1">Macro-F1 difference.</param>
/// <param name="MacroF1Ci95">Bootstrap 95 % percentile interval of the macro-F1 difference.</param>
public sealed record GapMetrics(
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("accuracy_ci95")] ConfidenceInterval AccuracyCi95,
    [property: JsonPropertyName("macro_f1")] double MacroF1,
    [property: JsonPropertyName("macro_f1_ci95")] ConfidenceInterval MacroF1Ci95);

/// <summary>Male versus female speakers: each group's metrics and the gap (male − female). Immutable.</summary>
/// <param name="Male">Metrics over male speakers, or null when there are none.</param>
/// <param name="Female">Metrics over female speakers, or null when there are none.</param>
/// <param name="Gap">Male − female differences, or null unless both groups are present.</param>
public sealed record GenderComparison(
    [property: JsonPropertyName("male")] GroupMetrics? Male,
    [property: JsonPropertyName("female")] GroupMetrics? Female,
    [property: JsonPropertyName("gap")] GapMetrics? Gap);

/// <summary>How the bootstrap intervals were computed. Immutable.</summary>
/// <param name="Resamples">Number of bootstrap replicates.</param>
/// <param name="Seed">Seed of the resampling generator; same seed and data give the same intervals.</param>
/// <param name="Confidence">Coverage of the intervals (always 0.95).</param>
/// <param name="Method">Interval method (always <c>percentile</c>).</param>
public sealed record BootstrapSettings(
    [property: JsonPropertyName("resamples")] int Resamples,
    [property: JsonPropertyName("seed")] long Seed,
    [property: JsonPropertyName("confidence")] double Confidence,
    [property: JsonPropertyName("method")] string Method);
