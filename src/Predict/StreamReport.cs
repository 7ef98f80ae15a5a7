using System.Text.Json;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Onnx.Recognition.Json;

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
    public const string FormatName = PredictStreamJson.FormatName;

    /// <summary>The lines' format version; changes whenever a field changes meaning or disappears.</summary>
    public const int FormatVersion = PredictStreamJson.FormatVersion;

    private readonly Stream _stdout = Console.OpenStandardOutput();
    private readonly MemoryStream _line = new();

    /// <summary>Prints one window's line and flushes it.</summary>
    /// <param name="window">The window.</param>
    public void Add(WindowResult window) => Write(writer => PredictStreamJson.WriteWindow(writer, window, top));

    /// <summary>Prints the summary line and flushes it.</summary>
    /// <param name="summary">The mean of the stream's windows.</param>
    /// <param name="elapsedSeconds">Seconds from opening the stream to its last window.</param>
    public void Finish(RecognitionResult summary, double elapsedSeconds) => Write(writer => PredictStreamJson.WriteSummary(writer, summary, elapsedSeconds, top));

    /// <inheritdoc />
    public void Dispose()
    {
        _stdout.Flush();
        _line.Dispose();
    }

    private void Write(Action<Utf8JsonWriter> body)
    {
        _line.SetLength(0);
        using (var writer = new Utf8JsonWriter(_line))
        {
            body(writer);
        }
        _line.WriteByte((byte)'\n');
        _stdout.Write(_line.GetBuffer(), 0, (int)_line.Length);
        _stdout.Flush();
    }
}
