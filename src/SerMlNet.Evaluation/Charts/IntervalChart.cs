using System.Globalization;

namespace SerMlNet.Evaluation.Charts;

/// <summary>A point estimate with its interval. Immutable.</summary>
/// <param name="Estimate">The point estimate.</param>
/// <param name="Lower">Lower end of the interval.</param>
/// <param name="Upper">Upper end of the interval.</param>
public readonly record struct IntervalValue(double Estimate, double Lower, double Upper);

/// <summary>One series of an <see cref="IntervalChart"/>: one interval per category (NaN estimate: nothing drawn). Immutable by convention.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Values">One value per category.</param>
public sealed record IntervalSeries(string Name, IReadOnlyList<IntervalValue> Values)
{
    /// <summary>CSS colour; null picks <see cref="ChartStyle.SeriesColor"/> by position.</summary>
    public string? Color { get; init; }
}

/// <summary>What an <see cref="IntervalChart"/> shows: per category, one point-and-whisker per series. Immutable.</summary>
public sealed class IntervalChartSpec
{
    /// <summary>Heading and accessible title.</summary>
    public required string Title { get; init; }

    /// <summary>Accessible description; default empty.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Category names, top to bottom (e.g. <c>Accuracy</c>, <c>Macro-F1</c>).</summary>
    public required IReadOnlyList<string> Categories { get; init; }

    /// <summary>Series (e.g. male, female), each with one value per category.</summary>
    public required IReadOnlyList<IntervalSeries> Series { get; init; }

    /// <summary>Title of the value axis.</summary>
    public required string ValueLabel { get; init; }

    /// <summary>Value-axis minimum; null fits the intervals (and the reference).</summary>
    public double? ValueMin { get; init; }

    /// <summary>Value-axis maximum; null fits the intervals (and the reference).</summary>
    public double? ValueMax { get; init; }

    /// <summary>Optional dashed reference line (e.g. 0 for a gap): its value and label.</summary>
    public (double Value, string Label)? Reference { get; init; }

    /// <summary>Print "estimate [lower, upper]" beside each interval. Default true.</summary>
    public bool ShowValues { get; init; } = true;

    /// <summary>.NET format of printed values. Default <c>0.000</c>.</summary>
    public string ValueFormat { get; init; } = "0.000";

    /// <summary>Width of the viewBox. Default 560.</summary>
    public double Width { get; init; } = 560;

    /// <summary>Prefix of the SVG's element ids. Default <c>intervals</c>.</summary>
    public string IdPrefix { get; init; } = "intervals";
}

/// <summary>Renders point-and-interval (forest) charts as standalone SVG. Thread-safe.</summary>
public static class IntervalChart
{
    /// <summary>Renders the chart.</summary>
    /// <param name="spec">What to draw.</param>
    /// <returns>An <c>&lt;svg&gt;</c> element; height follows from the number of rows.</returns>
    /// <exception cref="ArgumentException">No categories or series, or a series of the wrong length.</exception>
    public static string Render(IntervalChartSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int categories = spec.Categories.Count;
        int seriesCount = spec.Series.Count;
        if (categories == 0 || seriesCount == 0)
        {
            throw new ArgumentException("an interval chart needs at least one category and one series", nameof(spec));
        }
        foreach (IntervalSeries s in spec.Series)
        {
            if (s.Values.Count != categories)
            {
                throw new ArgumentException($"series '{s.Name}' has {s.Values.Count} values for {categories} categories", nameof(spec));
            }
        }

        const double rowHeight = 26;
        double bandHeight = rowHeight * seriesCount + 14;
        double top = 32 + ChartStyle.LegendHeight(Legend(spec), spec.Width - 40) + 14;
        double bottom = top + bandHeight * categories;
        double height = bottom + 50;

        var canvas = new SvgCanvas(spec.Width, height, spec.IdPrefix, spec.Title, spec.Description);
        ChartStyle.DrawTitle(canvas, spec.Title);
        ChartStyle.DrawLegend(canvas, Legend(spec), spec.Width / 2, 32, spec.Width - 40);

        var finite = spec.Series.SelectMany(s => s.Values).Where(v => double.IsFinite(v.Estimate))
            .SelectMany(v => new[] { v.Lower, v.Upper, v.Estimate }).Where(double.IsFinite).ToList();
        if (spec.Reference is var (refValue, _))
        {
            finite.Add(refValue);
        }
        double dataMin = finite.Count > 0 ? finite.Min() : 0;
        double dataMax = finite.Count > 0 ? finite.Max() : 1;
        double pad = (dataMax - dataMin) * 0.05;
        double left = spec.Categories.Max(c => SvgCanvas.TextWidth(c, 12)) + 22;
        double valuesWidth = spec.ShowValues ? SvgCanvas.TextWidth(Describe(new IntervalValue(-0.5, -0.5, -0.5), spec.ValueFormat), 11) + 16 : 0;
        double right = spec.Width - 14 - valuesWidth;
        var axis = new LinearAxis(spec.ValueMin ?? dataMin - pad, spec.ValueMax ?? dataMax + pad, left, right, 5,
            extendToTicks: spec.ValueMin is null || spec.ValueMax is null);
        ChartStyle.DrawXAxis(canvas, axis, top, bottom, spec.ValueLabel, grid: true);
        canvas.Line(left, top, left, bottom, ChartStyle.Axis, 1);
        if (spec.Reference is var (value, label))
        {
            double x = axis.MapClamped(value);
            canvas.Line(x, top - 2, x, bottom, "#333333", 1.4, "5 3");
            canvas.Text(x, top - 5, label, "middle", 11, ChartStyle.Text, halo: true);
        }
        if (spec.ShowValues)
        {
            canvas.Text(spec.Width - 10, top - 5, "estimate [95 % CI]", "end", 10, ChartStyle.MutedText);
        }

        for (int c = 0; c < categories; c++)
        {
            double bandTop = top + c * bandHeight;
            if (c > 0)
            {
                canvas.Line(left, bandTop, right, bandTop, "#cccccc", 1);
            }
            canvas.Text(left - 10, bandTop + bandHeight / 2, spec.Categories[c], "end", 12, ChartStyle.Text, "bold", baseline: "central");
            for (int s = 0; s < seriesCount; s++)
            {
                IntervalValue v = spec.Series[s].Values[c];
                if (!double.IsFinite(v.Estimate))
                {
                    continue;
                }
                string color = spec.Series[s].Color ?? ChartStyle.SeriesColor(s);
                double y = bandTop + 7 + rowHeight * s + rowHeight / 2;
                double lo = axis.MapClamped(v.Lower);
                double hi = axis.MapClamped(v.Upper);
                canvas.Line(lo, y, hi, y, color, 2.4);
                canvas.Line(lo, y - 6, lo, y + 6, color, 2);
                canvas.Line(hi, y - 6, hi, y + 6, color, 2);
                canvas.Circle(axis.MapClamped(v.Estimate), y, 5.5, color, "#ffffff",
                    tooltip: $"{spec.Categories[c]}, {spec.Series[s].Name}: {Describe(v, spec.ValueFormat)}");
                if (spec.ShowValues)
                {
                    canvas.Text(spec.Width - 10, y, Describe(v, spec.ValueFormat), "end", 11, color, baseline: "central");
                }
            }
        }
        return canvas.ToString();
    }

    private static List<(string, string, ChartStyle.Swatch)> Legend(IntervalChartSpec spec) =>
        spec.Series.Select((s, i) => (s.Name, s.Color ?? ChartStyle.SeriesColor(i), ChartStyle.Swatch.Point)).ToList();

    private static string Describe(IntervalValue v, string format) =>
        string.Create(CultureInfo.InvariantCulture, $"{v.Estimate.ToString(format, CultureInfo.InvariantCulture)} [{v.Lower.ToString(format, CultureInfo.InvariantCulture)}, {v.Upper.ToString(format, CultureInfo.InvariantCulture)}]");
}
