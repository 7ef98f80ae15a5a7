using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SerMlNet.Onnx;
using SerMlNet.Serving.Http;

namespace SerMlNet.Serving.Endpoints;

/// <summary>
/// <c>GET /healthz</c>: 200 with <c>{"status":"ok","model":"...","provider":"cpu","labels":[...],"sampleRate":16000,
/// "windowSeconds":2.99,"hopSeconds":1.5,"maxBodyBytes":52428800}</c> while the service runs (the page reads the window
/// and hop from it). Stateless; thread-safe.
/// </summary>
internal static class HealthEndpoint
{
    /// <summary>Answers one request.</summary>
    /// <param name="http">The request's context.</param>
    /// <param name="service">The service.</param>
    /// <returns>A task that completes when the reply is written.</returns>
    public static Task Handle(HttpContext http, ServiceContext service)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("status", "ok");
            writer.WriteString("model", service.Recognizer.Model.ModelPath);
            writer.WriteString("provider", ExecutionProviderNames.Name(service.Recognizer.Model.Provider));
            writer.WriteStartArray("labels");
            foreach (string label in service.Recognizer.Labels)
            {
                writer.WriteStringValue(label);
            }
            writer.WriteEndArray();
            writer.WriteNumber("sampleRate", service.Recognizer.SampleRate);
            writer.WriteNumber("windowSeconds", Math.Round(service.Recognizer.WindowSeconds, 6));
            writer.WriteNumber("hopSeconds", Math.Round(service.Recognizer.HopSeconds, 6));
            writer.WriteNumber("maxBodyBytes", service.Options.MaxBodyBytes);
            writer.WriteEndObject();
        }
        buffer.Write("\n"u8);
        http.Response.ContentType = ErrorJson.ContentType;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.ContentLength = buffer.WrittenCount;
        return http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted).AsTask();
    }
}
