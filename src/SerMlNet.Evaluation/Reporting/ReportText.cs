using System.Globalization;
using SerMlNet.Evaluation.Metrics;

namespace SerMlNet.Evaluation.Reporting;

/// <summary>Plain-words sentences and number formats of the report. Stateless; thread-safe.</summary>
public static class ReportText
{
    /// <summary>A score to three decimals, e.g. <c>0.812</c>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text (invariant culture).</returns>
    public static string Score(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A signed difference to three decimals with a true minus sign, e.g. <c>+0.041</c>, <c>−0.020</c>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Signed(double value) =>
        // Round first so a tiny negative value prints as 0.000, not −0.000.
        (Math.Round(value, 3) + 0.0).ToString("+0.000;−0.000;0.000", CultureInfo.InvariantCulture);

    /// <summary>An interval as <c>[lower, upper]</c>.</summary>
    /// <param name="interval">The interval.</param>
    /// <param name="signed">Show signs (for differences).</param>
    /// <returns>The text.</returns>
    public static string Interval(ConfidenceInterval interval, bool signed = false) =>
        signed ? $"[{Signed(interval.Lower)}, {Signed(interval.Upper)}]" : $"[{Score(interval.Lower)}, {Score(interval.Upper)}]";

    /// <summary>
    /// Says in plain words what the male − female gap and its 95 % intervals mean: whether each interval includes 0,
    /// and hence whether the test set shows a difference beyond sampling noise.
    /// </summary>
    /// <param name="gap">The gap (male − female).</param>
    /// <param name="bootstrap">How the intervals were computed.</param>
    /// <returns>One paragraph of text (not escaped).</returns>
    public static string GapQualification(GapMetrics gap, BootstrapSettings bootstrap)
    {
        ArgumentNullException.ThrowIfNull(gap);
        ArgumentNullException.ThrowIfNull(bootstrap);
        bool accuracyZero = gap.AccuracyCi95.Contains(0);
        bool f1Zero = gap.MacroF1Ci95.Contains(0);
        string numbers =
            $"Male minus female: accuracy {Signed(gap.Accuracy)} (95 % interval {Signed(gap.AccuracyCi95.Lower)} to {Signed(gap.AccuracyCi95.Upper)}), " +
            $"macro-F1 {Signed(gap.MacroF1)} (95 % interval {Signed(gap.MacroF1Ci95.Lower)} to {Signed(gap.MacroF1Ci95.Upper)}), " +
            $"from {bootstrap.Resamples.ToString("N0", CultureInfo.InvariantCulture)} bootstrap resamples within each gender. ";
        if (accuracyZero && f1Zero)
        {
            return numbers +
                "Both intervals include 0, so this test set shows no reliable difference between male and female speakers: " +
                "a gap of this size could arise from sampling alone. It does not prove the model is unbiased either; a larger test set would narrow the intervals.";
        }
        if (!accuracyZero && !f1Zero && Math.Sign(gap.Accuracy) == Math.Sign(gap.MacroF1))
        {
            return numbers +
                $"Both intervals exclude 0: the model is more accurate on {(gap.Accuracy > 0 ? "male" : "female")} speakers by more than sampling noise explains on a test set of this size. " +
                "With few actors per gender the cause may be the particular voices rather than gender itself.";
        }
        if (!accuracyZero && !f1Zero)
        {
            return numbers +
                "Both intervals exclude 0 but point in opposite directions (accuracy and macro-F1 favour different genders), " +
                "so the difference is in which emotions are recognised rather than a simple advantage for one gender.";
        }
        string which = accuracyZero ? "macro-F1" : "accuracy";
        string other = accuracyZero ? "accuracy" : "macro-F1";
        double value = accuracyZero ? gap.MacroF1 : gap.Accuracy;
        return numbers +
            $"The {which} interval excludes 0 (favouring {(value > 0 ? "male" : "female")} speakers) but the {other} interval includes 0, " +
            "so the evidence for a gender difference is weak and depends on the metric.";
    }
}
