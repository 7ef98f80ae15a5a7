using System.Text.Json;

namespace SerMlNet.Onnx.Recognition.Json;

/// <summary>
/// The JSON lines of <c>Predict --stream</c>, format <c>sermlnet.predict-stream</c> version 1: the one writer of the
/// console and of <c>ser serve</c>'s <c>/v1/stream</c>, so the service answers what <c>Predict --wav - --stream</c>
/// prints for the same stream (a test holds the window lines equal byte for byte):
/// <code>
/// {"format":"sermlnet.predict-stream","version":1,"type":"window","index":0,"startSeconds":0,"endSeconds":2.99,"label":"angry","confidence":0.81,"probabilities":{"angry":0.81,...}}
/// {"format":"sermlnet.predict-stream","version":1,"type":"summary","source":"request","windows":12,"durationSeconds":18.58,"label":"angry","confidence":0.52,"probabilities":{...},"elapsedSeconds":0.31,"realTimeFactor":0.017}
/// </code>
/// Probabilities are fractions in [0, 1], most probable first, cut to <c>top</c>; times are seconds in the stream;
/// <c>realTimeFactor</c> is processing time over audio time. The service adds one line type of its own for a stream that
/// fails after its first line: <c>{"format":"sermlnet.predict-stream","version":1,"type":"error","error":"..."}</c>
/// (Predict prints that error on standard error instead). Stateless; thread-safe (a writer is not).
/// </summary>
public static class PredictStreamJson
{
    /// <summary>The lines' format name.</summary>
    public const string FormatName = "sermlnet.predict-stream";

    /// <summary>The lines' format version.</summary>
    public const int FormatVersion = 1;

    /// <summary>Writes one window's line (without the line break).</summary>
    /// <param name="writer">A compact writer, at the start of a value.</param>
    /// <param name="window">The window.</param>
    /// <param name="top">Classes listed; null for all.</param>
    public static void WriteWindow(Utf8JsonWriter writer, WindowResult window, int? top)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(window);
        writer.WriteStartObject();
        Head(writer, "window");
        writer.WriteNumber("index", window.Index);
        writer.WriteNumber("startSeconds", Math.Round(window.StartSeconds, 6));
        writer.WriteNumber("endSeconds", Math.Round(window.EndSeconds, 6));
        Prediction(writer, window.Prediction, top);
        writer.WriteEndObject();
    }

    /// <summary>Writes the summary line (without the line break).</summary>
    /// <param name="writer">A compact writer, at the start of a value.</param>
    /// <param name="summary">The mean of the stream's windows (<see cref="RecognitionResult.FromWindows"/>).</param>
    /// <param name="elapsedSeconds">Seconds from the start of the stream to its last window.</param>
    /// <param name="top">Classes listed; null for all.</param>
    public static void WriteSummary(Utf8JsonWriter writer, RecognitionResult summary, double elapsedSeconds, int? top)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(summary);
        writer.WriteStartObject();
        Head(writer, "summary");
        writer.WriteString("source", summary.Source);
        writer.WriteNumber("windows", summary.Windows.Count);
        writer.WriteNumber("durationSeconds", Math.Round(summary.DurationSeconds, 6));
        Prediction(writer, summary.Prediction, top);
        writer.WriteNumber("elapsedSeconds", Math.Round(elapsedSeconds, 3));
        writer.WriteNumber("realTimeFactor", Math.Round(elapsedSeconds / summary.DurationSeconds, 6));
        writer.WriteEndObject();
    }

    /// <summary>Writes the service's error line (without the line break).</summary>
    /// <param name="writer">A compact writer, at the start of a value.</param>
    /// <param name="message">What went wrong, on one line.</param>
    public static void WriteError(Utf8JsonWriter writer, string message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        writer.WriteStartObject();
        Head(writer, "error");
        writer.WriteString("error", message);
        writer.WriteEndObject();
    }

    private static void Head(Utf8JsonWriter writer, string type)
    {
        writer.WriteString("format", FormatName);
        writer.WriteNumber("version", FormatVersion);
        writer.WriteString("type", type);
    }

    private static void Prediction(Utf8JsonWriter writer, EmotionPrediction prediction, int? top)
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
}
