namespace SerMlNet.Evaluation.Charts;

/// <summary>Counts of one series over the shared bins of a <see cref="Histogram"/>. Immutable by convention.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Counts">One count per bin.</param>
public sealed record HistogramSeries(string Name, IReadOnlyList<long> Counts)
{
    /// <summary>CSS colour; null picks <see cref="ChartStyle.SeriesColor"/> by position.</summary>
    public string? Color { get; init; }
}

/// <summary>What a <see cref="Histogram"/> shows: equal-width bins, one or more overlaid series. Immutable.</summary>
public sealed class HistogramSpec
{
    /// <summary>Heading and accessible title.</summary>
    public required string Title { get; init; }

    /// <summary>Accessible description; default empty.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Left edge of the first bin, in x units (e.g. seconds).</summary>
    public required double BinStart { get; init; }

    /// <summary>Width of every bin, in x units; positive.</summary>
    public required double BinWidth { get; init; }

    /// <summary>Series, at least one, all with the same number of bins; drawn overlaid and semi-transparent.</summary>
    public required IReadOnlyList<HistogramSeries> Series { get; init; }

    /// <summary>X-axis title, e.g. <c>Duration (s)</c>.</summary>
    public required string XLabel { get; init; }

    /// <summary>Y-axis title. Default <c>Clips</c>.</summary>
    public string YLabel { get; init; } = "Clips";

    /// <summary>Width of the viewBox. Default 560.</summary>
    public double Width { get; init; } = 560;

    /// <summary>Height of the viewBox. Default 340.</summary>
    public double Height { get; init; } = 340;

    /// <summary>Prefix of the SVG's element ids. Default <c>histogram</c>.</summary>
    public string IdPrefix { get; init; } = "histogram";
}

/// <summary>Renders histograms (pre-binned counts) as standalone SVG. Thread-safe.</summary>
public static class Histogram
{
    /// <summary>Renders the histogram.</summary>
    /// <param name="spec">What to draw.</param>
    /// <returns>An <c>&lt;svg&gt;</c> element.</returns>
    /// <exception cref="ArgumentException">No series or bins, unequal bin counts, or a non-positive bin width.</exception>
    public static string Render(HistogramSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Series.Count == 0 || spec.Series[0].Counts.Count == 0)
        {
            throw new ArgumentException("a histogram needs at least one series with at least one bin", nameof(spec));
        }
        int bins = spec.Series[0].Counts.Count;
        if (spec.Series.Any(s => s.Counts.Count != bins))
        {
            throw new ArgumentException("all histogram series must have the same number of bins", nameof(spec));
        }
        if (!(spec.BinWidth > 0) || !double.IsFinite(spec.BinStart))
        {
            throw new ArgumentException($"bin width must be positive (got {spec.BinWidth}) and the start finite", nameof(spec));
        }

        var canvas = new SvgCanvas(spec.Width, spec.Height, spec.IdPrefix, spec.Title, spec.Description);
        double top = ChartStyle.DrawTitle(canvas, spec.Title);
        var legend = spec.Series.Select((s, i) => (s.Name, Color(s, i), ChartStyle.Swatch.Box)).ToList();
        top = ChartStyle.DrawLegend(canvas, legend, spec.Width / 2, top, spec.Width - 40) + 8;
        double left = 62;
        double right = spec.Width - 18;
        double bottom = spec.Height - 48;
        long maxCount = spec.Series.SelectMany(s => s.Counts).DefaultIfEmpty(0).Max();
        var xAxis = new LinearAxis(spec.BinStart, spec.BinStart + bins * spec.BinWidth, left, right, Math.Max(2, (int)((right - left) / 70)), extendToTicks: false);
        var yAxis = new LinearAxis(0, Math.Max(1, maxCount), bottom, top, 5);
        ChartStyle.DrawYAxis(canvas, yAxis, left, right, spec.YLabel, 18);
        ChartStyle.DrawXAxis(canvas, xAxis, top, bottom, spec.XLabel, grid: false);
        for (int s = 0; s < spec.Series.Count; s++)
        {
            HistogramSeries series = spec.Series[s];
            string color = Color(series, s);
            for (int b = 0; b < bins; b++)
            {
                long count = series.Counts[b];
                if (count <= 0)
                {
                    continue;
                }
                double lo = spec.BinStart + b * spec.BinWidth;
                double x0 = xAxis.Map(lo);
                double x1 = xAxis.Map(lo + spec.BinWidth);
                double y = yAxis.Map(count);
                canvas.Rect(x0, y, x1 - x0, bottom - y, color, color, 0.8, "fill-opacity=\"0.5\"",
                    tooltip: $"{series.Name}: {count} in [{SvgCanvas.N(lo)}, {SvgCanvas.N(lo + spec.BinWidth)})");
            }
        }
        canvas.Line(left, bottom, right, bottom, ChartStyle.Axis, 1);
        return canvas.ToString();
    }

    private static string Color(HistogramSeries series, int index) => series.Color ?? ChartStyle.SeriesColor(index);
}
