using ScottPlot;
using SerMlNet.Evaluation.Metrics;

namespace SerMlNet.Evaluation.Figures;

/// <summary>One series of <see cref="IntervalBars"/>: a value with its 95 % interval per category.</summary>
internal sealed record IntervalSeries(string Name, Color Color, IReadOnlyList<(double Value, ConfidenceInterval Ci)> Values);

/// <summary>Grouped bars with asymmetric interval whiskers, the shape of every "score with bootstrap interval" figure.</summary>
internal static class IntervalBars
{
    /// <summary>Draws the series side by side within each category (category i centred at x = i).</summary>
    public static void Draw(Plot plot, IReadOnlyList<string> categories, IReadOnlyList<IntervalSeries> series)
    {
        if (categories.Count == 0 || series.Count == 0)
        {
            throw new ArgumentException("an interval chart needs at least one category and one series");
        }
        double width = 0.8 / series.Count;
        var bars = new List<Bar>();
        var xs = new List<double>();
        var ys = new List<double>();
        var up = new List<double>();
        var down = new List<double>();
        for (int s = 0; s < series.Count; s++)
        {
            for (int c = 0; c < categories.Count; c++)
            {
                var (value, ci) = series[s].Values[c];
                double x = c - 0.4 + width * (s + 0.5);
                bars.Add(new Bar
                {
                    Position = x,
                    Value = value,
                    Size = width * 0.9,
                    FillColor = series[s].Color,
                    LineWidth = 0,
                });
                xs.Add(x);
                ys.Add(value);
                up.Add(Math.Max(0, ci.Upper - value));
                down.Add(Math.Max(0, value - ci.Lower));
            }
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Name, FillColor = series[s].Color });
        }
        plot.Add.Bars(bars);
        var errors = plot.Add.ErrorBar([.. xs], [.. ys], new double[xs.Count]);
        errors.YErrorPositive = [.. up];
        errors.YErrorNegative = [.. down];
        errors.Color = Colors.Black;
        errors.LineWidth = 1.5f;
        FigureStyle.CategoryTicks(plot, categories);
        plot.Axes.SetLimitsX(-0.6, categories.Count - 0.4);
        plot.ShowLegend(Alignment.UpperRight);
    }

    /// <summary>Accuracy and macro-F1 of a group with their intervals.</summary>
    public static IReadOnlyList<(double, ConfidenceInterval)> Scores(GroupMetrics g) =>
        [(g.Accuracy, g.AccuracyCi95), (g.MacroF1, g.MacroF1Ci95)];
}
