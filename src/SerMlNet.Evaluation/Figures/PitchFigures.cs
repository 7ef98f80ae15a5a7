using System.Globalization;
using ScottPlot;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Evaluation.Pitch;

namespace SerMlNet.Evaluation.Figures;

/// <summary>Which score a pitch-shift figure draws.</summary>
public enum PitchShiftScore
{
    /// <summary>Accuracy.</summary>
    Accuracy,

    /// <summary>Macro-F1.</summary>
    MacroF1,
}

/// <summary>Figures of the pitch audit (<see cref="F0Binning"/>, <see cref="PitchShiftMetrics"/>). Stateless; thread-safe.</summary>
public static class PitchFigures
{
    /// <summary>Accuracy and macro-F1 per equal-count bin of clip median F0, with bootstrap 95 % intervals.</summary>
    /// <param name="binning">The F0 analysis; at least one clip bin.</param>
    /// <returns>The figure.</returns>
    public static Plot ClipF0Bins(F0Binning binning)
    {
        ArgumentNullException.ThrowIfNull(binning);
        return Bins("By clip median F0", "Clip median F0 bin", binning.ClipBins);
    }

    /// <summary>Accuracy and macro-F1 per group of speakers binned by their own median F0, with bootstrap 95 % intervals.</summary>
    /// <param name="binning">The F0 analysis; at least one speaker bin.</param>
    /// <returns>The figure.</returns>
    public static Plot SpeakerF0Bins(F0Binning binning)
    {
        ArgumentNullException.ThrowIfNull(binning);
        return Bins("By speaker median F0", "Speaker median F0 bin", binning.SpeakerBins);
    }

    /// <summary>
    /// A score of the test set re-scored after shifting every clip's pitch, overall and per gender, with bootstrap
    /// 95 % intervals; a dotted line marks the unshifted audio.
    /// </summary>
    /// <param name="shifts">One entry per shift (semitones), at least one.</param>
    /// <param name="score">The score to draw.</param>
    /// <returns>The figure.</returns>
    public static Plot PitchShift(IReadOnlyList<PitchShiftMetrics> shifts, PitchShiftScore score)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        if (shifts.Count == 0)
        {
            throw new ArgumentException("no pitch shifts to draw", nameof(shifts));
        }
        string metric = score == PitchShiftScore.Accuracy ? "Accuracy" : "Macro-F1";
        Func<GroupMetrics, (double Value, ConfidenceInterval Ci)> pick = score == PitchShiftScore.Accuracy
            ? g => (g.Accuracy, g.AccuracyCi95)
            : g => (g.MacroF1, g.MacroF1Ci95);
        List<PitchShiftMetrics> ordered = [.. shifts.OrderBy(s => s.Semitones)];
        Plot plot = FigureStyle.NewPlot($"Robustness to pitch shifts: {(score == PitchShiftScore.Accuracy ? "accuracy" : "macro-F1")}", "Pitch shift (semitones)", $"{metric} (95 % bootstrap interval)");
        plot.Add.VerticalLine(0, 1, Colors.Gray, LinePattern.Dotted).LegendText = "unshifted";
        void Curve(string name, Func<PitchShiftMetrics, GroupMetrics?> group, Color color, double offset)
        {
            var rows = ordered.Where(s => group(s) is not null).ToList();
            if (rows.Count == 0)
            {
                return;
            }
            double[] xs = [.. rows.Select(s => s.Semitones + offset)];
            var values = rows.Select(s => pick(group(s)!)).ToList();
            double[] ys = [.. values.Select(v => v.Value)];
            var line = plot.Add.ScatterLine(xs, ys, color);
            line.LegendText = name;
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.MarkerShape = MarkerShape.FilledCircle;
            var errors = plot.Add.ErrorBar(xs, ys, new double[xs.Length]);
            errors.YErrorPositive = [.. values.Select(v => Math.Max(0, v.Ci.Upper - v.Value))];
            errors.YErrorNegative = [.. values.Select(v => Math.Max(0, v.Value - v.Ci.Lower))];
            errors.Color = color;
        }
        Curve("Overall", s => s.Overall, FigureStyle.Gap, 0);
        Curve("Male", s => s.Male, FigureStyle.Male, -0.08);
        Curve("Female", s => s.Female, FigureStyle.Female, 0.08);
        double[] semitones = [.. ordered.Select(s => s.Semitones)];
        plot.Axes.Bottom.SetTicks(semitones, [.. semitones.Select(s => s.ToString("+0.#;−0.#;0", CultureInfo.InvariantCulture))]);
        plot.Axes.SetLimitsY(0, 1.02);
        plot.ShowLegend(Alignment.LowerCenter);
        return plot;
    }

    private static Plot Bins(string title, string xLabel, IReadOnlyList<F0Bin> bins)
    {
        if (bins.Count == 0)
        {
            throw new ArgumentException("no F0 bins to draw", nameof(bins));
        }
        Plot plot = FigureStyle.NewPlot(title, xLabel, "Score (95 % bootstrap interval)");
        IntervalBars.Draw(plot,
            [.. bins.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.F0MinHz:0}–{b.F0MaxHz:0} Hz\n(n={b.Metrics.N})"))],
            [
                new IntervalSeries("Accuracy", FigureStyle.SeriesColor(0), [.. bins.Select(b => (b.Metrics.Accuracy, b.Metrics.AccuracyCi95))]),
                new IntervalSeries("Macro-F1", FigureStyle.SeriesColor(1), [.. bins.Select(b => (b.Metrics.MacroF1, b.Metrics.MacroF1Ci95))]),
            ]);
        plot.Axes.SetLimitsY(0, 1.12);
        return plot;
    }
}
