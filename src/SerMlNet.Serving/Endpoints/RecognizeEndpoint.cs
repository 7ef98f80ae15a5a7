using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Onnx.Recognition.Json;
using SerMlNet.Serving.Http;

namespace SerMlNet.Serving.Endpoints;

/// <summary>
/// <c>POST /v1/recognize</c>: the whole WAV body is read into pooled memory, decoded and scored like a file by
/// <c>Predict</c>, and answered with the Predict JSON document (<see cref="PredictJson"/>). Stateless; thread-safe.
/// </summary>
internal static class RecognizeEndpoint
{
    /// <summary>Answers one request.</summary>
    /// <param name="http">The request's context.</param>
    /// <param name="service">The service.</param>
    /// <returns>A task that completes when the reply is written.</returns>
    public static async Task Handle(HttpContext http, ServiceContext service)
    {
        RequestBody.CheckHeaders(http.Request, service.Options.MaxBodyBytes);
        int? top = RequestErrors.Top(http.Request);
        string source = RequestErrors.Source(http.Request);
        RecognitionResult result;
        using (PooledBytes body = await RequestBody.ReadAllAsync(http, service.Options).ConfigureAwait(false))
        {
            result = await service.Gate.RunAsync(() =>
            {
                using MemoryStream stream = body.AsStream();
                AudioSignal audio = AsLoaded(service.Recognizer, WavFile.Read(stream, source));
                return service.Recognizer.Recognize(audio, source);
            }, http.RequestAborted).ConfigureAwait(false);
        }
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, PredictJson.DocumentOptions))
        {
            PredictJson.WriteHead(writer, service.Recognizer);
            PredictJson.WriteResult(writer, result, top);
            PredictJson.WriteTail(writer, []);
        }
        buffer.Write("\n"u8);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = ErrorJson.ContentType;
        http.Response.ContentLength = buffer.WrittenCount;
        await http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The decoded body as the front end's decoding leaves it (resampled to the model's rate), so that the
    /// recognizer sees what it sees for a file. For a file, <see cref="RecognitionResult.DurationSeconds"/> is the
    /// duration after that stage (70,470 samples at 16 kHz, 4.404375 s, for a 211,411-sample 48-kHz file); for a waveform
    /// it is the waveform's own (4.404396 s). Resampling here first gives the duration Predict prints for the same file,
    /// and the same features (the stage then has nothing left to do).
    /// </summary>
    private static AudioSignal AsLoaded(EmotionRecognizer recognizer, AudioSignal audio) => recognizer.Pipeline.Resample(audio);
}
