using System.Text.Json;
using SerMlNet.Onnx;
using SerMlNet.Onnx.Recognition;

namespace SerMlNet.Predict;

/// <summary>
/// <c>--stream</c> output: JSON lines (format <c>sermlnet.predict-stream</c>, version 1), one per window as soon as it is
/// scored, flushed, then one summary line at the end of the stream:
/// <code>
/// {"format":"sermlnet.predict-stream","version":1,"type":"window","index":0,"startSeconds":0,"endSeconds":2.99,"label":"angry","confidence":0.81,"probabilities":{"angry":0.81,...}}
/// {"format":"sermlnet.predict-stream","version":1,"type":"summary","source":"stdin","windows":12,"durationSeconds":18.58,"label":"angry","confidence":0.52,"probabilities":{...},"elapsedSeconds":0.31,"realTimeFactor":0.017}
/// </code>
/// Probabilities are fractions in [0, 1], most probable first (ties in label order), cut to <c>--top K</c>; times are
/// seconds in the stream; <c>realTimeFactor</c> is processing time over audio time (below 1: faster than real time).
/// A stream that breaks off gets no summary: its windows, then one error line on standard error. Not thread-safe.
/// </summary>
/// <param name="top">Classes listed per line; null for all.</param>
internal sealed class StreamReport(int? top) : IDisposable
{
    /// <summary>The lines' format name.</summary>
    public const string FormatName = "sermlnet.predict-stream";

    /// <summary>The lines' format version; changes whenever a field changes meaning or disappears.</summary>
    public const int FormatVersion = 1;

    private readonly Stream _stdout = Console.OpenStandardOutput();
    private readonly MemoryStream _line = new();

    /// <summary>Prints one window's line and flushes it.</summary>
    /// <param name="window">The window.</param>
    public void Add(WindowResult window)
    {
        Write(writer =>
        {
            Head(writer, "window");
            writer.WriteNumber("index", window.Index);
            writer.WriteNumber("startSeconds", Math.Round(window.StartSeconds, 6));
            writer.WriteNumber("endSeconds", Math.Round(window.EndSeconds, 6));
            Prediction(writer, window.Prediction);
        });
    }

    /// <summary>Prints the summary line and flushes it.</summary>
    /// <param name="summary">The mean of the stream's windows.</param>
    /// <param name="elapsedSeconds">Seconds from opening the stream to its last window.</param>
    public void Finish(RecognitionResult summary, double elapsedSeconds)
    {
        Write(writer =>
        {
            Head(writer, "summary");
            writer.WriteString("source", summary.Source);
            writer.WriteNumber("windows", summary.Windows.Count);
            writer.WriteNumber("durationSeconds", Math.Round(summary.DurationSeconds, 6));
            Prediction(writer, summary.Prediction);
            writer.WriteNumber("elapsedSeconds", Math.Round(elapsedSeconds, 3));
            writer.WriteNumber("realTimeFactor", Math.Round(elapsedSeconds / summary.DurationSeconds, 6));
        });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stdout.Flush();
        _line.Dispose();
    }

    private static void Head(Utf8JsonWriter writer, string type)
    {
        writer.WriteString("format", FormatName);
        writer.WriteNumber("version", FormatVersion);
        writer.WriteString("type", type);
    }

    private void Prediction(Utf8JsonWriter writer, EmotionPrediction prediction)
    {
        writer.WriteString("label", prediction.Label);
        writer.WriteNumber("confidence", prediction.Confidence);
        writer.WriteStartObject("probabilities");
        foreach (ClassScore score in prediction.Top(top ?? prediction.Labels.Count))
        {
            writer.WriteNumber(score.Label, score.Probability);
        }
        writer.WriteEndObject();
    }

    private void Write(Action<Utf8JsonWriter> body)
    {
        _line.SetLength(0);
        using (var writer = new Utf8JsonWriter(_line))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        _line.WriteByte((byte)'\n');
        _stdout.Write(_line.GetBuffer(), 0, (int)_line.Length);
        _stdout.Flush();
    }
}
