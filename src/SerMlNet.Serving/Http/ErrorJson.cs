using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace SerMlNet.Serving.Http;

/// <summary>
/// The service's error reply: one line of JSON, <c>{"error":"..."}</c> and a line break, with the status that names the
/// case (400 bad WAV or request, 408 stalled upload, 413 body too large, 415 wrong content type, 500 a fault of the
/// service). Stateless; thread-safe.
/// </summary>
public static class ErrorJson
{
    /// <summary>The media type of every JSON reply.</summary>
    public const string ContentType = "application/json; charset=utf-8";

    /// <summary>The reply's bytes for a message: <c>{"error":"..."}</c> and <c>\n</c>, the message flattened to one line.</summary>
    /// <param name="message">What went wrong.</param>
    /// <returns>UTF-8 bytes.</returns>
    public static byte[] Encode(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(128 + message.Length);
        using (var writer = new Utf8JsonWriter(buffer, LineOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("error", OneLine(message));
            writer.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A text as one line: line breaks and the blanks around them become single spaces.</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The text on one line.</returns>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>Sends the error reply, unless the reply has already started.</summary>
    /// <param name="context">The request's context.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="message">What went wrong.</param>
    /// <returns>A task that completes when the reply is written.</returns>
    internal static async Task WriteAsync(HttpContext context, int statusCode, string message)
    {
        HttpResponse response = context.Response;
        if (response.HasStarted)
        {
            return;
        }
        byte[] body = Encode(message);
        response.StatusCode = statusCode;
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        try
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client is gone; nobody is left to read the error.
        }
    }

    /// <summary>
    /// Compact, and quotes and non-ASCII characters left as they are (<c>'fmt '</c>, not <c>\u0027fmt \u0027</c>): the
    /// reply is JSON read by programs and people, never embedded in HTML.
    /// </summary>
    private static readonly JsonWriterOptions LineOptions = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
