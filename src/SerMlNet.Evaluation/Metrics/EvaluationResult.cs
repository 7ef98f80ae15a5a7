using System.Text.Json.Serialization;

namespace SerMlNet.Evaluation.Metrics;

/// <summary>
/// Everything <see cref="Evaluator"/> measures on one set of predictions; the content of <c>metrics.json</c>
/// (<see cref="MetricsJson"/>, keys documented in <c>docs/metrics-json.md</c>). Immutable; thread-safe.
/// </summary>
public sealed record EvaluationResult
{
    /// <summary>Free-form description of the model (e.g. <c>path</c>, <c>sha256</c>, <c>pipeline</c>); empty by default.</summary>
    [JsonPropertyName("model")]
    public IReadOnlyDictionary<string, string> Model { get; init; } = new Dictionary<string, string>();

    /// <summary>Free-form description of the evaluated data (e.g. <c>path</c>, <c>split</c>); empty by default.</summary>
    [JsonPropertyName("data")]
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();

    /// <summary>Number of evaluated examples.</summary>
    [JsonPropertyName("n")]
    public required int N { get; init; }

    /// <summary>Fraction of examples classified correctly, in [0, 1].</summary>
    [JsonPropertyName("accuracy")]
    public required double Accuracy { get; init; }

    /// <summary>Bootstrap 95 % percentile interval of <see cref="Accuracy"/> (examples resampled with replacement).</summary>
    [JsonPropertyName("accuracy_ci95")]
    public required ConfidenceInterval AccuracyCi95 { get; init; }

    /// <summary>Unweighted mean of per-class F1 over the labels present in the truth or the predictions.</summary>
    [JsonPropertyName("macro_f1")]
    public required double MacroF1 { get; init; }

    /// <summary>Bootstrap 95 % percentile interval of <see cref="MacroF1"/> (examples resampled with replacement).</summary>
    [JsonPropertyName("macro_f1_ci95")]
    public required ConfidenceInterval MacroF1Ci95 { get; init; }

    /// <summary>Mean of per-class F1 weighted by support.</summary>
    [JsonPropertyName("weighted_f1")]
    public required double WeightedF1 { get; init; }

    /// <summary>Per-class precision, recall, F1 and support, one entry per label in label order (absent classes included, all zero).</summary>
    [JsonPropertyName("per_class")]
    public required IReadOnlyList<ClassMetrics> PerClass { get; init; }

    /// <summary>The confusion matrix, counts and row-normalised.</summary>
    [JsonPropertyName("confusion")]
    public required ConfusionSummary Confusion { get; init; }

    /// <summary>Male versus female comparison over the examples whose gender is known.</summary>
    [JsonPropertyName("by_gender")]
    public required GenderComparison ByGender { get; init; }

    /// <summary>
    /// Metrics per intensity value over the examples whose intensity is known, keyed by the value; <c>normal</c> and
    /// <c>strong</c> come first, other values follow in ordinal order.
    /// </summary>
    [JsonPropertyName("by_intensity")]
    public required IReadOnlyDictionary<string, GroupMetrics> ByIntensity { get; init; }

    /// <summary>Accuracy and macro-F1 by median F0 of clips and of speakers (<c>ser evaluate</c> computes it by default); null when not computed (older files).</summary>
    [JsonPropertyName("by_f0")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Pitch.F0Binning? ByF0 { get; init; }

    /// <summary>The clips re-scored after pitch shifts, 0 (unshifted) first then ascending; null unless requested (<c>ser evaluate --pitch-shifts</c>).</summary>
    [JsonPropertyName("pitch_shift")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Pitch.PitchShiftMetrics>? PitchShift { get; init; }

    /// <summary>How the intervals were computed.</summary>
    [JsonPropertyName("bootstrap")]
    public required BootstrapSettings Bootstrap { get; init; }

    /// <summary>Class labels in class-index order (the confusion matrix's labels).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Labels => Confusion.Labels;
}
