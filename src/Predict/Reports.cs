using System.Globalization;
using System.Text.Json;
using SerMlNet.Onnx;
using SerMlNet.Onnx.Recognition;

namespace SerMlNet.Predict;

/// <summary>Where results go as they come: the console text or the JSON document. Not thread-safe.</summary>
internal interface IReport
{
    /// <summary>Prints one input's result.</summary>
    /// <param name="result">The result.</param>
    void Add(RecognitionResult result);

    /// <summary>Ends the output.</summary>
    /// <param name="errors">Inputs of a folder that could not be scored (each already reported on standard error).</param>
    void Finish(IReadOnlyList<(string Source, string Message)> errors);
}

/// <summary>
/// Human-readable output, one block per input:
/// <code>
/// clip.wav: angry 41.3 %
///   angry      41.3 %
///   happy      20.2 %
/// </code>
/// and, for input longer than a window, one line per window before the overall probabilities:
/// <code>
/// long.wav: angry 38.0 % (mean of 8 windows over 14.58 s)
///   window 1   0.50 -  3.49 s  angry 41.0 %
///   ...
/// </code>
/// </summary>
/// <param name="top">Classes listed per input; null for all.</param>
internal sealed class TextReport(int? top) : IReport
{
    private bool _first = true;

    /// <inheritdoc />
    public void Add(RecognitionResult result)
    {
        var text = new System.Text.StringBuilder();
        if (!_first)
        {
            text.AppendLine();
        }
        _first = false;
        IReadOnlyList<string> labels = result.Prediction.Labels;
        int width = 0;
        foreach (string label in labels)
        {
            width = Math.Max(width, label.Length);
        }
        text.Append(CultureInfo.InvariantCulture, $"{result.Source}: {result.Label} {Percent(result.Confidence)}");
        if (result.Windows.Count > 1)
        {
            text.Append(CultureInfo.InvariantCulture, $" (mean of {result.Windows.Count} windows over {result.DurationSeconds:F2} s)");
            text.AppendLine();
            int digits = result.Windows.Count.ToString(CultureInfo.InvariantCulture).Length;
            foreach (WindowResult window in result.Windows)
            {
                string number = (window.Index + 1).ToString(CultureInfo.InvariantCulture).PadLeft(digits);
                text.Append(CultureInfo.InvariantCulture,
                    $"  window {number}  {window.StartSeconds,6:F2} - {window.EndSeconds,6:F2} s  {window.Prediction.Label} {Percent(window.Prediction.Confidence)}");
                text.AppendLine();
            }
        }
        else
        {
            text.AppendLine();
        }
        foreach (ClassScore score in result.Top(top ?? labels.Count))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {score.Label.PadRight(width)}  {Percent(score.Probability),7}");
            text.AppendLine();
        }
        Console.Out.Write(text.ToString());
    }

    /// <inheritdoc />
    public void Finish(IReadOnlyList<(string Source, string Message)> errors)
    {
        if (errors.Count > 0)
        {
            Console.Out.WriteLine();
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{errors.Count} file(s) could not be scored (see standard error)."));
        }
        Console.Out.Flush();
    }

    private static string Percent(float probability) => string.Create(CultureInfo.InvariantCulture, $"{probability * 100:F1} %");
}

/// <summary>
/// Machine-readable output: one JSON document, written as results come.
/// <code>
/// {
///   "format": "sermlnet.predict", "version": 1,
///   "model": "/abs/path/model.onnx", "inputKind": "logMel" | "pcm",
///   "provider": "cpu" | "cuda", "requestedProvider": "cpu" | "cuda" | "auto", "providerFallback": null | "why",
///   "labels": ["neutral", ...],                       // output order of the model
///   "windowSeconds": 2.99, "hopSeconds": 1.5,
///   "results": [ {
///     "source": "path/as/found.wav", "durationSeconds": 3.3,
///     "label": "angry", "confidence": 0.413,          // probabilities are fractions in [0, 1]
///     "probabilities": [ { "label": "angry", "probability": 0.413 }, ... ],   // most probable first; --top K limits
///     "windows": [ { "index": 0, "startSeconds": 0.5, "endSeconds": 3.49, "label": "angry", "confidence": 0.41,
///                    "probabilities": [ ... ] } ]    // at least one; times in the input, before trimming
///   } ],
///   "errors": [ { "source": "bad.wav", "message": "..." } ]   // folder mode: files that could not be scored
/// }
/// </code>
/// </summary>
internal sealed class JsonReport : IReport
{
    /// <summary>The document's format name.</summary>
    public const string FormatName = "sermlnet.predict";

    /// <summary>The document's format version; changes whenever a field changes meaning or disappears.</summary>
    public const int FormatVersion = 1;

    private readonly Stream _stdout;
    private readonly Utf8JsonWriter _writer;
    private readonly int? _top;

    /// <summary>Writes the document's head.</summary>
    /// <param name="recognizer">The model and its settings.</param>
    /// <param name="top">Classes listed per result; null for all.</param>
    public JsonReport(EmotionRecognizer recognizer, int? top)
    {
        _top = top;
        _stdout = Console.OpenStandardOutput();
        _writer = new Utf8JsonWriter(_stdout, new JsonWriterOptions { Indented = true });
        OnnxModel model = recognizer.Model;
        _writer.WriteStartObject();
        _writer.WriteString("format", FormatName);
        _writer.WriteNumber("version", FormatVersion);
        _writer.WriteString("model", model.ModelPath);
        _writer.WriteString("inputKind", model.InputKind == ModelInputKind.LogMel ? "logMel" : "pcm");
        _writer.WriteString("provider", Name(model.Provider));
        _writer.WriteString("requestedProvider", Name(model.RequestedProvider));
        if (model.ProviderFallbackReason is { } reason)
        {
            _writer.WriteString("providerFallback", reason);
        }
        else
        {
            _writer.WriteNull("providerFallback");
        }
        _writer.WriteStartArray("labels");
        foreach (string label in model.Labels)
        {
            _writer.WriteStringValue(label);
        }
        _writer.WriteEndArray();
        _writer.WriteNumber("windowSeconds", Math.Round(recognizer.WindowSeconds, 6));
        _writer.WriteNumber("hopSeconds", Math.Round(recognizer.HopSeconds, 6));
        _writer.WriteStartArray("results");
        _writer.Flush();
    }

    /// <inheritdoc />
    public void Add(RecognitionResult result)
    {
        _writer.WriteStartObject();
        _writer.WriteString("source", result.Source);
        _writer.WriteNumber("durationSeconds", Math.Round(result.DurationSeconds, 6));
        WritePrediction(result.Prediction);
        _writer.WriteStartArray("windows");
        foreach (WindowResult window in result.Windows)
        {
            _writer.WriteStartObject();
            _writer.WriteNumber("index", window.Index);
            _writer.WriteNumber("startSeconds", Math.Round(window.StartSeconds, 6));
            _writer.WriteNumber("endSeconds", Math.Round(window.EndSeconds, 6));
            WritePrediction(window.Prediction);
            _writer.WriteEndObject();
        }
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.Flush();
    }

    /// <inheritdoc />
    public void Finish(IReadOnlyList<(string Source, string Message)> errors)
    {
        _writer.WriteEndArray();
        _writer.WriteStartArray("errors");
        foreach ((string source, string message) in errors)
        {
            _writer.WriteStartObject();
            _writer.WriteString("source", source);
            _writer.WriteString("message", message);
            _writer.WriteEndObject();
        }
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.Flush();
        _stdout.Write("\n"u8);
        _stdout.Flush();
        _writer.Dispose();
    }

    private void WritePrediction(EmotionPrediction prediction)
    {
        _writer.WriteString("label", prediction.Label);
        _writer.WriteNumber("confidence", prediction.Confidence);
        _writer.WriteStartArray("probabilities");
        foreach (ClassScore score in prediction.Top(_top ?? prediction.Labels.Count))
        {
            _writer.WriteStartObject();
            _writer.WriteString("label", score.Label);
            _writer.WriteNumber("probability", score.Probability);
            _writer.WriteEndObject();
        }
        _writer.WriteEndArray();
    }

    private static string Name(ExecutionProvider provider) => ExecutionProviderNames.Name(provider);
}
