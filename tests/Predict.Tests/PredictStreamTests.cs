using System.Diagnostics;
using System.Text.Json;
using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Onnx.Tests.Recognition;
using SerMlNet.Tests;

namespace SerMlNet.Predict.Tests;

/// <summary>Predict reading a WAV stream from standard input: whole, as JSON lines window by window, cut short.</summary>
public sealed class PredictStreamTests(RecognitionModels models) : IClassFixture<RecognitionModels>
{
    private static readonly string Stereo48k = Path.Combine(RepoPaths.Ravdess48kSamples, "03-01-02-01-01-02-01.wav");

    private static readonly string[] Clips =
    [
        RecognitionModels.Clip16k("Actor_03/03-01-05-01-01-01-03.wav"),
        RecognitionModels.Clip16k("Actor_04/03-01-03-02-02-01-04.wav"),
        RecognitionModels.Clip16k("Actor_09/03-01-08-01-01-02-09.wav"),
    ];

    [Fact]
    public void A_file_piped_to_standard_input_gets_the_files_answer()
    {
        (int code, string stdout, string stderr) = PredictProcess.RunWithInput(PredictProcess.Jit, File.ReadAllBytes(Stereo48k), "--wav", "-", "--model", models.ModelPath, "--json");
        Assert.True(code == 0, stderr);
        (int fileCode, string fileOut, _) = PredictProcess.Run(PredictProcess.Jit, null, "--wav", Stereo48k, "--model", models.ModelPath, "--json");
        Assert.Equal(0, fileCode);
        using JsonDocument piped = JsonDocument.Parse(stdout), file = JsonDocument.Parse(fileOut);
        JsonElement p = Assert.Single(piped.RootElement.GetProperty("results").EnumerateArray());
        JsonElement f = Assert.Single(file.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal("stdin", p.GetProperty("source").GetString());
        foreach (string field in new[] { "label", "confidence", "probabilities", "windows" })
        {
            Assert.Equal(f.GetProperty(field).GetRawText(), p.GetProperty(field).GetRawText());
        }
        // A file's duration is taken after its resampling to 16 kHz, a stream's at its own rate (48 kHz): the same to a sample.
        Assert.Equal(f.GetProperty("durationSeconds").GetDouble(), p.GetProperty("durationSeconds").GetDouble(), 4);
    }

    [Fact]
    public void Stream_prints_one_json_line_per_window_and_a_summary_for_a_streaming_header()
    {
        AudioSignal signal = WavStreams.JoinWithPauses(48000, 0.8, Clips);
        byte[] image = WavStreams.StreamingImage(signal, 0xFFFF_FFFF);
        (int code, string stdout, string stderr) = PredictProcess.RunWithInput(PredictProcess.Jit, image, "--wav", "-", "--stream", "--model", models.ModelPath, "--top", "3");
        Assert.True(code == 0, stderr);
        Assert.Equal(string.Empty, stderr);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        using EmotionRecognizer recognizer = EmotionRecognizer.Open(models.ModelPath);
        List<WindowResult> expected = Collect(recognizer.RecognizeStreamAsync(new MemoryStream(image)));
        Assert.Equal(expected.Count + 1, lines.Length);
        for (int w = 0; w < expected.Count; w++)
        {
            using JsonDocument line = JsonDocument.Parse(lines[w]);
            JsonElement e = line.RootElement;
            Assert.Equal("sermlnet.predict-stream", e.GetProperty("format").GetString());
            Assert.Equal(1, e.GetProperty("version").GetInt32());
            Assert.Equal("window", e.GetProperty("type").GetString());
            Assert.Equal(w, e.GetProperty("index").GetInt32());
            Assert.Equal(expected[w].StartSeconds, e.GetProperty("startSeconds").GetDouble(), 6);
            Assert.Equal(expected[w].EndSeconds, e.GetProperty("endSeconds").GetDouble(), 6);
            Assert.Equal(expected[w].Prediction.Label, e.GetProperty("label").GetString());
            JsonProperty[] probabilities = [.. e.GetProperty("probabilities").EnumerateObject()];
            Assert.Equal(3, probabilities.Length);
            Assert.Equal(expected[w].Prediction.Top(3).Select(s => s.Label), probabilities.Select(p => p.Name));
            Assert.Equal(expected[w].Prediction.Confidence, e.GetProperty("confidence").GetSingle());
        }
        using JsonDocument summaryLine = JsonDocument.Parse(lines[^1]);
        JsonElement summary = summaryLine.RootElement;
        RecognitionResult mean = RecognitionResult.FromWindows("stdin", expected[^1].EndSeconds, expected);
        Assert.Equal("summary", summary.GetProperty("type").GetString());
        Assert.Equal("stdin", summary.GetProperty("source").GetString());
        Assert.Equal(expected.Count, summary.GetProperty("windows").GetInt32());
        Assert.Equal(signal.DurationSeconds, summary.GetProperty("durationSeconds").GetDouble(), 3);
        Assert.Equal(mean.Label, summary.GetProperty("label").GetString());
        Assert.InRange(summary.GetProperty("realTimeFactor").GetDouble(), 1e-6, 10);
    }

    [Fact]
    public void A_truncated_stream_prints_the_windows_it_could_score_then_one_error_line()
    {
        AudioSignal signal = WavStreams.JoinWithPauses(16000, 0.5, Clips);
        byte[] image = WavStreams.StreamingImage(signal, 0x7FFF_FFFF);
        byte[] cut = image[..(44 + 2 * (16000 * 9) + 1)];   // 9 s and one byte into a frame
        (int code, string stdout, string stderr) = PredictProcess.RunWithInput(PredictProcess.Jit, cut, "--wav", "-", "--stream", "--model", models.ModelPath);
        Assert.Equal(1, code);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Windows 0..4 (the fifth is 5.98-8.97 s) end before the cut at 9 s; the sixth would need samples after it.
        Assert.Equal(5, lines.Length);
        Assert.All(lines, l => Assert.Contains("\"type\":\"window\"", l, StringComparison.Ordinal));
        string error = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Predict: stdin: truncated data: the stream ended 1 byte(s) into a 2-byte sample frame", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_window_is_printed_while_the_stream_is_still_open()
    {
        AudioSignal signal = WavStreams.JoinWithPauses(16000, 0.5, Clips);
        byte[] image = WavStreams.StreamingImage(signal);
        using Process predict = PredictProcess.Start(PredictProcess.Jit, "--wav", "-", "--stream", "--model", models.ModelPath);
        Task<string> errors = predict.StandardError.ReadToEndAsync();
        // Enough for the first window to settle (2.99 s + one hop), and the stream left open.
        int firstPart = 44 + 2 * (16000 * 5);
        await predict.StandardInput.BaseStream.WriteAsync(image.AsMemory(0, firstPart));
        await predict.StandardInput.BaseStream.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? first = await predict.StandardOutput.ReadLineAsync(timeout.Token);
        Assert.Contains("\"type\":\"window\",\"index\":0", first, StringComparison.Ordinal);
        await predict.StandardInput.BaseStream.WriteAsync(image.AsMemory(firstPart));
        predict.StandardInput.Close();
        string rest = await predict.StandardOutput.ReadToEndAsync(timeout.Token);
        await predict.WaitForExitAsync(timeout.Token);
        Assert.True(predict.ExitCode == 0, await errors);
        Assert.Contains("\"type\":\"summary\"", rest.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--json")]
    [InlineData("--bench")]
    public void Stream_refuses_options_it_cannot_honour(string option)
    {
        string[] args = option == "--bench" ? ["--wav", Stereo48k, "--stream", option, "3"] : ["--wav", Stereo48k, "--stream", option];
        (int code, _, string stderr) = PredictProcess.Run(PredictProcess.Jit, null, [.. args, "--model", models.ModelPath]);
        Assert.Equal(2, code);
        Assert.Contains("--stream", stderr, StringComparison.Ordinal);
    }

    private static List<WindowResult> Collect(IAsyncEnumerable<WindowResult> windows)
    {
        var list = new List<WindowResult>();
        IAsyncEnumerator<WindowResult> e = windows.GetAsyncEnumerator();
        while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
        {
            list.Add(e.Current);
        }
        return list;
    }
}
