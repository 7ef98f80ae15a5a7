using System.Globalization;

namespace SerMlNet.Evaluation.Charts;

/// <summary>One series of bars (one value per category) of a <see cref="BarChart"/>. Immutable by convention.</summary>
/// <param name="Name">Legend text (the legend is hidden when there is a single series).</param>
/// <param name="Values">One value per category; NaN draws no bar.</param>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values)
{
    /// <summary>CSS colour; null picks <see cref="ChartStyle.SeriesColor"/> by position.</summary>
    public string? Color { get; init; }
}

/// <summary>Direction of the bars.</summary>
public enum BarOrientation
{
    /// <summary>Categories down the side, bars grow to the right (long category names stay readable).</summary>
    Horizontal,

    /// <summary>Categories along the bottom, bars grow upwards.</summary>
    Vertical,
}

/// <summary>What a <see cref="BarChart"/> shows: grouped bars, one group per category. Immutable.</summary>
public sealed class BarChartSpec
{
    /// <summary>Heading and accessible title.</summary>
    public required string Title { get; init; }

    /// <summary>Accessible description; default empty.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Category names, in drawing order (top to bottom, or left to right).</summary>
    public required IReadOnlyList<string> Categories { get; init; }

    /// <summary>Series, at least one, each with one value per category.</summary>
    public required IReadOnlyList<BarSeries> Series { get; init; }

    /// <summary>Title of the value axis.</summary>
    public required string ValueLabel { get; init; }

    /// <summary>Direction of the bars. Default <see cref="BarOrientation.Horizontal"/>.</summary>
    public BarOrientation Orientation { get; init; } = BarOrientation.Horizontal;

    /// <summary>Value-axis minimum. Default 0.</summary>
    public double ValueMin { get; init; }

    /// <summary>Value-axis maximum; null fits the data.</summary>
    public double? ValueMax { get; init; }

    /// <summary>.NET format of the value printed at each bar's end; null prints none. Default <c>0.00</c>.</summary>
    public string? ValueFormat { get; init; } = "0.00";

    /// <summary>Optional dashed reference line across the bars (e.g. macro-F1): its value and label.</summary>
    public (double Value, string Label)? Reference { get; init; }

    /// <summary>Width of the viewBox. Default 560.</summary>
    public double Width { get; init; } = 560;

    /// <summary>Height of the viewBox; null derives it from the number of bars. Default null.</summary>
    public double? Height { get; init; }

    /// <summary>Prefix of the SVG's element ids. Default <c>bars</c>.</summary>
    public string IdPrefix { get; init; } = "bars";
}

/// <summary>Renders grouped bar charts, horizontal or vertical, as standalone SVG. Thread-safe.</summary>
public static class BarChart
{
    /// <summary>Renders the chart.</summary>
    /// <param name="spec">What to draw.</param>
    /// <returns>An <c>&lt;svg&gt;</c> element.</returns>
    /// <exception cref="ArgumentException">No categories or series, or a series of the wrong length.</exception>
    public static string Render(BarChartSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int categories = spec.Categories.Count;
        if (categories == 0 || spec.Series.Count == 0)
        {
            throw new ArgumentException("a bar chart needs at least one category and one series", nameof(spec));
        }
        foreach (BarSeries s in spec.Series)
        {
            if (s.Values.Count != categories)
            {
                throw new ArgumentException($"series '{s.Name}' has {s.Values.Count} values for {categories} categories", nameof(spec));
            }
        }
        return spec.Orientation == BarOrientation.Horizontal ? Horizontal(spec) : Vertical(spec);
    }

    private static string Horizontal(BarChartSpec spec)
    {
        int categories = spec.Categories.Count;
        int seriesCount = spec.Series.Count;
        double legendHeight = seriesCount > 1 ? 24 : 0;
        double top = 34 + legendHeight;
        double defaultThickness = seriesCount == 1 ? 20 : Math.Max(9, 22 - 3 * seriesCount);
        double height = spec.Height ?? top + (defaultThickness * seriesCount + 10) * categories + 52;
        double bottom = height - 48;
        // Bars fill about 70 % of their category's band, capped so a tall chart does not get slabs.
        double barThickness = Math.Min(28, (bottom - top) / categories * 0.7 / seriesCount);
        var canvas = new SvgCanvas(spec.Width, height, spec.IdPrefix, spec.Title, spec.Description);
        ChartStyle.DrawTitle(canvas, spec.Title);
        if (seriesCount > 1)
        {
            ChartStyle.DrawLegend(canvas, Legend(spec), spec.Width / 2, 32, spec.Width - 40);
        }
        double left = spec.Categories.Max(c => SvgCanvas.TextWidth(c, 12)) + 18;
        double valueRoom = spec.ValueFormat is null ? 12 : 44;
        var axis = new LinearAxis(spec.ValueMin, spec.ValueMax ?? MaxValue(spec), left, spec.Width - valueRoom, 5, extendToTicks: spec.ValueMax is null);
        ChartStyle.DrawXAxis(canvas, axis, top, bottom, spec.ValueLabel, grid: true);
        double x0 = axis.MapClamped(Math.Max(spec.ValueMin, axis.Min));
        double band = (bottom - top) / categories;
        for (int c = 0; c < categories; c++)
        {
            double groupTop = top + c * band + (band - barThickness * seriesCount) / 2;
            canvas.Text(left - 8, top + c * band + band / 2, spec.Categories[c], "end", 12, ChartStyle.Text, baseline: "central");
            for (int s = 0; s < seriesCount; s++)
            {
                double value = spec.Series[s].Values[c];
                if (!double.IsFinite(value))
                {
                    continue;
                }
                double y = groupTop + s * barThickness;
                double x1 = axis.MapClamped(value);
                canvas.Rect(Math.Min(x0, x1), y + 1, Math.Abs(x1 - x0), barThickness - 2, Color(spec, s),
                    tooltip: Tooltip(spec, c, s, value));
                if (spec.ValueFormat is not null)
                {
                    canvas.Text(x1 + 4, y + barThickness / 2, Format(value, spec.ValueFormat), size: 11, fill: ChartStyle.Text, baseline: "central", halo: true);
                }
            }
        }
        canvas.Line(left, top, left, bottom, ChartStyle.Axis, 1);
        if (spec.Reference is var (refValue, refLabel))
        {
            double x = axis.MapClamped(refValue);
            canvas.Line(x, top - 4, x, bottom, "#333333", 1.4, "5 3");
            canvas.Text(x, top - 7, refLabel, "middle", 11, ChartStyle.Text, halo: true);
        }
        return canvas.ToString();
    }

    private static string Vertical(BarChartSpec spec)
    {
        int categories = spec.Categories.Count;
        int seriesCount = spec.Series.Count;
        double height = spec.Height ?? 360;
        var canvas = new SvgCanvas(spec.Width, height, spec.IdPrefix, spec.Title, spec.Description);
        double top = ChartStyle.DrawTitle(canvas, spec.Title);
        if (seriesCount > 1)
        {
            top = ChartStyle.DrawLegend(canvas, Legend(spec), spec.Width / 2, top, spec.Width - 40);
        }
        top += spec.ValueFormat is null ? 6 : 16;
        double left = 64;
        double right = spec.Width - 16;
        double band = (right - left) / categories;
        double longest = spec.Categories.Max(c => SvgCanvas.TextWidth(c, 12));
        bool rotate = longest > band - 6;
        double labelHeight = rotate ? longest * 0.65 + 14 : 20;
        double bottom = height - labelHeight - 10;
        var axis = new LinearAxis(spec.ValueMin, spec.ValueMax ?? MaxValue(spec), bottom, top, 5, extendToTicks: spec.ValueMax is null);
        ChartStyle.DrawYAxis(canvas, axis, left, right, spec.ValueLabel, 18);
        double y0 = axis.MapClamped(Math.Max(spec.ValueMin, axis.Min));
        double barWidth = Math.Min(44, (band - 12) / seriesCount);
        for (int c = 0; c < categories; c++)
        {
            double center = left + c * band + band / 2;
            double groupLeft = center - barWidth * seriesCount / 2;
            for (int s = 0; s < seriesCount; s++)
            {
                double value = spec.Series[s].Values[c];
                if (!double.IsFinite(value))
                {
                    continue;
                }
                double x = groupLeft + s * barWidth;
                double y1 = axis.MapClamped(value);
                canvas.Rect(x + 1, Math.Min(y0, y1), barWidth - 2, Math.Abs(y1 - y0), Color(spec, s),
                    tooltip: Tooltip(spec, c, s, value));
                if (spec.ValueFormat is not null)
                {
                    canvas.Text(x + barWidth / 2, y1 - 4, Format(value, spec.ValueFormat), "middle", seriesCount > 2 ? 9 : 11, ChartStyle.Text, halo: true);
                }
            }
            if (rotate)
            {
                canvas.Text(center + 4, bottom + 8, spec.Categories[c], "end", 12, ChartStyle.Text, rotate: -40, baseline: "hanging");
            }
            else
            {
                canvas.Text(center, bottom + 16, spec.Categories[c], "middle", 12, ChartStyle.Text);
            }
        }
        canvas.Line(left, bottom, right, bottom, ChartStyle.Axis, 1);
        if (spec.Reference is var (refValue, refLabel))
        {
            double y = axis.MapClamped(refValue);
            canvas.Line(left, y, right, y, "#333333", 1.4, "5 3");
            canvas.Text(right, y - 4, refLabel, "end", 11, ChartStyle.Text, halo: true);
        }
        return canvas.ToString();
    }

    private static List<(string, string, ChartStyle.Swatch)> Legend(BarChartSpec spec) =>
        spec.Series.Select((s, i) => (s.Name, Color(spec, i), ChartStyle.Swatch.Box)).ToList();

    private static string Tooltip(BarChartSpec spec, int category, int series, double value) =>
        $"{spec.Categories[category]} ({spec.Series[series].Name}): {Format(value, spec.ValueFormat ?? "G4")}";

    private static string Color(BarChartSpec spec, int index) => spec.Series[index].Color ?? ChartStyle.SeriesColor(index);

    private static double MaxValue(BarChartSpec spec)
    {
        double max = spec.Series.SelectMany(s => s.Values).Where(double.IsFinite).DefaultIfEmpty(1).Max();
        return max > spec.ValueMin ? max : spec.ValueMin + 1;
    }

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
