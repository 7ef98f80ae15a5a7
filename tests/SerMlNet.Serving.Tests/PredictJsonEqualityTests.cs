using System.Diagnostics;
using System.Net;
using SerMlNet.Onnx.Recognition.Json;

namespace SerMlNet.Serving.Tests;

/// <summary>
/// The service's <c>/v1/recognize</c> reply and <see cref="PredictJson"/> are the Predict console's <c>--json</c>
/// output, byte for byte, for the same clip, model path and source name; <c>/v1/stream</c>'s lines are
/// <c>Predict --wav - --stream</c>'s (the summary's two timings aside).
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class PredictJsonEqualityTests(ServiceFixture fixture)
{
    [Theory]
    [InlineData("48k")]
    [InlineData("16k")]
    [InlineData("long")]
    public async Task The_reply_equals_what_Predict_prints_for_the_same_clip(string which)
    {
        using var folder = SerMlNet.Tests.RepoPaths.NewTempFolder();
        string clip = which switch
        {
            "48k" => Clips.Angry48k,
            "16k" => Clips.Surprised16k,
            _ => Path.Combine(folder.Path, "long.wav"),
        };
        if (which == "long")
        {
            await File.WriteAllBytesAsync(clip, Clips.WavImage(Clips.LongAngry16k(10), 16000));
        }
        string model = Path.GetFullPath(ServiceFixture.ModelPath);
        string predict = RunPredict("--json", "--wav", clip, "--model", model);

        using HttpResponseMessage response = await fixture.Client.PostAsync(
            $"v1/recognize?source={Uri.EscapeDataString(clip)}", ServiceFixture.Wav(await File.ReadAllBytesAsync(clip)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(predict, await response.Content.ReadAsStringAsync());

        // The shared writer over the library's own result for the file.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, PredictJson.DocumentOptions))
        {
            PredictJson.WriteDocument(writer, fixture.Service.Recognizer, [fixture.Service.Recognizer.Recognize(clip)], top: null);
        }
        Assert.Equal(predict, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n");
    }

    [Fact]
    public async Task Top_k_equals_Predict_top_k()
    {
        string model = Path.GetFullPath(ServiceFixture.ModelPath);
        string predict = RunPredict("--json", "--top", "2", "--wav", Clips.Angry48k, "--model", model);
        using HttpResponseMessage response = await fixture.Client.PostAsync(
            $"v1/recognize?top=2&source={Uri.EscapeDataString(Clips.Angry48k)}", ServiceFixture.Wav(await File.ReadAllBytesAsync(Clips.Angry48k)));
        Assert.Equal(predict, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("48k")]
    [InlineData("long")]
    public async Task The_stream_lines_equal_what_Predict_stream_prints_for_the_same_stream(string which)
    {
        byte[] wav = which == "48k"
            ? await File.ReadAllBytesAsync(Clips.Angry48k)
            : Clips.WithStreamingHeader(Clips.WavImage(Clips.LongAngry16k(10), 16000));
        string model = Path.GetFullPath(ServiceFixture.ModelPath);
        string[] predict = RunPredict(wav, "--wav", "-", "--stream", "--model", model).TrimEnd('\n').Split('\n');

        using HttpResponseMessage response = await fixture.Client.PostAsync("v1/stream?source=stdin", ServiceFixture.Wav(wav));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string[] served = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');

        // Window lines byte for byte; the summary too, but for the two timings.
        Assert.Equal(predict.Length, served.Length);
        Assert.True(predict.Length >= 2);
        Assert.Equal(predict[..^1], served[..^1]);
        Assert.Equal(WithoutTimings(predict[^1]), WithoutTimings(served[^1]));
    }

    private static string WithoutTimings(string summary)
    {
        int cut = summary.IndexOf(",\"elapsedSeconds\":", StringComparison.Ordinal);
        Assert.True(cut > 0, summary);
        return summary[..cut];
    }

    private static string RunPredict(params string[] args) => RunPredict(null, args);

    private static string RunPredict(byte[]? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Predict.dll"));
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.BaseStream.Write(stdin);
            p.StandardInput.Close();
        }
        Assert.True(p.WaitForExit(120_000), "Predict did not finish within 120 s");
        Assert.True(p.ExitCode == 0, $"Predict exited {p.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
