using System.Globalization;

namespace SerMlNet.Evaluation.Charts;

/// <summary>One line of a <see cref="LineChart"/>: y over x, NaN y values leave a gap. Immutable by convention.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="X">X values, increasing.</param>
/// <param name="Y">Y values, same length as <paramref name="X"/>; NaN breaks the line.</param>
public sealed record LineSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>CSS colour; null picks <see cref="ChartStyle.SeriesColor"/> by position.</summary>
    public string? Color { get; init; }

    /// <summary>Draw dashed (e.g. training curves beside solid validation curves). Default false.</summary>
    public bool Dashed { get; init; }
}

/// <summary>What a <see cref="LineChart"/> shows. Immutable.</summary>
public sealed class LineChartSpec
{
    /// <summary>Heading drawn above the plot and the SVG's accessible title.</summary>
    public required string Title { get; init; }

    /// <summary>Accessible description (the SVG's <c>&lt;desc&gt;</c>); default empty.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>X-axis title, e.g. <c>Epoch</c>.</summary>
    public required string XLabel { get; init; }

    /// <summary>Y-axis title, e.g. <c>Loss</c>.</summary>
    public required string YLabel { get; init; }

    /// <summary>The lines, at least one.</summary>
    public required IReadOnlyList<LineSeries> Series { get; init; }

    /// <summary>Lower end of the y axis; null fits the data.</summary>
    public double? YMin { get; init; }

    /// <summary>Upper end of the y axis; null fits the data.</summary>
    public double? YMax { get; init; }

    /// <summary>X ticks at integers only (epochs, band numbers). Default false.</summary>
    public bool IntegerX { get; init; }

    /// <summary>Optional vertical marker, e.g. the best epoch: its x and its label.</summary>
    public (double X, string Label)? Marker { get; init; }

    /// <summary>Draw a dot at each point when the series have at most this many points. Default 40.</summary>
    public int MaxPointsWithMarkers { get; init; } = 40;

    /// <summary>Width of the viewBox in user units (≈ CSS pixels at 100 %). Default 560.</summary>
    public double Width { get; init; } = 560;

    /// <summary>Height of the viewBox. Default 340.</summary>
    public double Height { get; init; } = 340;

    /// <summary>Prefix of the SVG's element ids; unique per page. Default <c>line</c>.</summary>
    public string IdPrefix { get; init; } = "line";
}

/// <summary>Renders multi-series line charts as standalone SVG (axes with nice ticks, grid, legend). Thread-safe.</summary>
public static class LineChart
{
    /// <summary>Renders the chart.</summary>
    /// <param name="spec">What to draw.</param>
    /// <returns>An <c>&lt;svg&gt;</c> element, well-formed XML.</returns>
    /// <exception cref="ArgumentException">No series, or an X/Y length mismatch.</exception>
    public static string Render(LineChartSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Series.Count == 0)
        {
            throw new ArgumentException("a line chart needs at least one series", nameof(spec));
        }
        foreach (LineSeries s in spec.Series)
        {
            if (s.X.Count != s.Y.Count)
            {
                throw new ArgumentException($"series '{s.Name}' has {s.X.Count} x values and {s.Y.Count} y values", nameof(spec));
            }
        }
        var canvas = new SvgCanvas(spec.Width, spec.Height, spec.IdPrefix, spec.Title, spec.Description);
        double top = ChartStyle.DrawTitle(canvas, spec.Title);
        var legend = spec.Series.Select((s, i) => (s.Name, Color(s, i), s.Dashed ? ChartStyle.Swatch.DashedLine : ChartStyle.Swatch.Line)).ToList();
        top = ChartStyle.DrawLegend(canvas, legend, spec.Width / 2, top, spec.Width - 40) + 8;

        double left = 62;
        double right = spec.Width - 18;
        double bottom = spec.Height - 48;

        var xs = spec.Series.SelectMany(s => s.X).Where(double.IsFinite).ToList();
        var ys = spec.Series.SelectMany(s => s.Y).Where(double.IsFinite).ToList();
        double xMin = xs.Count > 0 ? xs.Min() : 0;
        double xMax = xs.Count > 0 ? xs.Max() : 1;
        double yMin = spec.YMin ?? (ys.Count > 0 ? ys.Min() : 0);
        double yMax = spec.YMax ?? (ys.Count > 0 ? ys.Max() : 1);
        var xAxis = new LinearAxis(xMin, xMax, left, right, Math.Max(2, (int)((right - left) / 70)), extendToTicks: false);
        var yAxis = new LinearAxis(yMin, yMax, bottom, top, 5, extendToTicks: spec.YMin is null || spec.YMax is null);

        IReadOnlyList<double> xTicks = spec.IntegerX ? xAxis.IntegerTicks() : xAxis.Ticks;
        ChartStyle.DrawYAxis(canvas, yAxis, left, right, spec.YLabel, 18);
        ChartStyle.DrawXAxis(canvas, xAxis, top, bottom, spec.XLabel, grid: false, xTicks);

        if (spec.Marker is var (markerX, markerLabel) && markerX >= xAxis.Min && markerX <= xAxis.Max)
        {
            double x = xAxis.Map(markerX);
            canvas.Line(x, top, x, bottom, "#888888", 1.2, "3 3");
            bool leftSide = x > (left + right) / 2;
            canvas.Text(leftSide ? x - 5 : x + 5, top + 12, markerLabel, leftSide ? "end" : "start", 11, ChartStyle.MutedText, halo: true);
        }

        int maxPoints = spec.Series.Max(s => s.X.Count);
        for (int i = 0; i < spec.Series.Count; i++)
        {
            LineSeries series = spec.Series[i];
            string color = Color(series, i);
            var run = new List<(double X, double Y)>();
            for (int j = 0; j <= series.X.Count; j++)
            {
                bool valid = j < series.X.Count && double.IsFinite(series.X[j]) && double.IsFinite(series.Y[j]);
                if (valid)
                {
                    run.Add((xAxis.Map(series.X[j]), yAxis.MapClamped(series.Y[j])));
                    continue;
                }
                canvas.Polyline(run, color, 2.2, series.Dashed ? "6 3" : null);
                run.Clear();
            }
            if (maxPoints <= spec.MaxPointsWithMarkers)
            {
                for (int j = 0; j < series.X.Count; j++)
                {
                    if (double.IsFinite(series.X[j]) && double.IsFinite(series.Y[j]))
                    {
                        canvas.Circle(xAxis.Map(series.X[j]), yAxis.MapClamped(series.Y[j]), 2.6, color,
                            tooltip: string.Create(CultureInfo.InvariantCulture, $"{series.Name}: {SvgCanvas.N(series.X[j])}, {series.Y[j]:G4}"));
                    }
                }
            }
        }
        return canvas.ToString();
    }

    private static string Color(LineSeries series, int index) => series.Color ?? ChartStyle.SeriesColor(index);
}
