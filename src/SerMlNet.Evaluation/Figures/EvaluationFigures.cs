using System.Globalization;
using ScottPlot;
using SerMlNet.Evaluation.Metrics;

namespace SerMlNet.Evaluation.Figures;

/// <summary>
/// Figures of test-set metrics (<see cref="EvaluationResult"/>): confusion matrix, F1 per emotion, and the gender and
/// intensity audits with bootstrap 95 % intervals. Stateless; thread-safe.
/// </summary>
public static class EvaluationFigures
{
    /// <summary>
    /// The row-normalised confusion matrix drawn as cells (true emotion per row, predicted per column), white at 0 and
    /// dark blue at 1, each non-empty cell giving its share and clip count.
    /// </summary>
    /// <param name="result">The metrics.</param>
    /// <returns>The figure.</returns>
    public static Plot Confusion(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ConfusionSummary confusion = result.Confusion;
        int k = confusion.Labels.Count;
        Plot plot = FigureStyle.NewPlot("Confusion matrix (row-normalised)", "Predicted emotion", "True emotion");
        var blues = new ScottPlot.Colormaps.Blues(); // 0 is dark: 1 − share puts white at 0 and dark blue at 1
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double share = confusion.Normalised[i][j];
                double y = k - 1 - i;
                var cell = plot.Add.Rectangle(j - 0.5, j + 0.5, y - 0.5, y + 0.5);
                cell.FillColor = blues.GetColor(1 - share);
                cell.LineColor = Colors.White;
                cell.LineWidth = 1;
                if (confusion.Counts[i][j] > 0)
                {
                    // Empty cells stay blank so the confusions that do occur stand out.
                    var text = plot.Add.Text(string.Create(CultureInfo.InvariantCulture, $"{share * 100:0}%\n{confusion.Counts[i][j]}"), j, y);
                    text.Alignment = Alignment.MiddleCenter;
                    text.LabelFontSize = 11;
                    text.LabelFontName = FigureStyle.FontName;
                    text.LabelFontColor = share > 0.5 ? Colors.White : Colors.Black;
                }
            }
        }
        FigureStyle.CategoryTicks(plot, confusion.Labels, rotate: true);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, k).Select(i => (double)(k - 1 - i))], [.. confusion.Labels]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        plot.HideGrid();
        return plot;
    }

    /// <summary>Test-set F1 of each emotion (with its support), the macro-F1 as a dashed line.</summary>
    /// <param name="result">The metrics.</param>
    /// <returns>The figure.</returns>
    public static Plot PerClassF1(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Plot plot = FigureStyle.NewPlot("F1 per emotion", string.Empty, "F1");
        var bars = result.PerClass.Select((c, i) => new Bar
        {
            Position = i,
            Value = c.F1,
            FillColor = FigureStyle.Train,
            LineWidth = 0,
            Label = c.F1.ToString("0.00", CultureInfo.InvariantCulture),
        }).ToList();
        plot.Add.Bars(bars).ValueLabelStyle.FontSize = 11;
        var reference = plot.Add.HorizontalLine(result.MacroF1, 1.5f, FigureStyle.Gap, LinePattern.Dashed);
        reference.LegendText = string.Create(CultureInfo.InvariantCulture, $"macro-F1 {result.MacroF1:0.000}");
        FigureStyle.CategoryTicks(plot, [.. result.PerClass.Select(c => $"{c.Label} (n={c.Support})")], rotate: true);
        plot.Axes.SetLimitsY(0, 1.22);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>Accuracy and macro-F1 of male and female speakers with bootstrap 95 % intervals.</summary>
    /// <param name="gender">The comparison; at least one gender present.</param>
    /// <returns>The figure.</returns>
    public static Plot GenderGroups(GenderComparison gender)
    {
        ArgumentNullException.ThrowIfNull(gender);
        var series = new List<IntervalSeries>();
        if (gender.Male is { } male)
        {
            series.Add(new IntervalSeries($"Male (n={male.N})", FigureStyle.Male, IntervalBars.Scores(male)));
        }
        if (gender.Female is { } female)
        {
            series.Add(new IntervalSeries($"Female (n={female.N})", FigureStyle.Female, IntervalBars.Scores(female)));
        }
        Plot plot = FigureStyle.NewPlot("Male vs female speakers", string.Empty, "Score (95 % bootstrap interval)");
        IntervalBars.Draw(plot, ["Accuracy", "Macro-F1"], series);
        plot.Axes.SetLimitsY(0, 1.12);
        return plot;
    }

    /// <summary>The difference male − female in accuracy and macro-F1 with bootstrap 95 % intervals; a dashed line at no gap.</summary>
    /// <param name="gap">The gap.</param>
    /// <returns>The figure.</returns>
    public static Plot GenderGap(GapMetrics gap)
    {
        ArgumentNullException.ThrowIfNull(gap);
        Plot plot = FigureStyle.NewPlot("Gap (male − female)", string.Empty, "Difference (95 % bootstrap interval)");
        IntervalBars.Draw(plot, ["Accuracy", "Macro-F1"],
            [new IntervalSeries("Male − female", FigureStyle.Gap, [(gap.Accuracy, gap.AccuracyCi95), (gap.MacroF1, gap.MacroF1Ci95)])]);
        plot.Add.HorizontalLine(0, 1, Colors.Black, LinePattern.Dashed).LegendText = "no gap";
        double reach = new[] { gap.AccuracyCi95.Lower, gap.AccuracyCi95.Upper, gap.MacroF1Ci95.Lower, gap.MacroF1Ci95.Upper }
            .Select(Math.Abs).Where(double.IsFinite).DefaultIfEmpty(0.1).Max();
        plot.Axes.SetLimitsY(-reach * 1.3, reach * 1.3);
        return plot;
    }

    /// <summary>Accuracy and macro-F1 for each emotional intensity with bootstrap 95 % intervals.</summary>
    /// <param name="byIntensity">Metrics per intensity (e.g. normal, strong); at least one.</param>
    /// <returns>The figure.</returns>
    public static Plot Intensity(IReadOnlyDictionary<string, GroupMetrics> byIntensity)
    {
        ArgumentNullException.ThrowIfNull(byIntensity);
        Plot plot = FigureStyle.NewPlot("Scores by emotional intensity", string.Empty, "Score (95 % bootstrap interval)");
        IntervalBars.Draw(plot, ["Accuracy", "Macro-F1"], [.. byIntensity.Select((pair, i) => new IntervalSeries(
            $"{pair.Key} (n={pair.Value.N})",
            i switch { 0 => FigureStyle.Normal, 1 => FigureStyle.Strong, _ => FigureStyle.SeriesColor(i + 4) },
            IntervalBars.Scores(pair.Value)))]);
        plot.Axes.SetLimitsY(0, 1.12);
        return plot;
    }
}
