using ScottPlot;

namespace SerMlNet.Evaluation.Figures;

/// <summary>
/// Colours and fonts shared by every figure, so the report and the notebook look alike: Tableau 10 for series in
/// order, Okabe–Ito blue and vermillion for male and female speakers. Thread-safe (read-only).
/// </summary>
public static class FigureStyle
{
    /// <summary>Tableau 10, the categorical palette used for series in order.</summary>
    public static IReadOnlyList<Color> Palette { get; } =
    [
        Color.FromHex("#4e79a7"), Color.FromHex("#f28e2b"), Color.FromHex("#e15759"), Color.FromHex("#76b7b2"), Color.FromHex("#59a14f"),
        Color.FromHex("#edc948"), Color.FromHex("#b07aa1"), Color.FromHex("#ff9da7"), Color.FromHex("#9c755f"), Color.FromHex("#bab0ac"),
    ];

    /// <summary>Colour of training-set series.</summary>
    public static Color Train { get; } = Color.FromHex("#4e79a7");

    /// <summary>Colour of validation-set series.</summary>
    public static Color Validation { get; } = Color.FromHex("#f28e2b");

    /// <summary>Colour of male-speaker series (Okabe–Ito blue).</summary>
    public static Color Male { get; } = Color.FromHex("#0072b2");

    /// <summary>Colour of female-speaker series (Okabe–Ito vermillion).</summary>
    public static Color Female { get; } = Color.FromHex("#d55e00");

    /// <summary>Colour of normal-intensity series.</summary>
    public static Color Normal { get; } = Color.FromHex("#4e79a7");

    /// <summary>Colour of strong-intensity series.</summary>
    public static Color Strong { get; } = Color.FromHex("#c0392b");

    /// <summary>Colour of overall and difference (gap) series, and of reference lines.</summary>
    public static Color Gap { get; } = Color.FromHex("#555555");

    /// <summary>Font family of every label: DejaVu Sans, present on Debian and in most browsers' fallbacks.</summary>
    public const string FontName = "DejaVu Sans";

    /// <summary>The palette colour for series <paramref name="index"/> (cycling; negative indices wrap).</summary>
    /// <param name="index">Zero-based series index.</param>
    /// <returns>A colour of <see cref="Palette"/>.</returns>
    public static Color SeriesColor(int index) => Palette[((index % Palette.Count) + Palette.Count) % Palette.Count];

    /// <summary>A new plot with the shared font, title and axis labels.</summary>
    internal static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title, size: 15);
        plot.XLabel(xLabel, size: 13);
        plot.YLabel(yLabel, size: 13);
        return plot;
    }

    /// <summary>Puts category names under integer positions 0, 1, … (rotated when <paramref name="rotate"/>).</summary>
    internal static void CategoryTicks(Plot plot, IReadOnlyList<string> names, bool rotate = false, double step = 1, double offset = 0)
    {
        double[] positions = [.. Enumerable.Range(0, names.Count).Select(i => i * step + offset)];
        plot.Axes.Bottom.SetTicks(positions, [.. names]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        if (rotate)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -35;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperRight;
            // Room for the slanted labels: ScottPlot sizes the axis for horizontal ones.
            plot.Axes.Bottom.MinimumSize = 30 + 7 * names.Max(n => n.Length) * 0.6f;
        }
    }
}
