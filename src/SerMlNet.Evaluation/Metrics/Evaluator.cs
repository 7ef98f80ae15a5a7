using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.Evaluation.Metrics;

/// <summary>
/// Computes an <see cref="EvaluationResult"/> from per-example predictions: accuracy, macro- and weighted F1,
/// per-class metrics, the confusion matrix, male-versus-female metrics with their gap, metrics by intensity, and
/// seeded bootstrap 95 % percentile intervals (the whole set resampled for macro-F1; each gender or intensity group
/// resampled within itself, so the gap's interval reflects both groups' sampling noise). Stateless apart from its
/// options, so thread-safe.
/// </summary>
public sealed class Evaluator
{
    /// <summary>The intensity values listed first in <see cref="EvaluationResult.ByIntensity"/>, in this order.</summary>
    private static readonly string[] KnownIntensities = ["normal", "strong"];

    /// <summary>Creates an evaluator.</summary>
    /// <param name="options">Options; defaults when null. Validated here.</param>
    public Evaluator(EvaluatorOptions? options = null)
    {
        Options = options ?? new EvaluatorOptions();
        Options.Validate();
    }

    /// <summary>The options in use.</summary>
    public EvaluatorOptions Options { get; }

    /// <summary>Evaluates predictions.</summary>
    /// <param name="labels">Class labels in class-index order (at least 2, unique).</param>
    /// <param name="predictions">At least one prediction; class indices index <paramref name="labels"/> and each has one probability per label.</param>
    /// <returns>The metrics; <see cref="EvaluationResult.Model"/> and <see cref="EvaluationResult.Data"/> are empty (set them with <c>with</c>).</returns>
    /// <exception cref="ArgumentException">Bad labels or predictions; up to five offending predictions are named.</exception>
    public EvaluationResult Evaluate(IReadOnlyList<string> labels, IReadOnlyList<Prediction> predictions)
    {
        Validate(labels, predictions);
        int k = labels.Count;
        int n = predictions.Count;
        var truth = new int[n];
        var predicted = new int[n];
        for (int i = 0; i < n; i++)
        {
            truth[i] = predictions[i].TrueClass;
            predicted[i] = predictions[i].PredictedClass;
        }
        var matrix = ConfusionMatrix.From(k, truth, predicted);
        var perClass = new ClassMetrics[k];
        for (int c = 0; c < k; c++)
        {
            perClass[c] = new ClassMetrics(labels[c], matrix.Precision(c), matrix.Recall(c), matrix.F1(c), matrix.Support(c));
        }

        int resamples = Options.BootstrapResamples;
        var overall = new Bootstrap(truth, predicted, k, SeededRandom.Derive(Options.Seed, "all", 0)).Replicates(resamples);

        return new EvaluationResult
        {
            N = n,
            Accuracy = matrix.Accuracy,
            AccuracyCi95 = Bootstrap.Percentile95(overall.Accuracy),
            MacroF1 = matrix.MacroF1,
            MacroF1Ci95 = Bootstrap.Percentile95(overall.MacroF1),
            WeightedF1 = matrix.WeightedF1,
            PerClass = perClass,
            Confusion = ConfusionSummary.From(labels, matrix),
            ByGender = CompareGenders(predictions, k),
            ByIntensity = ByIntensity(predictions, k),
            Bootstrap = new BootstrapSettings(resamples, Options.Seed, 0.95, "percentile"),
        };
    }

    private GenderComparison CompareGenders(IReadOnlyList<Prediction> predictions, int k)
    {
        var male = ScoreGroup(predictions, p => p.Gender == Gender.Male, k, "gender:male");
        var female = ScoreGroup(predictions, p => p.Gender == Gender.Female, k, "gender:female");
        GapMetrics? gap = male is { } m && female is { } f ? GroupScoring.Gap(m.Metrics, f.Metrics, m.Draws, f.Draws) : null;
        return new GenderComparison(male?.Metrics, female?.Metrics, gap);
    }

    private Dictionary<string, GroupMetrics> ByIntensity(IReadOnlyList<Prediction> predictions, int k)
    {
        var values = predictions.Where(p => p.Intensity is not null).Select(p => p.Intensity!).Distinct(StringComparer.Ordinal).ToList();
        var ordered = KnownIntensities.Where(values.Contains)
            .Concat(values.Where(v => !KnownIntensities.Contains(v)).Order(StringComparer.Ordinal));
        var result = new Dictionary<string, GroupMetrics>(StringComparer.Ordinal);
        foreach (string value in ordered)
        {
            result.Add(value, ScoreGroup(predictions, p => string.Equals(p.Intensity, value, StringComparison.Ordinal), k, "intensity:" + value)!.Value.Metrics);
        }
        return result;
    }

    /// <summary>The group's metrics and replicates (resampled with a generator derived from the seed and <paramref name="key"/>), or null when no prediction is a member.</summary>
    private (GroupMetrics Metrics, (double[] Accuracy, double[] MacroF1) Draws)? ScoreGroup(IReadOnlyList<Prediction> predictions, Func<Prediction, bool> member, int k, string key)
    {
        List<Prediction> members = [.. predictions.Where(member)];
        return members.Count == 0 ? null : GroupScoring.Score(members, k, Options.BootstrapResamples, SeededRandom.Derive(Options.Seed, key, 0));
    }

    private static void Validate(IReadOnlyList<string> labels, IReadOnlyList<Prediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(predictions);
        if (labels.Count < 2)
        {
            throw new ArgumentException($"need at least 2 class labels, got {labels.Count}", nameof(labels));
        }
        if (labels.Distinct(StringComparer.Ordinal).Count() != labels.Count)
        {
            throw new ArgumentException($"class labels are not unique: {string.Join(", ", labels)}", nameof(labels));
        }
        if (predictions.Count == 0)
        {
            throw new ArgumentException("no predictions to evaluate", nameof(predictions));
        }
        int k = labels.Count;
        var errors = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < predictions.Count; i++)
        {
            Prediction? p = predictions[i];
            if (p is null)
            {
                errors.Add($"#{i}: null");
                continue;
            }
            string name = $"#{i} ({p.ClipId})";
            if (p.TrueClass < 0 || p.TrueClass >= k)
            {
                errors.Add($"{name}: true class {p.TrueClass} is outside [0, {k})");
            }
            if (p.PredictedClass < 0 || p.PredictedClass >= k)
            {
                errors.Add($"{name}: predicted class {p.PredictedClass} is outside [0, {k})");
            }
            if (p.Probabilities is null || p.Probabilities.Length != k)
            {
                errors.Add($"{name}: {p.Probabilities?.Length ?? 0} probabilities for {k} classes");
            }
            if (!ids.Add(p.ClipId ?? string.Empty))
            {
                errors.Add($"{name}: clip id appears twice");
            }
        }
        if (errors.Count > 0)
        {
            string more = errors.Count > 5 ? $" (and {errors.Count - 5} more)" : string.Empty;
            throw new ArgumentException($"{errors.Count} invalid prediction(s): {string.Join("; ", errors.Take(5))}{more}", nameof(predictions));
        }
    }
}
