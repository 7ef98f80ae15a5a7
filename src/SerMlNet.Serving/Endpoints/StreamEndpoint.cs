using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Serving.Http;
using SerMlNet.Onnx.Recognition.Json;

namespace SerMlNet.Serving.Endpoints;

/// <summary>
/// <c>POST /v1/stream</c>: a WAV body, chunked and as long as the body limit allows (a streaming header with RIFF and
/// <c>data</c> sizes 0 or 0xFFFFFFFF is fine), scored by <see cref="EmotionRecognizer.RecognizeStreamAsync"/> and
/// answered as <c>application/x-ndjson</c> in the lines of <c>Predict --stream</c> (<see cref="PredictStreamJson"/>):
/// one window line as soon as each window's audio has arrived and been scored, then a summary line. A request refused
/// before the first line gets the usual 4xx JSON reply; a failure after it (a stall, the limit, a stream cut inside a
/// frame) ends the reply with one error line. At most <see cref="ServeOptions.MaxConcurrentStreams"/> streams run at
/// once (each scores its windows as they come, outside the request gate, so a stalled stream holds no scoring slot);
/// one more gets 503. Stateless; thread-safe.
/// </summary>
internal static class StreamEndpoint
{
    /// <summary>The media type of the reply.</summary>
    public const string ContentType = "application/x-ndjson; charset=utf-8";

    /// <summary>Answers one request.</summary>
    /// <param name="http">The request's context.</param>
    /// <param name="service">The service.</param>
    /// <returns>A task that completes when the reply is written.</returns>
    public static async Task Handle(HttpContext http, ServiceContext service)
    {
        RequestBody.CheckHeaders(http.Request, service.Options.MaxBodyBytes);
        int? top = RequestErrors.Top(http.Request);
        string source = RequestErrors.Source(http.Request);
        if (!service.Streams.TryEnter())
        {
            throw new ServiceBusyException($"{service.Options.MaxConcurrentStreams} streams are already running; try again shortly");
        }
        try
        {
            await RunAsync(http, service, source, top).ConfigureAwait(false);
        }
        finally
        {
            service.Streams.Exit();
        }
    }

    private static async Task RunAsync(HttpContext http, ServiceContext service, string source, int? top)
    {
        await using GuardedBodyStream body = RequestBody.Open(http, service.Options);
        var line = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(line);
        var windows = new List<WindowResult>();
        long started = Stopwatch.GetTimestamp();
        try
        {
            await foreach (WindowResult window in service.Recognizer.RecognizeStreamAsync(
                body, new StreamRecognitionOptions { SourceName = source }, http.RequestAborted).ConfigureAwait(false))
            {
                if (windows.Count == 0)
                {
                    http.Response.StatusCode = StatusCodes.Status200OK;
                    http.Response.ContentType = ContentType;
                }
                windows.Add(window);
                await WriteLineAsync(http, line, writer, w => PredictStreamJson.WriteWindow(w, window, top)).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (windows.Count > 0 && e is SerMlNetException)
        {
            // The 200 and some lines are out: the error can only be the last line.
            await WriteLineAsync(http, line, writer, w => PredictStreamJson.WriteError(w, ErrorJson.OneLine(e.Message))).ConfigureAwait(false);
            return;
        }
        double elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        RecognitionResult summary = RecognitionResult.FromWindows(source, windows[^1].EndSeconds, windows);
        await WriteLineAsync(http, line, writer, w => PredictStreamJson.WriteSummary(w, summary, elapsed, top)).ConfigureAwait(false);
    }

    private static async Task WriteLineAsync(HttpContext http, ArrayBufferWriter<byte> line, Utf8JsonWriter writer, Action<Utf8JsonWriter> write)
    {
        line.ResetWrittenCount();
        writer.Reset();
        write(writer);
        writer.Flush();
        line.Write("\n"u8);
        await http.Response.Body.WriteAsync(line.WrittenMemory, http.RequestAborted).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }
}
