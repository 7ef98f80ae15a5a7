using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace SerMlNet.Serving.Tests;

/// <summary>
/// Every refused input gets its 4xx with one line of JSON (<c>{"error":"..."}</c> and a line break), and the service
/// goes on serving. Each case prints its status and reply (the README's table).
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class BadInputTests(ServiceFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("v1/recognize")]
    [InlineData("v1/stream")]
    public async Task A_body_that_is_not_a_wav_file_is_400(string endpoint)
    {
        string error = await ExpectErrorAsync(endpoint, Wav(Encoding.UTF8.GetBytes("this is plain text, not a RIFF/WAVE file at all")), 400);
        Assert.Contains("RIFF", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_wav_header_is_400()
    {
        byte[] wav = await File.ReadAllBytesAsync(Clips.Surprised16k);
        byte[] corrupt = (byte[])wav.Clone();
        int fmt = IndexOf(corrupt, "fmt "u8.ToArray());
        corrupt[fmt + 8 + 2] = 0;   // channels = 0
        corrupt[fmt + 8 + 3] = 0;
        await ExpectErrorAsync("v1/recognize", Wav(corrupt), 400);
        await ExpectErrorAsync("v1/stream", Wav(corrupt), 400);
    }

    [Fact]
    public async Task A_truncated_wav_is_400()
    {
        byte[] wav = await File.ReadAllBytesAsync(Clips.Surprised16k);
        await ExpectErrorAsync("v1/recognize", Wav(wav[..30]), 400);
        await ExpectErrorAsync("v1/stream", Wav(wav[..30]), 400);
    }

    [Theory]
    [InlineData("v1/recognize")]
    [InlineData("v1/stream")]
    public async Task An_empty_body_is_400(string endpoint) => await ExpectErrorAsync(endpoint, Wav([]), 400);

    [Fact]
    public async Task A_wav_without_samples_is_400()
    {
        byte[] empty = Clips.WavImage([], 16000);
        await ExpectErrorAsync("v1/recognize", Wav(empty), 400);
        await ExpectErrorAsync("v1/stream", Wav(empty), 400);
    }

    [Theory]
    [InlineData("v1/recognize", "text/plain")]
    [InlineData("v1/recognize", "multipart/form-data; boundary=x")]
    [InlineData("v1/stream", "application/json")]
    public async Task A_wrong_content_type_is_415(string endpoint, string contentType)
    {
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(Clips.Surprised16k));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        string error = await ExpectErrorAsync(endpoint, content, 415);
        Assert.Contains("audio/wav", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_content_type_is_415()
    {
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(Clips.Surprised16k));
        content.Headers.ContentType = null;
        await ExpectErrorAsync("v1/recognize", content, 415);
    }

    [Fact]
    public async Task A_declared_length_over_the_default_50_MiB_limit_is_413_before_any_byte_is_read()
    {
        // Content-Length 60,000,000 and only a few bytes: the head alone is refused, no wait for the body.
        (int status, string body, TimeSpan waited) = await RawHttp.SendAsync(fixture.Service.BaseAddress,
            "POST /v1/recognize HTTP/1.1\r\nContent-Type: audio/wav\r\nContent-Length: 60000000", "RIFF"u8.ToArray(), TimeSpan.FromSeconds(30));
        Report("POST /v1/recognize, Content-Length 60,000,000 (limit 52,428,800)", status, body);
        Assert.Equal(413, status);
        AssertOneLineError(body);
        Assert.True(waited < ServiceFixture.ReadTimeout, $"413 took {waited.TotalSeconds:F1} s");
        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData("v1/recognize")]
    [InlineData("v1/stream")]
    public async Task A_chunked_body_over_the_limit_is_413(string endpoint)
    {
        await using EmotionService small = await EmotionService.StartAsync(new ServeOptions { ModelPath = ServiceFixture.ModelPath, Port = 0, MaxBodyBytes = 1024 * 1024 });
        using var client = new HttpClient { BaseAddress = small.BaseAddress };
        // A valid WAV stream of 2 MiB without a length (chunked), so only counting the bytes can refuse it.
        byte[] wav = Clips.WithStreamingHeader(Clips.WavImage(new float[1024 * 1024], 16000));
        var content = new StreamContent(new MemoryStream(wav));
        content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using HttpResponseMessage response = await client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Report($"POST /{endpoint}, chunked 2 MiB WAV (limit 1 MiB)", (int)response.StatusCode, body);
        if (endpoint == "v1/stream" && response.StatusCode == HttpStatusCode.OK)
        {
            // Windows were already streamed when the limit was reached: the reply ends with the error line.
            string last = body.TrimEnd('\n').Split('\n')[^1];
            Assert.StartsWith("{\"format\":\"sermlnet.predict-stream\",\"version\":1,\"type\":\"error\",\"error\":", last, StringComparison.Ordinal);
            Assert.Contains("over the limit of 1048576 bytes", last, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            AssertOneLineError(body);
        }
    }

    [Theory]
    [InlineData("/v1/recognize")]
    [InlineData("/v1/stream")]
    public async Task A_stalled_upload_is_408_after_the_read_timeout(string path)
    {
        byte[] wav = await File.ReadAllBytesAsync(Clips.Surprised16k);
        (int status, string body, TimeSpan waited) = await RawHttp.SendAsync(fixture.Service.BaseAddress,
            $"POST {path} HTTP/1.1\r\nContent-Type: audio/wav\r\nContent-Length: {wav.Length}", wav[..20], TimeSpan.FromSeconds(30));
        Report($"POST {path}, 20 of {wav.Length} bytes then silence (read timeout 2 s)", status, body);
        Assert.Equal(408, status);
        AssertOneLineError(body);
        Assert.InRange(waited.TotalSeconds, ServiceFixture.ReadTimeout.TotalSeconds * 0.9, ServiceFixture.ReadTimeout.TotalSeconds + 5);
        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData("v1/recognize?top=0")]
    [InlineData("v1/recognize?top=three")]
    [InlineData("v1/stream?top=-1")]
    public async Task A_bad_top_is_400(string endpoint) =>
        await ExpectErrorAsync(endpoint, Wav(await File.ReadAllBytesAsync(Clips.Surprised16k)), 400);

    [Fact]
    public async Task An_unknown_path_is_404_and_a_wrong_method_405_both_as_json()
    {
        using HttpResponseMessage missing = await fixture.Client.GetAsync("v2/nothing");
        string body = await missing.Content.ReadAsStringAsync();
        Report("GET /v2/nothing", (int)missing.StatusCode, body);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        AssertOneLineError(body);
        using HttpResponseMessage wrong = await fixture.Client.GetAsync("v1/recognize");
        body = await wrong.Content.ReadAsStringAsync();
        Report("GET /v1/recognize", (int)wrong.StatusCode, body);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrong.StatusCode);
        AssertOneLineError(body);
    }

    private static ByteArrayContent Wav(byte[] bytes) => ServiceFixture.Wav(bytes);

    private async Task<string> ExpectErrorAsync(string endpoint, HttpContent content, int status)
    {
        string? type = content.Headers.ContentType?.ToString();
        long length = (await content.ReadAsByteArrayAsync()).Length;
        using HttpResponseMessage response = await fixture.Client.PostAsync(endpoint, content);
        string body = await response.Content.ReadAsStringAsync();
        Report($"POST /{endpoint}, {length} bytes as {type ?? "(no Content-Type)"}", (int)response.StatusCode, body);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        string error = AssertOneLineError(body);
        await AssertStillServingAsync();
        return error;
    }

    private static string AssertOneLineError(string body)
    {
        Assert.EndsWith("\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', body[..^1]);
        using JsonDocument json = JsonDocument.Parse(body);
        JsonProperty only = Assert.Single(json.RootElement.EnumerateObject());
        Assert.Equal("error", only.Name);
        string message = only.Value.GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
        return message;
    }

    private async Task AssertStillServingAsync()
    {
        using HttpResponseMessage health = await fixture.Client.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using HttpResponseMessage scored = await fixture.Client.PostAsync("v1/recognize", Wav(await File.ReadAllBytesAsync(Clips.Surprised16k)));
        Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
    }

    private void Report(string request, int status, string body) => output.WriteLine($"| {request} | {status} | `{body.TrimEnd('\n')}` |");

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        int i = haystack.AsSpan().IndexOf(needle);
        Assert.True(i >= 0);
        return i;
    }
}
