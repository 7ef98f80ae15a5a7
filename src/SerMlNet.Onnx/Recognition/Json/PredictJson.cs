using System.Text.Json;

namespace SerMlNet.Onnx.Recognition.Json;

/// <summary>
/// The Predict JSON document, format <c>sermlnet.predict</c> version 1, the one writer of <c>Predict --json</c> and of
/// <c>ser serve</c>'s <c>/v1/recognize</c>, so the service answers byte for byte what the console prints for the same
/// input, model path and source name (a test holds the two equal):
/// <code>
/// {
///   "format": "sermlnet.predict", "version": 1,
///   "model": "/abs/path/model.onnx", "inputKind": "logMel" | "pcm",
///   "provider": "cpu" | "cuda", "requestedProvider": "cpu" | "cuda" | "auto", "providerFallback": null | "why",
///   "labels": ["neutral", ...],
///   "windowSeconds": 2.99, "hopSeconds": 1.5,
///   "results": [ { "source": "...", "durationSeconds": 3.3, "label": "angry", "confidence": 0.413,
///                  "probabilities": [ { "label": "angry", "probability": 0.413 }, ... ],
///                  "windows": [ { "index": 0, "startSeconds": 0.5, "endSeconds": 3.49, "label": ..., "confidence": ...,
///                                 "probabilities": [ ... ] } ] } ],
///   "errors": [ { "source": "bad.wav", "message": "..." } ]
/// }
/// </code>
/// Probabilities are fractions in [0, 1], most probable first; times are seconds into the input before trimming.
/// (<c>/v1/stream</c> answers in the lines of <c>Predict --stream</c> instead: <see cref="PredictStreamJson"/>.)
/// Stateless; thread-safe (a writer is not: one per document).
/// </summary>
public static class PredictJson
{
    /// <summary>The document's format name.</summary>
    public const string FormatName = "sermlnet.predict";

    /// <summary>The document's format version.</summary>
    public const int FormatVersion = 1;

    /// <summary>The writer settings of the document: indented, as Predict prints it.</summary>
    public static JsonWriterOptions DocumentOptions { get; } = new() { Indented = true };

    /// <summary>Writes a whole document (head, results, errors) without the trailing line break.</summary>
    /// <param name="writer">The writer, at the start of a value.</param>
    /// <param name="recognizer">The model and its settings.</param>
    /// <param name="results">The results, in order.</param>
    /// <param name="top">Classes listed per prediction, most probable first; null for all.</param>
    public static void WriteDocument(Utf8JsonWriter writer, EmotionRecognizer recognizer, IReadOnlyList<RecognitionResult> results, int? top)
    {
        ArgumentNullException.ThrowIfNull(results);
        WriteHead(writer, recognizer);
        foreach (RecognitionResult result in results)
        {
            WriteResult(writer, result, top);
        }
        WriteTail(writer, []);
    }

    /// <summary>Opens the document and writes everything before the first result (the <c>results</c> array is left open).</summary>
    /// <param name="writer">The writer, at the start of a value.</param>
    /// <param name="recognizer">The model and its settings.</param>
    public static void WriteHead(Utf8JsonWriter writer, EmotionRecognizer recognizer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(recognizer);
        OnnxModel model = recognizer.Model;
        writer.WriteStartObject();
        writer.WriteString("format", FormatName);
        writer.WriteNumber("version", FormatVersion);
        writer.WriteString("model", model.ModelPath);
        writer.WriteString("inputKind", model.InputKind == ModelInputKind.LogMel ? "logMel" : "pcm");
        writer.WriteString("provider", ExecutionProviderNames.Name(model.Provider));
        writer.WriteString("requestedProvider", ExecutionProviderNames.Name(model.RequestedProvider));
        if (model.ProviderFallbackReason is { } reason)
        {
            writer.WriteString("providerFallback", reason);
        }
        else
        {
            writer.WriteNull("providerFallback");
        }
        writer.WriteStartArray("labels");
        foreach (string label in model.Labels)
        {
            writer.WriteStringValue(label);
        }
        writer.WriteEndArray();
        writer.WriteNumber("windowSeconds", Math.Round(recognizer.WindowSeconds, 6));
        writer.WriteNumber("hopSeconds", Math.Round(recognizer.HopSeconds, 6));
        writer.WriteStartArray("results");
    }

    /// <summary>Writes one element of <c>results</c>.</summary>
    /// <param name="writer">The writer, inside the <c>results</c> array.</param>
    /// <param name="result">The result.</param>
    /// <param name="top">Classes listed per prediction; null for all.</param>
    public static void WriteResult(Utf8JsonWriter writer, RecognitionResult result, int? top)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteStartObject();
        writer.WriteString("source", result.Source);
        writer.WriteNumber("durationSeconds", Math.Round(result.DurationSeconds, 6));
        WritePrediction(writer, result.Prediction, top);
        writer.WriteStartArray("windows");
        foreach (WindowResult window in result.Windows)
        {
            WriteWindow(writer, window.Index, window.StartSeconds, window.EndSeconds, window.Prediction, top);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes one window object (an element of a result's <c>windows</c>).</summary>
    /// <param name="writer">The writer, where a value may start.</param>
    /// <param name="index">Position of the window, 0 first.</param>
    /// <param name="startSeconds">Start in seconds from the start of the input.</param>
    /// <param name="endSeconds">End in seconds from the start of the input.</param>
    /// <param name="prediction">The window's prediction.</param>
    /// <param name="top">Classes listed; null for all.</param>
    public static void WriteWindow(Utf8JsonWriter writer, int index, double startSeconds, double endSeconds, EmotionPrediction prediction, int? top)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(prediction);
        writer.WriteStartObject();
        writer.WriteNumber("index", index);
        writer.WriteNumber("startSeconds", Math.Round(startSeconds, 6));
        writer.WriteNumber("endSeconds", Math.Round(endSeconds, 6));
        WritePrediction(writer, prediction, top);
        writer.WriteEndObject();
    }

    /// <summary>Closes the <c>results</c> array, writes <c>errors</c> and closes the document.</summary>
    /// <param name="writer">The writer, inside the <c>results</c> array.</param>
    /// <param name="errors">Inputs that could not be scored, with a one-line message each.</param>
    public static void WriteTail(Utf8JsonWriter writer, IReadOnlyList<(string Source, string Message)> errors)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(errors);
        writer.WriteEndArray();
        writer.WriteStartArray("errors");
        foreach ((string source, string message) in errors)
        {
            writer.WriteStartObject();
            writer.WriteString("source", source);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WritePrediction(Utf8JsonWriter writer, EmotionPrediction prediction, int? top)
    {
        writer.WriteString("label", prediction.Label);
        writer.WriteNumber("confidence", prediction.Confidence);
        writer.WriteStartArray("probabilities");
        foreach (ClassScore score in prediction.Top(top ?? prediction.Labels.Count))
        {
            writer.WriteStartObject();
            writer.WriteString("label", score.Label);
            writer.WriteNumber("probability", score.Probability);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
