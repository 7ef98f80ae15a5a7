using System.Net;
using System.Text.Json;
using SerMlNet.Onnx.Recognition;

namespace SerMlNet.Serving.Tests;

[Collection(ServiceCollection.Name)]
public sealed class RecognizeEndpointTests(ServiceFixture fixture)
{
    [Fact]
    public async Task Healthz_reports_the_model_labels_and_window()
    {
        using HttpResponseMessage response = await fixture.Client.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement root = json.RootElement;
        Assert.Equal("ok", root.GetProperty("status").GetString());
        Assert.Equal(Path.GetFullPath(ServiceFixture.ModelPath), root.GetProperty("model").GetString());
        Assert.Equal(["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"],
            root.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToArray());
        Assert.Equal(16000, root.GetProperty("sampleRate").GetInt32());
        Assert.Equal(2.99, root.GetProperty("windowSeconds").GetDouble(), 6);
        Assert.Equal(1.5, root.GetProperty("hopSeconds").GetDouble(), 6);
        Assert.Equal(ServeOptions.DefaultMaxBodyBytes, root.GetProperty("maxBodyBytes").GetInt64());
    }

    [Fact]
    public async Task A_48_kHz_stereo_original_is_recognised_as_the_clip_it_is()
    {
        byte[] wav = await File.ReadAllBytesAsync(Clips.Angry48k);
        using HttpResponseMessage response = await fixture.Client.PostAsync("v1/recognize?source=clip.wav", ServiceFixture.Wav(wav));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using JsonDocument json = JsonDocument.Parse(text);
        JsonElement root = json.RootElement;
        Assert.Equal("sermlnet.predict", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        JsonElement result = Assert.Single(root.GetProperty("results").EnumerateArray());
        Assert.Equal("clip.wav", result.GetProperty("source").GetString());
        Assert.Equal("angry", result.GetProperty("label").GetString());
        Assert.Equal(8, result.GetProperty("probabilities").GetArrayLength());
        Assert.Empty(root.GetProperty("errors").EnumerateArray());

        // The same numbers as the library scoring the file itself.
        RecognitionResult local = fixture.Service.Recognizer.Recognize(Clips.Angry48k);
        Assert.Equal(local.Confidence, result.GetProperty("confidence").GetSingle());
        Assert.Equal(local.Windows.Count, result.GetProperty("windows").GetArrayLength());
    }

    [Fact]
    public async Task Top_limits_the_listed_classes()
    {
        byte[] wav = await File.ReadAllBytesAsync(Clips.Surprised16k);
        using HttpResponseMessage response = await fixture.Client.PostAsync("v1/recognize?top=3", ServiceFixture.Wav(wav));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement result = json.RootElement.GetProperty("results")[0];
        Assert.Equal("request", result.GetProperty("source").GetString());
        Assert.Equal(3, result.GetProperty("probabilities").GetArrayLength());
        Assert.Equal("surprised", result.GetProperty("label").GetString());
    }

    [Theory]
    [InlineData("audio/x-wav")]
    [InlineData("audio/wave")]
    [InlineData("AUDIO/WAV; codecs=1")]
    [InlineData("application/octet-stream")]
    public async Task Every_wav_content_type_is_accepted(string contentType)
    {
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(Clips.Surprised16k));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using HttpResponseMessage response = await fixture.Client.PostAsync("v1/recognize", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Long_audio_is_scored_in_the_recognizers_windows()
    {
        float[] samples = Clips.LongAngry16k(10);
        using HttpResponseMessage response = await fixture.Client.PostAsync("v1/recognize", ServiceFixture.Wav(Clips.WavImage(samples, 16000)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        RecognitionResult local = fixture.Service.Recognizer.Recognize(new Audio.AudioSignal(samples, 16000), "request");
        JsonElement windows = json.RootElement.GetProperty("results")[0].GetProperty("windows");
        Assert.True(local.Windows.Count > 2);
        Assert.Equal(local.Windows.Count, windows.GetArrayLength());
    }

    [Fact]
    public async Task Concurrent_requests_are_all_answered()
    {
        byte[] wav = await File.ReadAllBytesAsync(Clips.Surprised16k);
        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => fixture.Client.PostAsync("v1/recognize", ServiceFixture.Wav(wav))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (HttpResponseMessage r in responses)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task The_page_is_self_contained_and_locked_to_this_origin()
    {
        using HttpResponseMessage response = await fixture.Client.GetAsync("");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        string csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("getUserMedia", html, StringComparison.Ordinal);
        Assert.Contains("/v1/recognize", html, StringComparison.Ordinal);
        Assert.Contains("/v1/stream", html, StringComparison.Ordinal);
        // No reference to anything outside the page: no URL with a scheme, no external script or style sheet.
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script src", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_streaming_header_wav_gets_the_same_answer_as_the_canonical_one()
    {
        float[] samples = Audio.Wav.WavFile.Read(Clips.Surprised16k).Samples;
        byte[] canonical = Clips.WavImage(samples, 16000);
        using HttpResponseMessage a = await fixture.Client.PostAsync("v1/recognize", ServiceFixture.Wav(canonical));
        using HttpResponseMessage b = await fixture.Client.PostAsync("v1/recognize", ServiceFixture.Wav(Clips.WithStreamingHeader(canonical)));
        string expected = await a.Content.ReadAsStringAsync();
        string actual = await b.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.True(b.StatusCode == HttpStatusCode.OK, actual);
        Assert.Equal(expected, actual);
    }
}
