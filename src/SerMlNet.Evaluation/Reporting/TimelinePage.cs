using System.Globalization;
using System.Text;
using SerMlNet.Audio.Io;
using SerMlNet.Evaluation.Figures;
using SerMlNet.Onnx.Recognition.Timelines;

namespace SerMlNet.Evaluation.Reporting;

/// <summary>
/// A self-contained HTML page of a <see cref="Timeline"/>: one figure (<see cref="TimelineFigures.Timeline"/>, inline
/// SVG), the overall answer and a table of the segments; inline CSS only, no scripts or network references (a
/// Content-Security-Policy forbids them), well-formed XML. Stateless; thread-safe.
/// </summary>
public static class TimelinePage
{
    /// <summary>The figure's element id on the page.</summary>
    public const string FigureId = "fig-timeline";

    private const int Width = 1100;
    private const int Height = 360;

    private const string Css =
        "body{font-family:'DejaVu Sans',sans-serif;margin:2em auto;max-width:1140px;color:#222}" +
        "figure{margin:1em 0}svg{width:100%;height:auto}table{border-collapse:collapse;font-size:.9em}" +
        "td,th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:right}td:nth-child(3),th:nth-child(3){text-align:left}";

    /// <summary>Builds the page.</summary>
    /// <param name="timeline">The timeline.</param>
    /// <param name="model">The model's name for the caption (e.g. its file name).</param>
    /// <returns>The HTML document.</returns>
    public static string Build(Timeline timeline, string model)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(model);
        string title = $"Emotion timeline: {Path.GetFileName(timeline.Source)}";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\"/>\n")
            .Append("<meta name=\"generator\" content=\"SerMlNet\"/>\n")
            .Append("<title>").Append(Xml.Escape(title)).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n")
            .Append("<h1>").Append(Xml.Escape(title)).Append("</h1>\n");
        html.Append(string.Create(CultureInfo.InvariantCulture,
            $"<p>{Xml.Escape(timeline.Source)}: {timeline.DurationSeconds:F1} s, {timeline.Entries.Count} windows, model {Xml.Escape(model)}. Overall (mean of the windows): <b>{Xml.Escape(timeline.Overall.Label)}</b> {timeline.Overall.Confidence * 100:F1} %.</p>\n"));
        html.Append("<figure id=\"").Append(FigureId).Append("\">\n")
            .Append(FigureExport.ToInlineSvg(TimelineFigures.Timeline(timeline), Width, Height, FigureId, title))
            .Append(string.Create(CultureInfo.InvariantCulture,
                $"\n<figcaption>Each block is a segment of equal smoothed label (mean of each window's probabilities and those of {timeline.SmoothingRadius} neighbour(s) on each side); its height is the mean smoothed confidence. The grey line is every window's smoothed confidence.</figcaption>\n</figure>\n"));
        html.Append("<table>\n<thead><tr><th>start (s)</th><th>end (s)</th><th>label</th><th>confidence</th><th>windows</th></tr></thead>\n<tbody>\n");
        foreach (TimelineSegment s in timeline.Segments)
        {
            html.Append(string.Create(CultureInfo.InvariantCulture,
                $"<tr><td>{s.StartSeconds:F2}</td><td>{s.EndSeconds:F2}</td><td>{Xml.Escape(s.Label)}</td><td>{s.Confidence * 100:F1} %</td><td>{s.Windows}</td></tr>\n"));
        }
        html.Append("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Builds the page and writes it atomically (temporary file, then rename); the folder is created if missing.</summary>
    /// <param name="path">Destination, e.g. <c>timeline.html</c>.</param>
    /// <param name="timeline">The timeline.</param>
    /// <param name="model">The model's name for the caption.</param>
    public static void Write(string path, Timeline timeline, string model) => AtomicFile.WriteAllText(path, Build(timeline, model));
}
