using System.Globalization;
using System.Text.Json;
using SerMlNet.Onnx;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Onnx.Recognition.Json;

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
/// <param name="speeds">Test-time speeds the recognizer averages over (<c>--tta</c>), named in each input's first line; empty for none.</param>
internal sealed class TextReport(int? top, IReadOnlyList<double> speeds) : IReport
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
        string augmented = speeds.Count == 0 ? string.Empty : $"with test-time speeds {string.Join(", ", speeds.Select(s => s.ToString(CultureInfo.InvariantCulture)))}";
        if (result.Windows.Count > 1)
        {
            text.Append(CultureInfo.InvariantCulture, $" (mean of {result.Windows.Count} windows over {result.DurationSeconds:F2} s{(augmented.Length > 0 ? "; " + augmented : string.Empty)})");
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
            text.Append(augmented.Length > 0 ? $" ({augmented})" : string.Empty);
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
/// <c>--json</c>: the Predict document (<see cref="PredictJson"/>, format <c>sermlnet.predict</c> version 1) streamed to
/// standard output, one result at a time.
/// </summary>
internal sealed class JsonReport : IReport
{
    /// <summary>The document's format name.</summary>
    public const string FormatName = PredictJson.FormatName;

    /// <summary>The document's format version; changes whenever a field changes meaning or disappears.</summary>
    public const int FormatVersion = PredictJson.FormatVersion;

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
        _writer = new Utf8JsonWriter(_stdout, PredictJson.DocumentOptions);
        PredictJson.WriteHead(_writer, recognizer);
        _writer.Flush();
    }

    /// <inheritdoc />
    public void Add(RecognitionResult result)
    {
        PredictJson.WriteResult(_writer, result, _top);
        _writer.Flush();
    }

    /// <inheritdoc />
    public void Finish(IReadOnlyList<(string Source, string Message)> errors)
    {
        PredictJson.WriteTail(_writer, errors);
        _writer.Flush();
        _stdout.Write("\n"u8);
        _stdout.Flush();
        _writer.Dispose();
    }
}
