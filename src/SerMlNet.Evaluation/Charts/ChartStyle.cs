using SerMlNet.Evaluation.Imaging;

namespace SerMlNet.Evaluation.Charts;

/// <summary>Colours and drawing helpers shared by the charts, so every figure of a report looks alike. Thread-safe.</summary>
public static class ChartStyle
{
    /// <summary>Tableau 10, the categorical palette used for series in order.</summary>
    public static IReadOnlyList<string> Palette { get; } =
        ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    /// <summary>Colour of training-set series.</summary>
    public const string Train = "#4e79a7";

    /// <summary>Colour of validation-set series.</summary>
    public const string Validation = "#f28e2b";

    /// <summary>Colour of male-speaker series (Okabe–Ito blue).</summary>
    public const string Male = "#0072b2";

    /// <summary>Colour of female-speaker series (Okabe–Ito vermillion).</summary>
    public const string Female = "#d55e00";

    /// <summary>Colour of normal-intensity series.</summary>
    public const string Normal = "#4e79a7";

    /// <summary>Colour of strong-intensity series.</summary>
    public const string Strong = "#c0392b";

    /// <summary>Colour of difference (gap) series.</summary>
    public const string Gap = "#555555";

    internal const string Axis = "#444444";
    internal const string Grid = "#e4e4e4";
    internal const string Text = "#222222";
    internal const string MutedText = "#555555";

    /// <summary>The palette colour for series <paramref name="index"/> (cycling).</summary>
    /// <param name="index">Zero-based series index.</param>
    /// <returns>A CSS hex colour.</returns>
    public static string SeriesColor(int index) => Palette[((index % Palette.Count) + Palette.Count) % Palette.Count];

    /// <summary>Draws the chart title centred at the top; returns the y below it.</summary>
    internal static double DrawTitle(SvgCanvas canvas, string title)
    {
        canvas.Text(canvas.Width / 2, 22, title, "middle", 15, Text, "bold");
        return 32;
    }

    /// <summary>Kind of swatch a legend item shows.</summary>
    internal enum Swatch
    {
        Line,
        DashedLine,
        Box,
        Point,
    }

    private const double LegendFontSize = 12;
    private const double LegendSwatchWidth = 22;
    private const double LegendGap = 18;
    private const double LegendRowHeight = 18;

    /// <summary>Height <see cref="DrawLegend"/> will take for these items and width.</summary>
    internal static double LegendHeight(IReadOnlyList<(string Name, string Color, Swatch Swatch)> items, double maxWidth) =>
        items.Count == 0 ? 0 : LegendRows(items, maxWidth).Count * LegendRowHeight + 4;

    /// <summary>
    /// Lays out legend items left to right in rows (wrapping at <paramref name="maxWidth"/>), centred on
    /// <paramref name="centerX"/>, starting at <paramref name="top"/>; returns the y below the legend.
    /// </summary>
    internal static double DrawLegend(SvgCanvas canvas, IReadOnlyList<(string Name, string Color, Swatch Swatch)> items, double centerX, double top, double maxWidth)
    {
        if (items.Count == 0)
        {
            return top;
        }
        var rows = LegendRows(items, maxWidth);
        double y = top + LegendRowHeight / 2;
        foreach (var row in rows)
        {
            double total = row.Sum(i => i.Width) + LegendGap * (row.Count - 1);
            double x = centerX - total / 2;
            foreach (var (name, color, swatch, width) in row)
            {
                switch (swatch)
                {
                    case Swatch.Line:
                        canvas.Line(x, y, x + LegendSwatchWidth, y, color, 2.5);
                        break;
                    case Swatch.DashedLine:
                        canvas.Line(x, y, x + LegendSwatchWidth, y, color, 2.5, "6 3");
                        break;
                    case Swatch.Box:
                        canvas.Rect(x + 4, y - 6, 14, 12, color, extra: "fill-opacity=\"0.8\"");
                        break;
                    case Swatch.Point:
                        canvas.Line(x + 2, y, x + LegendSwatchWidth - 2, y, color, 2);
                        canvas.Circle(x + LegendSwatchWidth / 2, y, 4.5, color);
                        break;
                }
                canvas.Text(x + LegendSwatchWidth + 6, y, name, size: LegendFontSize, fill: Text, baseline: "central");
                x += width + LegendGap;
            }
            y += LegendRowHeight;
        }
        return top + LegendHeight(items, maxWidth);
    }

    private static List<List<(string Name, string Color, Swatch Swatch, double Width)>> LegendRows(
        IReadOnlyList<(string Name, string Color, Swatch Swatch)> items, double maxWidth)
    {
        var rows = new List<List<(string Name, string Color, Swatch Swatch, double Width)>> { new() };
        double rowWidth = 0;
        foreach (var (name, color, swatch) in items)
        {
            double width = LegendSwatchWidth + 6 + SvgCanvas.TextWidth(name, LegendFontSize);
            if (rows[^1].Count > 0 && rowWidth + LegendGap + width > maxWidth)
            {
                rows.Add(new());
                rowWidth = 0;
            }
            rowWidth += (rows[^1].Count > 0 ? LegendGap : 0) + width;
            rows[^1].Add((name, color, swatch, width));
        }
        return rows;
    }

    /// <summary>Horizontal grid lines, y tick labels and the rotated y-axis title for a plot area.</summary>
    internal static void DrawYAxis(SvgCanvas canvas, LinearAxis axis, double left, double right, string title, double titleX)
    {
        foreach (double tick in axis.Ticks)
        {
            double y = axis.Map(tick);
            canvas.Line(left, y, right, y, Grid, 1);
            canvas.Text(left - 6, y, axis.Label(tick), "end", 11, MutedText, baseline: "central");
        }
        canvas.Line(left, axis.PixelStart, left, axis.PixelEnd, Axis, 1);
        double middle = (axis.PixelStart + axis.PixelEnd) / 2;
        canvas.Text(titleX, middle, title, "middle", 12, Text, rotate: -90);
    }

    /// <summary>Vertical grid lines (optional), x tick labels and the x-axis title below a plot area.</summary>
    internal static void DrawXAxis(SvgCanvas canvas, LinearAxis axis, double top, double bottom, string title, bool grid, IReadOnlyList<double>? ticks = null)
    {
        foreach (double tick in ticks ?? axis.Ticks)
        {
            double x = axis.Map(tick);
            if (grid)
            {
                canvas.Line(x, top, x, bottom, Grid, 1);
            }
            canvas.Line(x, bottom, x, bottom + 4, Axis, 1);
            canvas.Text(x, bottom + 17, axis.Label(tick), "middle", 11, MutedText);
        }
        canvas.Line(axis.PixelStart, bottom, axis.PixelEnd, bottom, Axis, 1);
        canvas.Text((axis.PixelStart + axis.PixelEnd) / 2, bottom + 36, title, "middle", 12, Text);
    }

    /// <summary>A vertical colour bar: the colour map from <paramref name="min"/> (bottom) to <paramref name="max"/>
    /// (top) in 11 stops, framed, with about 4 ticks on its right and a rotated title.</summary>
    internal static void DrawColorBar(SvgCanvas canvas, ColorMap map, double left, double top, double height, double barWidth,
        double min, double max, string title, double titleOffset)
    {
        string gradient = canvas.Id("scale");
        canvas.LinearGradient(gradient, Enumerable.Range(0, 11).Select(i => (i / 10.0, map.Hex(i / 10.0))).ToList(), vertical: true);
        canvas.Rect(left, top, barWidth, height, $"url(#{gradient})", Axis, 0.8);
        var axis = new LinearAxis(min, max, top + height, top, 4, extendToTicks: false);
        foreach (double tick in axis.Ticks)
        {
            double y = axis.Map(tick);
            canvas.Line(left + barWidth, y, left + barWidth + 4, y, Axis, 1);
            canvas.Text(left + barWidth + 7, y, axis.Label(tick), size: 11, fill: MutedText, baseline: "central");
        }
        canvas.Text(left + titleOffset, top + height / 2, title, "middle", 12, Text, rotate: -90);
    }
}
