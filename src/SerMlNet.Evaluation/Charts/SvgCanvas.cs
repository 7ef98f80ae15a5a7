using System.Globalization;
using System.Text;

namespace SerMlNet.Evaluation.Charts;

/// <summary>
/// Writes one SVG document element by element: coordinates in the viewBox's user units (rounded to 0.01), every
/// text and attribute value XML-escaped, an accessible <c>&lt;title&gt;</c>/<c>&lt;desc&gt;</c> pair referenced by
/// <c>aria-labelledby</c>. Ids are prefixed so several SVGs can live inline in one HTML page. Not thread-safe.
/// </summary>
internal sealed class SvgCanvas
{
    public const string FontFamily = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";

    private readonly StringBuilder _body = new();
    private readonly string _id;
    private readonly string _title;
    private readonly string _description;

    public SvgCanvas(double width, double height, string idPrefix, string title, string description)
    {
        Width = width;
        Height = height;
        _id = SanitiseId(idPrefix);
        _title = title;
        _description = description;
    }

    public double Width { get; }

    public double Height { get; }

    /// <summary>A document-unique id made from the prefix and a local name.</summary>
    public string Id(string local) => $"{_id}-{local}";

    public static string N(double value) =>
        Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Estimated rendered width of text in the chart font (DejaVu Sans averages ~0.6 em per character).</summary>
    public static double TextWidth(string text, double fontSize) => text.Length * fontSize * 0.6;

    public void Rect(double x, double y, double width, double height, string fill, string? stroke = null, double strokeWidth = 1, string? extra = null, string? tooltip = null)
    {
        _body.Append($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(0, width))}\" height=\"{N(Math.Max(0, height))}\" fill=\"{Xml.Escape(fill)}\"");
        if (stroke is not null)
        {
            _body.Append($" stroke=\"{Xml.Escape(stroke)}\" stroke-width=\"{N(strokeWidth)}\"");
        }
        if (extra is not null)
        {
            _body.Append(' ').Append(extra);
        }
        CloseWithTooltip("rect", tooltip);
    }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double strokeWidth = 1, string? dash = null)
    {
        _body.Append($"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{Xml.Escape(stroke)}\" stroke-width=\"{N(strokeWidth)}\"");
        if (dash is not null)
        {
            _body.Append($" stroke-dasharray=\"{Xml.Escape(dash)}\"");
        }
        _body.Append("/>");
    }

    public void Polyline(IReadOnlyList<(double X, double Y)> points, string stroke, double strokeWidth, string? dash = null)
    {
        if (points.Count == 0)
        {
            return;
        }
        _body.Append("<polyline fill=\"none\" stroke-linejoin=\"round\" stroke-linecap=\"round\" points=\"");
        for (int i = 0; i < points.Count; i++)
        {
            if (i > 0)
            {
                _body.Append(' ');
            }
            _body.Append(N(points[i].X)).Append(',').Append(N(points[i].Y));
        }
        _body.Append($"\" stroke=\"{Xml.Escape(stroke)}\" stroke-width=\"{N(strokeWidth)}\"");
        if (dash is not null)
        {
            _body.Append($" stroke-dasharray=\"{Xml.Escape(dash)}\"");
        }
        _body.Append("/>");
    }

    public void Circle(double cx, double cy, double r, string fill, string? stroke = null, string? tooltip = null)
    {
        _body.Append($"<circle cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"{N(r)}\" fill=\"{Xml.Escape(fill)}\"");
        if (stroke is not null)
        {
            _body.Append($" stroke=\"{Xml.Escape(stroke)}\" stroke-width=\"1.5\"");
        }
        CloseWithTooltip("circle", tooltip);
    }

    /// <summary>
    /// Text; <paramref name="anchor"/> is start, middle or end; <paramref name="rotate"/> in degrees about (x, y);
    /// <paramref name="halo"/> paints a white outline under the glyphs so the text stays legible over lines.
    /// </summary>
    public void Text(double x, double y, string text, string anchor = "start", double size = 12, string fill = "#222", string? weight = null, double rotate = 0, string baseline = "auto", bool halo = false)
    {
        _body.Append($"<text x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{N(size)}\" fill=\"{Xml.Escape(fill)}\"");
        if (halo)
        {
            _body.Append(" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"");
        }
        if (anchor != "start")
        {
            _body.Append($" text-anchor=\"{Xml.Escape(anchor)}\"");
        }
        if (weight is not null)
        {
            _body.Append($" font-weight=\"{Xml.Escape(weight)}\"");
        }
        if (baseline != "auto")
        {
            _body.Append($" dominant-baseline=\"{Xml.Escape(baseline)}\"");
        }
        if (rotate != 0)
        {
            _body.Append($" transform=\"rotate({N(rotate)} {N(x)} {N(y)})\"");
        }
        _body.Append('>').Append(Xml.Escape(text)).Append("</text>");
    }

    public void Image(double x, double y, double width, double height, string dataUri)
    {
        _body.Append($"<image x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(width)}\" height=\"{N(height)}\" preserveAspectRatio=\"none\" href=\"{Xml.Escape(dataUri)}\"/>");
    }

    /// <summary>A linear gradient definition (for colour bars), stops as (offset 0–1, colour).</summary>
    public void LinearGradient(string id, IReadOnlyList<(double Offset, string Color)> stops, bool vertical)
    {
        _body.Append($"<defs><linearGradient id=\"{Xml.Escape(id)}\" x1=\"0\" y1=\"{(vertical ? 1 : 0)}\" x2=\"{(vertical ? 0 : 1)}\" y2=\"0\">");
        foreach (var (offset, color) in stops)
        {
            _body.Append($"<stop offset=\"{N(offset)}\" stop-color=\"{Xml.Escape(color)}\"/>");
        }
        _body.Append("</linearGradient></defs>");
    }

    public override string ToString()
    {
        string titleId = Id("title");
        string descId = Id("desc");
        return new StringBuilder()
            .Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {N(Width)} {N(Height)}\" width=\"{N(Width)}\" height=\"{N(Height)}\"")
            .Append($" role=\"img\" aria-labelledby=\"{titleId} {descId}\" font-family=\"{Xml.Escape(FontFamily)}\" class=\"chart\">")
            .Append($"<title id=\"{titleId}\">{Xml.Escape(_title)}</title><desc id=\"{descId}\">{Xml.Escape(_description)}</desc>")
            .Append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>")
            .Append(_body)
            .Append("</svg>")
            .ToString();
    }

    private void CloseWithTooltip(string element, string? tooltip)
    {
        if (tooltip is null)
        {
            _body.Append("/>");
        }
        else
        {
            _body.Append("><title>").Append(Xml.Escape(tooltip)).Append("</title></").Append(element).Append('>');
        }
    }

    private static string SanitiseId(string prefix)
    {
        var builder = new StringBuilder();
        foreach (char c in prefix)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        }
        if (builder.Length == 0 || !char.IsAsciiLetter(builder[0]))
        {
            builder.Insert(0, "svg-");
        }
        return builder.ToString();
    }
}
