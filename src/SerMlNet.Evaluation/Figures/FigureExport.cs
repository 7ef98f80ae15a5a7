using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ScottPlot;
using SerMlNet.Audio.Io;

namespace SerMlNet.Evaluation.Figures;

/// <summary>
/// Turns figures into inline SVG (for HTML pages) and PNG (files). Stateless; thread-safe as long as one plot is not
/// rendered from two threads at once.
/// </summary>
public static partial class FigureExport
{
    /// <summary>
    /// Renders a plot as an <c>&lt;svg&gt;</c> element to put inside an HTML page: no XML declaration, a
    /// <c>viewBox</c> so it scales, a <c>&lt;title&gt;</c>, and every element id (ScottPlot's clip paths) renamed
    /// <c>&lt;idPrefix&gt;-1</c>, <c>-2</c>, … so several figures on one page never share an id and the same plot
    /// always gives the same markup.
    /// </summary>
    /// <param name="plot">The figure.</param>
    /// <param name="width">Width in pixels; positive.</param>
    /// <param name="height">Height in pixels; positive.</param>
    /// <param name="idPrefix">Prefix of the SVG's ids, unique on the page (e.g. <c>fig-loss</c>); letters, digits, <c>-</c> and <c>_</c>.</param>
    /// <param name="title">Accessible name, written as the SVG's <c>&lt;title&gt;</c>; null for none.</param>
    /// <returns>The SVG markup, well-formed XML.</returns>
    public static string ToInlineSvg(Plot plot, int width, int height, string idPrefix, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentException.ThrowIfNullOrEmpty(idPrefix);
        if (!IdPattern().IsMatch(idPrefix))
        {
            throw new ArgumentException($"'{idPrefix}' is not a valid id prefix (letters, digits, '-', '_').", nameof(idPrefix));
        }
        string svg = plot.GetSvgXml(width, height);
        svg = svg[svg.IndexOf("<svg", StringComparison.Ordinal)..].TrimEnd();
        // Drop the indentation around tags (text is collapsed by SVG anyway): about a third of the size.
        svg = SpaceAroundTags().Replace(svg, m => m.Value.Trim());
        // ScottPlot numbers its ids from a process-wide counter: renumber them per figure, in order of appearance, so
        // the same plot always gives the same markup and figures never share an id.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        string Rename(string id) => ids.TryGetValue(id, out string? renamed)
            ? renamed
            : ids[id] = string.Create(CultureInfo.InvariantCulture, $"{idPrefix}-{ids.Count + 1}");
        svg = IdAttribute().Replace(svg, m => $"id=\"{Rename(m.Groups[1].Value)}\"");
        svg = UrlReference().Replace(svg, m => $"url(#{Rename(m.Groups[1].Value)})");
        svg = HrefReference().Replace(svg, m => $"{m.Groups[1].Value}=\"#{Rename(m.Groups[2].Value)}\"");
        int headEnd = svg.IndexOf('>', StringComparison.Ordinal) + 1;
        var result = new StringBuilder(svg.Length + 256);
        result.Append(string.Create(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {width} {height}\" role=\"img\""))
            .Append(svg.AsSpan(4, headEnd - 4));
        if (title is { Length: > 0 })
        {
            result.Append("<title>").Append(System.Security.SecurityElement.Escape(title)).Append("</title>");
        }
        return result.Append(svg.AsSpan(headEnd)).ToString();
    }

    /// <summary>Renders a plot as PNG bytes.</summary>
    /// <param name="plot">The figure.</param>
    /// <param name="width">Width in pixels; positive.</param>
    /// <param name="height">Height in pixels; positive.</param>
    /// <returns>The PNG file's bytes (8-bit RGBA).</returns>
    public static byte[] ToPng(Plot plot, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Writes a plot as a PNG file atomically (temporary file, then rename); the folder is created if missing.</summary>
    /// <param name="plot">The figure.</param>
    /// <param name="path">Destination, e.g. <c>figures/fig-loss.png</c>.</param>
    /// <param name="width">Width in pixels; positive.</param>
    /// <param name="height">Height in pixels; positive.</param>
    public static void SavePng(Plot plot, string path, int width, int height) =>
        AtomicFile.Write(path, stream => stream.Write(ToPng(plot, width, height)));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(">\\s+|\\s+<")]
    private static partial Regex SpaceAroundTags();

    [GeneratedRegex("\\bid=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex("url\\(#([^)]+)\\)")]
    private static partial Regex UrlReference();

    [GeneratedRegex("(xlink:href|href)=\"#([^\"]+)\"")]
    private static partial Regex HrefReference();
}
