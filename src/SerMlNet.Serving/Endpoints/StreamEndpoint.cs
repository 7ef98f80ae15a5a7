using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SerMlNet.Serving.Http;
using SerMlNet.Serving.Json;
using SerMlNet.Serving.Streaming;

namespace SerMlNet.Serving.Endpoints;

/// <summary>
/// <c>POST /v1/stream</c>: a WAV body, chunked and as long as the body limit allows (a streaming header with RIFF and
/// <c>data</c> sizes 0 or 0xFFFFFFFF is fine), answered as <c>application/x-ndjson</c>: one window object of the Predict
/// JSON (<see cref="PredictJson.WriteWindow"/>) per line, each sent as soon as its audio has arrived. A request refused
/// before the first line gets the usual 4xx JSON reply; a failure after it (a stall, the limit) ends the reply with one
/// last line <c>{"error":"..."}</c>. Stateless; thread-safe.
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
        await using GuardedBodyStream body = RequestBody.Open(http, service.Options);
        var line = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(line, PredictJson.LineOptions);
        bool started = false;
        try
        {
            await foreach (StreamedWindow window in StreamingRecognitionAdapter.RecognizeWindowsAsync(
                service.Recognizer, body, source,
                (audio, ct) => service.Gate.RunAsync(() => service.Recognizer.Recognize(audio, source), ct),
                http.RequestAborted).ConfigureAwait(false))
            {
                if (!started)
                {
                    http.Response.StatusCode = StatusCodes.Status200OK;
                    http.Response.ContentType = ContentType;
                    started = true;
                }
                line.ResetWrittenCount();
                writer.Reset();
                PredictJson.WriteWindow(writer, window.Index, window.StartSeconds, window.EndSeconds, window.Prediction, top);
                writer.Flush();
                line.Write("\n"u8);
                await http.Response.Body.WriteAsync(line.WrittenMemory, http.RequestAborted).ConfigureAwait(false);
                await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (started && e is SerMlNetException)
        {
            // The 200 and some lines are out: the error can only be the last line.
            await http.Response.Body.WriteAsync(ErrorJson.Encode(e.Message), http.RequestAborted).ConfigureAwait(false);
        }
    }
}
