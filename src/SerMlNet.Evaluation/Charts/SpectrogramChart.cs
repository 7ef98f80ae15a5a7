using SerMlNet.Audio;
using SerMlNet.Evaluation.Exploration;
using SerMlNet.Evaluation.Imaging;

namespace SerMlNet.Evaluation.Charts;

/// <summary>One spectrogram of a <see cref="SpectrogramChart"/>. Immutable by convention.</summary>
/// <param name="Title">Panel heading, e.g. <c>angry (strong), actor 03, statement 1</c>.</param>
/// <param name="Matrix">The log-Mel spectrogram in dB.</param>
/// <param name="SecondsPerFrame">Hop between frames in seconds (hop length / sample rate; 160 samples at 16 kHz = 0.01 s); positive.</param>
public sealed record SpectrogramPanel(string Title, FeatureMatrix Matrix, double SecondsPerFrame);

/// <summary>What a <see cref="SpectrogramChart"/> shows: spectrograms side by side on one time axis and one colour scale. Immutable.</summary>
public sealed class SpectrogramSpec
{
    /// <summary>Heading and accessible title.</summary>
    public required string Title { get; init; }

    /// <summary>Accessible description; default empty.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>The panels, left to right, at least one.</summary>
    public required IReadOnlyList<SpectrogramPanel> Panels { get; init; }

    /// <summary>Colour map. Default <see cref="ColorMap.Magma"/>.</summary>
    public ColorMap ColorMap { get; init; } = ColorMap.Magma;

    /// <summary>
    /// Range of the colour scale in dB below the loudest value over all panels (librosa's <c>top_db</c>); quieter
    /// values get the bottom colour. Default 80 dB.
    /// </summary>
    public double DynamicRangeDb { get; init; } = 80;

    /// <summary>Width of each panel's plot area for the longest panel, in user units. Default 400.</summary>
    public double PanelWidth { get; init; } = 400;

    /// <summary>Height of each panel's plot area. Default 220.</summary>
    public double PanelHeight { get; init; } = 220;

    /// <summary>Prefix of the SVG's element ids. Default <c>spectrogram</c>.</summary>
    public string IdPrefix { get; init; } = "spectrogram";
}

/// <summary>
/// Renders log-Mel spectrograms as colour-mapped rasters (an embedded PNG <c>data:</c> URI per panel, low bands at
/// the bottom) with axes in seconds and Mel band and a shared dB colour bar. Thread-safe.
/// </summary>
public static class SpectrogramChart
{
    /// <summary>Renders the panels.</summary>
    /// <param name="spec">What to draw.</param>
    /// <returns>An <c>&lt;svg&gt;</c> element.</returns>
    /// <exception cref="ArgumentException">No panels, a non-positive frame hop or dynamic range, or no finite value.</exception>
    public static string Render(SpectrogramSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Panels.Count == 0)
        {
            throw new ArgumentException("a spectrogram chart needs at least one panel", nameof(spec));
        }
        if (spec.Panels.Any(p => !(p.SecondsPerFrame > 0)) || !(spec.DynamicRangeDb > 0))
        {
            throw new ArgumentException("SecondsPerFrame and DynamicRangeDb must be positive", nameof(spec));
        }
        float top = float.NegativeInfinity;
        foreach (SpectrogramPanel panel in spec.Panels)
        {
            foreach (float v in panel.Matrix.Data)
            {
                if (float.IsFinite(v) && v > top)
                {
                    top = v;
                }
            }
        }
        if (float.IsNegativeInfinity(top))
        {
            throw new ArgumentException("the spectrograms hold no finite value", nameof(spec));
        }
        double maxDb = top;
        double minDb = maxDb - spec.DynamicRangeDb;

        const double left = 62;
        const double gap = 64;
        const double titleHeight = 34;
        const double panelTitle = 22;
        double plotTop = titleHeight + panelTitle;
        double width = left + spec.Panels.Count * spec.PanelWidth + (spec.Panels.Count - 1) * gap + 100;
        double height = plotTop + spec.PanelHeight + 52;
        var canvas = new SvgCanvas(width, height, spec.IdPrefix, spec.Title, spec.Description);
        ChartStyle.DrawTitle(canvas, spec.Title);

        double longest = spec.Panels.Max(p => p.Matrix.Columns * p.SecondsPerFrame);
        for (int i = 0; i < spec.Panels.Count; i++)
        {
            SpectrogramPanel panel = spec.Panels[i];
            FeatureMatrix m = panel.Matrix;
            double x0 = left + i * (spec.PanelWidth + gap);
            double bottom = plotTop + spec.PanelHeight;
            var time = new LinearAxis(0, longest, x0, x0 + spec.PanelWidth, 5, extendToTicks: false);
            var bands = new LinearAxis(0, m.Rows, bottom, plotTop, 4, extendToTicks: false);
            canvas.Text(x0 + spec.PanelWidth / 2, titleHeight + 12, panel.Title, "middle", 13, ChartStyle.Text, "bold");
            double duration = m.Columns * panel.SecondsPerFrame;
            canvas.Rect(x0, plotTop, spec.PanelWidth, spec.PanelHeight, "#f4f4f4");
            canvas.Image(x0, plotTop, time.Map(duration) - x0, spec.PanelHeight, "data:image/png;base64," + Convert.ToBase64String(ToPng(m, spec.ColorMap, minDb, maxDb)));
            canvas.Rect(x0, plotTop, spec.PanelWidth, spec.PanelHeight, "none", ChartStyle.Axis, 1);
            foreach (double tick in bands.Ticks)
            {
                double y = bands.Map(tick);
                canvas.Line(x0 - 4, y, x0, y, ChartStyle.Axis, 1);
                canvas.Text(x0 - 6, y, bands.Label(tick), "end", 11, ChartStyle.MutedText, baseline: "central");
            }
            canvas.Text(x0 - 40, plotTop + spec.PanelHeight / 2, "Mel band", "middle", 12, ChartStyle.Text, rotate: -90);
            foreach (double tick in time.Ticks)
            {
                double x = time.Map(tick);
                canvas.Line(x, bottom, x, bottom + 4, ChartStyle.Axis, 1);
                canvas.Text(x, bottom + 17, time.Label(tick), "middle", 11, ChartStyle.MutedText);
            }
            canvas.Text(x0 + spec.PanelWidth / 2, bottom + 36, "Time (s)", "middle", 12, ChartStyle.Text);
        }

        double barLeft = left + spec.Panels.Count * spec.PanelWidth + (spec.Panels.Count - 1) * gap + 18;
        ChartStyle.DrawColorBar(canvas, spec.ColorMap, barLeft, plotTop, spec.PanelHeight, 14, minDb, maxDb, "dB", 72);
        return canvas.ToString();
    }

    /// <summary>The spectrogram as a PNG: one pixel per (frame, band), highest band on the top row.</summary>
    /// <param name="matrix">The spectrogram.</param>
    /// <param name="colorMap">Colour map.</param>
    /// <param name="minDb">Value mapped to the bottom colour (and anything below it or NaN).</param>
    /// <param name="maxDb">Value mapped to the top colour; greater than <paramref name="minDb"/>.</param>
    /// <returns>PNG bytes, width = frames, height = bands.</returns>
    public static byte[] ToPng(FeatureMatrix matrix, ColorMap colorMap, double minDb, double maxDb)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(colorMap);
        if (!(maxDb > minDb))
        {
            throw new ArgumentException($"maxDb ({maxDb}) must exceed minDb ({minDb})", nameof(maxDb));
        }
        var rgb = new byte[matrix.Rows * matrix.Columns * 3];
        double scale = 1 / (maxDb - minDb);
        for (int row = 0; row < matrix.Rows; row++)
        {
            ReadOnlySpan<float> band = matrix.Row(matrix.Rows - 1 - row);
            int offset = row * matrix.Columns * 3;
            for (int t = 0; t < band.Length; t++)
            {
                var (r, g, b) = colorMap.Map((band[t] - minDb) * scale);
                rgb[offset + 3 * t] = r;
                rgb[offset + 3 * t + 1] = g;
                rgb[offset + 3 * t + 2] = b;
            }
        }
        return PngEncoder.EncodeRgb(matrix.Columns, matrix.Rows, rgb);
    }
}
