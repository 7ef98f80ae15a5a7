using System.Globalization;
using System.Text;
using SerMlNet.Audio.Io;

namespace SerMlNet.Onnx.Recognition.Timelines;

/// <summary>
/// Writes a <see cref="Timeline"/> as CSV, one row per window. The first line names the format,
/// <c># sermlnet.timeline 1</c> (read it with <c>pandas.read_csv(path, comment='#')</c>); then the header
/// <c>index,start_seconds,end_seconds,label,confidence,raw_label,raw_confidence,p_&lt;label&gt;…</c>: <c>label</c> and
/// <c>confidence</c> are smoothed, <c>raw_*</c> the window's own, one smoothed <c>p_&lt;label&gt;</c> column per class in
/// label order. Numbers use the invariant culture; floats round-trip. Stateless; thread-safe.
/// </summary>
public static class TimelineCsv
{
    /// <summary>Writes the CSV to a file atomically (temporary file, then rename); the folder is created if missing.</summary>
    /// <param name="path">Destination.</param>
    /// <param name="timeline">The timeline.</param>
    public static void Write(string path, Timeline timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            Write(writer, timeline);
        });
    }

    /// <summary>Writes the CSV to a text writer.</summary>
    /// <param name="writer">Destination.</param>
    /// <param name="timeline">The timeline.</param>
    public static void Write(TextWriter writer, Timeline timeline)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(timeline);
        writer.Write(string.Create(CultureInfo.InvariantCulture, $"# {Timeline.FormatName} {Timeline.FormatVersion}\n"));
        writer.Write("index,start_seconds,end_seconds,label,confidence,raw_label,raw_confidence");
        foreach (string label in timeline.Labels)
        {
            writer.Write(",p_");
            writer.Write(Field(label));
        }
        writer.Write('\n');
        foreach (TimelineEntry e in timeline.Entries)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{e.Index},{Math.Round(e.StartSeconds, 6)},{Math.Round(e.EndSeconds, 6)},{Field(e.Label)},{e.Confidence:R},{Field(e.RawLabel)},{e.RawConfidence:R}"));
            foreach (float p in e.Probabilities)
            {
                writer.Write(',');
                writer.Write(p.ToString("R", CultureInfo.InvariantCulture));
            }
            writer.Write('\n');
        }
    }

    /// <summary>A CSV field: quoted (quotes doubled) when it holds a comma, quote or line break.</summary>
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
