using System.Text.Json;
using SerMlNet.Audio.Io;

namespace SerMlNet.Onnx.Recognition.Timelines;

/// <summary>
/// Writes a <see cref="Timeline"/> as JSON (format <c>sermlnet.timeline</c>, version 1):
/// <code>
/// { "format": "sermlnet.timeline", "version": 1, "source": "long.wav", "durationSeconds": 3600.0,
///   "labels": ["neutral", ...], "smoothingRadius": 1,
///   "overall": { "label": "calm", "confidence": 0.31, "probabilities": [0.12, ...] },   // label order
///   "segments": [ { "startSeconds": 0, "endSeconds": 12.7, "label": "calm", "confidence": 0.62, "firstWindow": 0, "windows": 8 } ],
///   "windows": [ { "index": 0, "startSeconds": 0, "endSeconds": 2.99, "label": "calm", "confidence": 0.6,
///                  "rawLabel": "calm", "rawConfidence": 0.7, "probabilities": [ ... ] } ] }   // smoothed, label order
/// </code>
/// Probabilities are fractions in [0, 1]; times in seconds. Stateless; thread-safe.
/// </summary>
public static class TimelineJson
{
    /// <summary>Writes the document to a file atomically (temporary file, then rename); the folder is created if missing.</summary>
    /// <param name="path">Destination.</param>
    /// <param name="timeline">The timeline.</param>
    public static void Write(string path, Timeline timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        AtomicFile.Write(path, stream => Write(stream, timeline));
    }

    /// <summary>Writes the document to a stream.</summary>
    /// <param name="stream">Destination, from its current position; left open.</param>
    /// <param name="timeline">The timeline.</param>
    public static void Write(Stream stream, Timeline timeline)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(timeline);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("format", Timeline.FormatName);
        writer.WriteNumber("version", Timeline.FormatVersion);
        writer.WriteString("source", timeline.Source);
        writer.WriteNumber("durationSeconds", Math.Round(timeline.DurationSeconds, 6));
        writer.WriteStartArray("labels");
        foreach (string label in timeline.Labels)
        {
            writer.WriteStringValue(label);
        }
        writer.WriteEndArray();
        writer.WriteNumber("smoothingRadius", timeline.SmoothingRadius);
        writer.WriteStartObject("overall");
        writer.WriteString("label", timeline.Overall.Label);
        writer.WriteNumber("confidence", timeline.Overall.Confidence);
        Probabilities(writer, timeline.Overall.Probabilities);
        writer.WriteEndObject();
        writer.WriteStartArray("segments");
        foreach (TimelineSegment s in timeline.Segments)
        {
            writer.WriteStartObject();
            writer.WriteNumber("startSeconds", Math.Round(s.StartSeconds, 6));
            writer.WriteNumber("endSeconds", Math.Round(s.EndSeconds, 6));
            writer.WriteString("label", s.Label);
            writer.WriteNumber("confidence", s.Confidence);
            writer.WriteNumber("firstWindow", s.FirstWindow);
            writer.WriteNumber("windows", s.Windows);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("windows");
        foreach (TimelineEntry e in timeline.Entries)
        {
            writer.WriteStartObject();
            writer.WriteNumber("index", e.Index);
            writer.WriteNumber("startSeconds", Math.Round(e.StartSeconds, 6));
            writer.WriteNumber("endSeconds", Math.Round(e.EndSeconds, 6));
            writer.WriteString("label", e.Label);
            writer.WriteNumber("confidence", e.Confidence);
            writer.WriteString("rawLabel", e.RawLabel);
            writer.WriteNumber("rawConfidence", e.RawConfidence);
            Probabilities(writer, e.Probabilities);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Probabilities(Utf8JsonWriter writer, IReadOnlyList<float> probabilities)
    {
        writer.WriteStartArray("probabilities");
        foreach (float p in probabilities)
        {
            writer.WriteNumberValue(p);
        }
        writer.WriteEndArray();
    }
}
