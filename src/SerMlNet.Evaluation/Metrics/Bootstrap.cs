using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.Evaluation.Metrics;

/// <summary>
/// Percentile bootstrap of accuracy and macro-F1 for one group of examples: each replicate draws the group's n
/// examples with replacement and recomputes both metrics. Not thread-safe (owns its generator and buffers).
/// </summary>
internal sealed class Bootstrap
{
    private readonly int[] _truth;
    private readonly int[] _predicted;
    private readonly int _classCount;
    private readonly SeededRandom _random;
    private readonly int[] _counts;

    public Bootstrap(int[] truth, int[] predicted, int classCount, SeededRandom random)
    {
        _truth = truth;
        _predicted = predicted;
        _classCount = classCount;
        _random = random;
        _counts = new int[classCount * classCount];
    }

    /// <summary>Draws <paramref name="resamples"/> replicates.</summary>
    /// <returns>Replicate accuracies and macro-F1s, in draw order, each of length <paramref name="resamples"/>.</returns>
    public (double[] Accuracy, double[] MacroF1) Replicates(int resamples)
    {
        var accuracy = new double[resamples];
        var macroF1 = new double[resamples];
        int n = _truth.Length;
        for (int r = 0; r < resamples; r++)
        {
            Array.Clear(_counts);
            for (int i = 0; i < n; i++)
            {
                int pick = _random.NextInt(n);
                _counts[_truth[pick] * _classCount + _predicted[pick]]++;
            }
            accuracy[r] = CountMetrics.Accuracy(_counts, _classCount, n);
            macroF1[r] = CountMetrics.MacroF1(_counts, _classCount);
        }
        return (accuracy, macroF1);
    }

    /// <summary>The central 95 % percentile interval of replicate values (linear interpolation between order statistics, numpy's default).</summary>
    /// <param name="values">Replicate values; not modified.</param>
    /// <returns>The 2.5th and 97.5th percentiles.</returns>
    public static ConfidenceInterval Percentile95(ReadOnlySpan<double> values)
    {
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        return new ConfidenceInterval(Quantile(sorted, 0.025), Quantile(sorted, 0.975));
    }

    /// <summary>Quantile of sorted values with linear interpolation: position q·(n − 1).</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.Length == 0)
        {
            throw new ArgumentException("no values", nameof(sorted));
        }
        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        double fraction = position - lower;
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
    }
}
