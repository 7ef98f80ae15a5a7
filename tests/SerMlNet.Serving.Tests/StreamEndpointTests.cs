using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SerMlNet.Audio.Wav;

namespace SerMlNet.Serving.Tests;

[Collection(ServiceCollection.Name)]
public sealed class StreamEndpointTests(ServiceFixture fixture)
{
    [Fact]
    public async Task A_chunked_streaming_header_upload_gets_one_json_line_per_window_as_it_arrives()
    {
        float[] samples = Clips.LongAngry16k(12);
        double seconds = samples.Length / 16000.0;
        byte[] wav = Clips.WithStreamingHeader(Clips.WavImage(samples, 16000));
        var content = new StreamContent(new MemoryStream(wav));
        content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/stream?top=2") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using HttpResponseMessage response = await fixture.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType!.MediaType);
        string[] all = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        string[] lines = all[..^1];

        // Windows of 2.99 s every 1.5 s, the last one aligned to the end.
        int expected = (int)Math.Floor((seconds - 2.99) / 1.5) + 1;
        double lastFullEnd = (expected - 1) * 1.5 + 2.99;
        if (seconds - lastFullEnd > 1.0 / 16000)
        {
            expected++;
        }
        Assert.Equal(expected, lines.Length);
        int angry = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            using JsonDocument json = JsonDocument.Parse(lines[i]);
            JsonElement w = json.RootElement;
            Assert.Equal("sermlnet.predict-stream", w.GetProperty("format").GetString());
            Assert.Equal("window", w.GetProperty("type").GetString());
            Assert.Equal(i, w.GetProperty("index").GetInt32());
            Assert.Equal(2.99, w.GetProperty("endSeconds").GetDouble() - w.GetProperty("startSeconds").GetDouble(), 3);
            Assert.Equal(2, w.GetProperty("probabilities").EnumerateObject().Count());
            angry += w.GetProperty("label").GetString() == "angry" ? 1 : 0;
        }
        Assert.Equal(seconds, JsonDocument.Parse(lines[^1]).RootElement.GetProperty("endSeconds").GetDouble(), 3);
        Assert.True(angry * 2 > lines.Length, $"{angry} of {lines.Length} windows angry");

        using JsonDocument summary = JsonDocument.Parse(all[^1]);
        Assert.Equal("summary", summary.RootElement.GetProperty("type").GetString());
        Assert.Equal("request", summary.RootElement.GetProperty("source").GetString());
        Assert.Equal(lines.Length, summary.RootElement.GetProperty("windows").GetInt32());
        Assert.Equal("angry", summary.RootElement.GetProperty("label").GetString());
        Assert.Equal(seconds, summary.RootElement.GetProperty("durationSeconds").GetDouble(), 3);
    }

    [Fact]
    public async Task A_clip_shorter_than_a_window_is_one_window_scored_whole()
    {
        byte[] wav = Clips.WavImage(WavFile.Read(Clips.Surprised16k).Samples.AsSpan(0, 32000), 16000);
        using HttpResponseMessage response = await fixture.Client.PostAsync("v1/stream", ServiceFixture.Wav(wav));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string[] lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"type\":\"summary\"", lines[1], StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(lines[0]);
        Assert.Equal(0, json.RootElement.GetProperty("startSeconds").GetDouble());
        Assert.Equal(2.0, json.RootElement.GetProperty("endSeconds").GetDouble(), 6);
        Assert.Equal(8, json.RootElement.GetProperty("probabilities").EnumerateObject().Count());
    }

    [Fact]
    public async Task Lines_arrive_before_the_upload_ends()
    {
        // 6 s of audio in one chunk, then the upload is held open: the first window's line must come meanwhile.
        float[] samples = Clips.LongAngry16k(6)[..(6 * 16000)];
        byte[] wav = Clips.WithStreamingHeader(Clips.WavImage(samples, 16000));
        Uri service = fixture.Service.BaseAddress;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(service.Host, service.Port);
        System.Net.Sockets.NetworkStream stream = tcp.GetStream();
        string head = $"POST /v1/stream HTTP/1.1\r\nHost: {service.Authority}\r\nContent-Type: audio/wav\r\nTransfer-Encoding: chunked\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head + $"{wav.Length:x}\r\n"));
        await stream.WriteAsync(wav);
        await stream.WriteAsync("\r\n"u8.ToArray());
        string reply = await ReadUntilAsync(stream, r => r.Contains("\"index\":0", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.StartsWith("HTTP/1.1 200", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("\"index\":3", reply, StringComparison.Ordinal);

        // End the upload: the last window (aligned to the end) follows, then the summary, then the chunked reply ends.
        await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        reply += await ReadUntilAsync(stream, r => r.EndsWith("0\r\n\r\n", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Contains("\"index\":3", reply, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"summary\"", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_over_the_stream_limit_is_503_with_retry_after()
    {
        await using EmotionService one = await EmotionService.StartAsync(new ServeOptions { ModelPath = ServiceFixture.ModelPath, Port = 0, MaxConcurrentStreams = 1 });
        Uri service = one.BaseAddress;
        // The first stream: a header and 1 s of audio, then held open.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(service.Host, service.Port);
        System.Net.Sockets.NetworkStream first = tcp.GetStream();
        byte[] wav = Clips.WithStreamingHeader(Clips.WavImage(new float[16000], 16000));
        string head = $"POST /v1/stream HTTP/1.1\r\nHost: {service.Authority}\r\nContent-Type: audio/wav\r\nTransfer-Encoding: chunked\r\n\r\n";
        await first.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head + $"{wav.Length:x}\r\n"));
        await first.WriteAsync(wav);
        await first.WriteAsync("\r\n"u8.ToArray());
        using var client = new HttpClient { BaseAddress = service };
        HttpResponseMessage? busy = null;
        for (int attempt = 0; attempt < 50 && busy?.StatusCode != HttpStatusCode.ServiceUnavailable; attempt++)
        {
            await Task.Delay(100);   // until the first stream has taken its slot
            busy?.Dispose();
            busy = await client.PostAsync("v1/stream", ServiceFixture.Wav(await File.ReadAllBytesAsync(Clips.Surprised16k)));
        }
        using HttpResponseMessage refused = busy!;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("1 streams are already running", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // /v1/recognize is not held up by the stream.
        using HttpResponseMessage scored = await client.PostAsync("v1/recognize", ServiceFixture.Wav(await File.ReadAllBytesAsync(Clips.Surprised16k)));
        Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
    }

    private static async Task<string> ReadUntilAsync(System.Net.Sockets.NetworkStream stream, Func<string, bool> done, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var text = new System.Text.StringBuilder();
        byte[] buffer = new byte[8192];
        while (!done(text.ToString()))
        {
            int n = await stream.ReadAsync(buffer, cts.Token);
            Assert.True(n > 0, $"the connection closed early; got: {text}");
            text.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, n));
        }
        return text.ToString();
    }
}
