using System.Globalization;
using SerMlNet.Evaluation.Imaging;

namespace SerMlNet.Evaluation.Charts;

/// <summary>What a <see cref="HeatMap"/> shows: a matrix of values coloured on a scale, each cell annotated. Immutable.</summary>
public sealed class HeatMapSpec
{
    /// <summary>Heading and accessible title.</summary>
    public required string Title { get; init; }

    /// <summary>Accessible description; default empty.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Row labels, top to bottom (for a confusion matrix: true classes).</summary>
    public required IReadOnlyList<string> RowLabels { get; init; }

    /// <summary>Column labels, left to right (predicted classes).</summary>
    public required IReadOnlyList<string> ColumnLabels { get; init; }

    /// <summary>Values, <c>[row][column]</c>, shape [rows][columns]; NaN cells are drawn grey.</summary>
    public required IReadOnlyList<IReadOnlyList<double>> Values { get; init; }

    /// <summary>
    /// Cell text, <c>[row][column]</c>; a <c>\n</c> splits it into a main line and a smaller second line. Null
    /// annotates each cell with its value to two decimals.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>>? Annotations { get; init; }

    /// <summary>Value at the bottom of the colour scale. Default 0.</summary>
    public double ValueMin { get; init; }

    /// <summary>Value at the top of the colour scale. Default 1.</summary>
    public double ValueMax { get; init; } = 1;

    /// <summary>Colour map. Default <see cref="ColorMap.Viridis"/>.</summary>
    public ColorMap ColorMap { get; init; } = ColorMap.Viridis;

    /// <summary>Title of the row axis. Default <c>True class</c>.</summary>
    public string RowAxisLabel { get; init; } = "True class";

    /// <summary>Title of the column axis. Default <c>Predicted class</c>.</summary>
    public string ColumnAxisLabel { get; init; } = "Predicted class";

    /// <summary>Title beside the colour bar. Default <c>Fraction of row</c>.</summary>
    public string ColorBarLabel { get; init; } = "Fraction of row";

    /// <summary>Cell side in user units. Default 58.</summary>
    public double CellSize { get; init; } = 58;

    /// <summary>Prefix of the SVG's element ids. Default <c>heatmap</c>.</summary>
    public string IdPrefix { get; init; } = "heatmap";
}

/// <summary>Renders annotated heat maps (confusion matrices) with a colour bar as standalone SVG. Thread-safe.</summary>
public static class HeatMap
{
    /// <summary>Renders the heat map.</summary>
    /// <param name="spec">What to draw.</param>
    /// <returns>An <c>&lt;svg&gt;</c> element; its size follows from the label lengths and the cell size.</returns>
    /// <exception cref="ArgumentException">The value or annotation shape does not match the labels, or ValueMax ≤ ValueMin.</exception>
    public static string Render(HeatMapSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int rows = spec.RowLabels.Count;
        int columns = spec.ColumnLabels.Count;
        if (rows == 0 || columns == 0 || spec.Values.Count != rows || spec.Values.Any(r => r.Count != columns))
        {
            throw new ArgumentException($"values must be {rows} rows of {columns} columns", nameof(spec));
        }
        if (spec.Annotations is { } notes && (notes.Count != rows || notes.Any(r => r.Count != columns)))
        {
            throw new ArgumentException($"annotations must be {rows} rows of {columns} columns", nameof(spec));
        }
        if (!(spec.ValueMax > spec.ValueMin))
        {
            throw new ArgumentException($"ValueMax ({spec.ValueMax}) must exceed ValueMin ({spec.ValueMin})", nameof(spec));
        }

        double cell = spec.CellSize;
        double rowLabelWidth = spec.RowLabels.Max(l => SvgCanvas.TextWidth(l, 12)) + 12;
        // Column labels are rotated by −40°, so they need height ≈ width·sin 40°.
        double columnLabelHeight = spec.ColumnLabels.Max(l => SvgCanvas.TextWidth(l, 12)) * 0.65 + 16;
        double left = 34 + rowLabelWidth;
        double top = 44;
        double gridWidth = columns * cell;
        double gridHeight = rows * cell;
        double barLeft = left + gridWidth + 26;
        double width = barLeft + 16 + 46 + 24;
        double height = top + gridHeight + columnLabelHeight + 30;

        var canvas = new SvgCanvas(width, height, spec.IdPrefix, spec.Title, spec.Description);
        ChartStyle.DrawTitle(canvas, spec.Title);

        for (int r = 0; r < rows; r++)
        {
            double y = top + r * cell;
            canvas.Text(left - 8, y + cell / 2, spec.RowLabels[r], "end", 12, ChartStyle.Text, baseline: "central");
            for (int c = 0; c < columns; c++)
            {
                double x = left + c * cell;
                double value = spec.Values[r][c];
                double t = (value - spec.ValueMin) / (spec.ValueMax - spec.ValueMin);
                string fill = double.IsNaN(value) ? "#dddddd" : spec.ColorMap.Hex(t);
                string note = spec.Annotations?[r][c] ?? (double.IsNaN(value) ? "–" : value.ToString("0.00", CultureInfo.InvariantCulture));
                string shown = note.Length > 0 ? note.Replace('\n', ' ') : value.ToString("0.00", CultureInfo.InvariantCulture);
                canvas.Rect(x, y, cell, cell, fill, "#ffffff", 1,
                    tooltip: $"{spec.RowAxisLabel} {spec.RowLabels[r]}, {spec.ColumnAxisLabel.ToLowerInvariant()} {spec.ColumnLabels[c]}: {shown}");
                // Above a relative luminance of ~0.18 black text has more contrast than white (WCAG).
                string ink = double.IsNaN(value) || Luminance(spec.ColorMap.Map(t)) > 0.18 ? "#111111" : "#ffffff";
                string[] lines = note.Split('\n');
                if (note.Length == 0)
                {
                    continue;
                }
                if (lines.Length == 1)
                {
                    canvas.Text(x + cell / 2, y + cell / 2, lines[0], "middle", 13, ink, baseline: "central");
                }
                else
                {
                    canvas.Text(x + cell / 2, y + cell / 2 - 7, lines[0], "middle", 13, ink, "bold", baseline: "central");
                    canvas.Text(x + cell / 2, y + cell / 2 + 10, lines[1], "middle", 10, ink, baseline: "central");
                }
            }
        }
        canvas.Rect(left, top, gridWidth, gridHeight, "none", ChartStyle.Axis, 1);

        for (int c = 0; c < columns; c++)
        {
            double x = left + c * cell + cell / 2;
            canvas.Text(x + 4, top + gridHeight + 10, spec.ColumnLabels[c], "end", 12, ChartStyle.Text, rotate: -40, baseline: "hanging");
        }
        canvas.Text(left + gridWidth / 2, top + gridHeight + columnLabelHeight + 18, spec.ColumnAxisLabel, "middle", 12, ChartStyle.Text, "bold");
        canvas.Text(14, top + gridHeight / 2, spec.RowAxisLabel, "middle", 12, ChartStyle.Text, "bold", rotate: -90);

        // Colour bar: a vertical gradient from ValueMin (bottom) to ValueMax (top).
        ChartStyle.DrawColorBar(canvas, spec.ColorMap, barLeft, top, gridHeight, 16, spec.ValueMin, spec.ValueMax, spec.ColorBarLabel, 66);
        return canvas.ToString();
    }

    /// <summary>Relative luminance (WCAG) of an sRGB colour, 0 black to 1 white.</summary>
    internal static double Luminance((byte R, byte G, byte B) color)
    {
        static double Linear(byte v)
        {
            double c = v / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * Linear(color.R) + 0.7152 * Linear(color.G) + 0.0722 * Linear(color.B);
    }
}
