using System.Globalization;
using System.Text.Json;
using SerMlNet.Onnx;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Onnx.Tests;
using SerMlNet.Onnx.Tests.Recognition;
using SerMlNet.Tests;

namespace SerMlNet.Predict.Tests;

/// <summary>Runs the built Predict as a separate process on a random-weight model exported with a fitted pipeline.</summary>
public sealed class PredictConsoleTests(RecognitionModels models) : IClassFixture<RecognitionModels>
{
    private static readonly string Mono16k = RecognitionModels.Clip16k("Actor_03/03-01-08-02-02-02-03.wav");
    private static readonly string Stereo48k = Path.Combine(RepoPaths.Ravdess48kSamples, "03-01-02-01-01-02-01.wav");

    [Fact]
    public void A_file_gets_the_winning_emotion_and_every_class_probability_sorted()
    {
        (int code, string stdout, string stderr) = Predict("--wav", Mono16k, "--model", models.ModelPath);
        Assert.True(code == 0, stderr);
        Assert.Equal(string.Empty, stderr);
        string[] lines = Lines(stdout);
        RecognitionResult expected = Expected(Mono16k);
        Assert.Equal($"{Mono16k}: {expected.Label} {Percent(expected.Confidence)}", lines[0]);
        Assert.Equal(1 + RecognitionModels.Emotions.Length, lines.Length);
        (string Label, double Percent)[] classes = [.. lines.Skip(1).Select(ParseClassLine)];
        Assert.Equal(RecognitionModels.Emotions.Order(), classes.Select(c => c.Label).Order());
        Assert.Equal(classes.Select(c => c.Percent).OrderDescending(), classes.Select(c => c.Percent));
        Assert.InRange(classes.Sum(c => c.Percent), 99.5, 100.5);
        Assert.Equal(expected.Top(8).Select(s => (s.Label, Math.Round(s.Probability * 100.0, 1))), classes);
    }

    [Fact]
    public void Stereo_48k_input_is_scored_like_the_library_does()
    {
        (int code, string stdout, string stderr) = Predict("--wav", Stereo48k, "--model", models.ModelPath, "--json");
        Assert.True(code == 0, stderr);
        JsonElement result = Assert.Single(Json(stdout).GetProperty("results").EnumerateArray());
        RecognitionResult expected = Expected(Stereo48k);
        Assert.Equal(expected.Label, result.GetProperty("label").GetString());
        Assert.Equal(expected.Confidence, result.GetProperty("confidence").GetSingle(), 6);
        Assert.Equal(expected.DurationSeconds, result.GetProperty("durationSeconds").GetDouble(), 5);
    }

    [Fact]
    public void Long_audio_prints_one_line_per_window_and_the_mean()
    {
        string path = Path.Combine(models.Folder, "long-text.wav");
        RecognitionModels.WriteConcatenation(path, "Actor_03/03-01-05-01-01-01-03.wav", "Actor_04/03-01-03-02-02-01-04.wav", "Actor_09/03-01-08-01-01-02-09.wav");
        RecognitionResult expected = Expected(path);
        Assert.True(expected.Windows.Count >= 3);

        (int code, string stdout, string stderr) = Predict("--wav", path, "--model", models.ModelPath, "--top", "2");
        Assert.True(code == 0, stderr);
        string[] lines = Lines(stdout);
        Assert.Equal($"{path}: {expected.Label} {Percent(expected.Confidence)} (mean of {expected.Windows.Count} windows over {expected.DurationSeconds:F2} s)", lines[0]);
        string[] windows = [.. lines.Where(l => l.TrimStart().StartsWith("window ", StringComparison.Ordinal))];
        Assert.Equal(expected.Windows.Count, windows.Length);
        for (int w = 0; w < windows.Length; w++)
        {
            WindowResult window = expected.Windows[w];
            Assert.EndsWith($"{window.StartSeconds,6:F2} - {window.EndSeconds,6:F2} s  {window.Prediction.Label} {Percent(window.Prediction.Confidence)}", windows[w]);
        }
        Assert.Equal(1 + expected.Windows.Count + 2, lines.Length);

        (code, stdout, stderr) = Predict("--wav", path, "--model", models.ModelPath, "--json");
        Assert.True(code == 0, stderr);
        JsonElement result = Assert.Single(Json(stdout).GetProperty("results").EnumerateArray());
        Assert.Equal(expected.Windows.Count, result.GetProperty("windows").GetArrayLength());
    }

    [Fact]
    public void Json_follows_the_documented_schema()
    {
        string path = Path.Combine(models.Folder, "long-json.wav");
        RecognitionModels.WriteConcatenation(path, "Actor_05/03-01-02-01-01-01-05.wav", "Actor_06/03-01-04-01-02-01-06.wav");
        (int code, string stdout, string stderr) = Predict("--wav", path, "--model", models.ModelPath, "--json");
        Assert.True(code == 0, stderr);
        JsonElement root = Json(stdout);
        Assert.Equal(
            ["format", "version", "model", "inputKind", "provider", "requestedProvider", "providerFallback", "labels", "windowSeconds", "hopSeconds", "results", "errors"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("sermlnet.predict", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal(Path.GetFullPath(models.ModelPath), root.GetProperty("model").GetString());
        Assert.Equal("logMel", root.GetProperty("inputKind").GetString());
        Assert.Equal("cpu", root.GetProperty("provider").GetString());
        Assert.Equal("cpu", root.GetProperty("requestedProvider").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("providerFallback").ValueKind);
        Assert.Equal(RecognitionModels.Emotions, root.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(2.99, root.GetProperty("windowSeconds").GetDouble(), 9);
        Assert.Equal(1.5, root.GetProperty("hopSeconds").GetDouble(), 9);
        Assert.Equal(0, root.GetProperty("errors").GetArrayLength());

        RecognitionResult expected = Expected(path);
        JsonElement result = Assert.Single(root.GetProperty("results").EnumerateArray());
        Assert.Equal(["source", "durationSeconds", "label", "confidence", "probabilities", "windows"], result.EnumerateObject().Select(p => p.Name));
        Assert.Equal(path, result.GetProperty("source").GetString());
        AssertPrediction(expected.Prediction, result, classes: 8);
        JsonElement[] windows = [.. result.GetProperty("windows").EnumerateArray()];
        Assert.Equal(expected.Windows.Count, windows.Length);
        Assert.True(windows.Length > 1);
        for (int w = 0; w < windows.Length; w++)
        {
            Assert.Equal(["index", "startSeconds", "endSeconds", "label", "confidence", "probabilities"], windows[w].EnumerateObject().Select(p => p.Name));
            Assert.Equal(w, windows[w].GetProperty("index").GetInt32());
            Assert.Equal(expected.Windows[w].StartSeconds, windows[w].GetProperty("startSeconds").GetDouble(), 5);
            Assert.Equal(expected.Windows[w].EndSeconds, windows[w].GetProperty("endSeconds").GetDouble(), 5);
            AssertPrediction(expected.Windows[w].Prediction, windows[w], classes: 8);
        }
    }

    [Fact]
    public void The_end_to_end_model_takes_raw_pcm_and_agrees_with_model_onnx()
    {
        string path = Path.Combine(models.Folder, "long-e2e.wav");
        RecognitionModels.WriteConcatenation(path, "Actor_03/03-01-08-02-02-02-03.wav", "Actor_04/03-01-03-02-02-01-04.wav");
        (int code, string stdout, string stderr) = Predict("--wav", Mono16k, "--model", models.EndToEndPath, "--json");
        Assert.True(code == 0, stderr);
        JsonElement root = Json(stdout);
        Assert.Equal("pcm", root.GetProperty("inputKind").GetString());
        JsonElement result = Assert.Single(root.GetProperty("results").EnumerateArray());
        RecognitionResult logMel = Expected(Mono16k);
        Assert.Equal(logMel.Label, result.GetProperty("label").GetString());
        foreach (JsonElement score in result.GetProperty("probabilities").EnumerateArray())
        {
            int k = Array.IndexOf(RecognitionModels.Emotions, score.GetProperty("label").GetString());
            Assert.True(Math.Abs(logMel.Probabilities[k] - score.GetProperty("probability").GetDouble()) <= 1e-3);
        }

        (code, stdout, stderr) = Predict("--wav", path, "--model", models.EndToEndPath);
        Assert.True(code == 0, stderr);
        using EmotionRecognizer e2e = EmotionRecognizer.Open(models.EndToEndPath);
        int windows = e2e.Recognize(path).Windows.Count;
        Assert.True(windows >= 2);
        Assert.Contains($"(mean of {windows} windows over", Lines(stdout)[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Top_limits_the_classes_listed_in_text_and_json()
    {
        (int code, string stdout, string stderr) = Predict("--wav", Mono16k, "--model", models.ModelPath, "--top", "3");
        Assert.True(code == 0, stderr);
        Assert.Equal(1 + 3, Lines(stdout).Length);

        string path = Path.Combine(models.Folder, "long-top.wav");
        RecognitionModels.WriteConcatenation(path, "Actor_05/03-01-02-01-01-01-05.wav", "Actor_06/03-01-04-01-02-01-06.wav");
        (code, stdout, stderr) = Predict("--wav", path, "--model", models.ModelPath, "--json", "--top", "2");
        Assert.True(code == 0, stderr);
        JsonElement result = Assert.Single(Json(stdout).GetProperty("results").EnumerateArray());
        RecognitionResult expected = Expected(path);
        AssertPrediction(expected.Prediction, result, classes: 2);
        foreach ((JsonElement window, WindowResult w) in result.GetProperty("windows").EnumerateArray().Zip(expected.Windows))
        {
            AssertPrediction(w.Prediction, window, classes: 2);
        }
    }

    [Fact]
    public void A_folder_is_scored_file_by_file_recursively()
    {
        string folder = Path.Combine(models.Folder, "folder-good");
        Directory.CreateDirectory(Path.Combine(folder, "nested", "deeper"));
        string[] files =
        [
            Path.Combine(folder, "a-mono-16k.wav"),
            Path.Combine(folder, "nested", "b-stereo-48k.WAV"),
            Path.Combine(folder, "nested", "deeper", "c-long.wav"),
        ];
        File.Copy(Mono16k, files[0]);
        File.Copy(Stereo48k, files[1]);
        RecognitionModels.WriteConcatenation(files[2], "Actor_03/03-01-05-01-01-01-03.wav", "Actor_04/03-01-03-02-02-01-04.wav");
        File.WriteAllText(Path.Combine(folder, "nested", "notes.txt"), "not audio, not a .wav: ignored");

        (int code, string stdout, string stderr) = Predict("--wav", folder, "--model", models.ModelPath, "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal(string.Empty, stderr);
        JsonElement[] results = [.. Json(stdout).GetProperty("results").EnumerateArray()];
        Assert.Equal(files, results.Select(r => r.GetProperty("source").GetString()));
        for (int i = 0; i < files.Length; i++)
        {
            RecognitionResult expected = Expected(files[i]);
            Assert.Equal(expected.Label, results[i].GetProperty("label").GetString());
            Assert.Equal(expected.Windows.Count, results[i].GetProperty("windows").GetArrayLength());
        }

        (code, stdout, stderr) = Predict("--wav", folder, "--model", models.ModelPath);
        Assert.True(code == 0, stderr);
        string[] heads = [.. Lines(stdout).Where(l => !l.StartsWith(' '))];
        Assert.Equal(files, heads.Select(h => h[..h.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void A_bad_file_in_a_folder_is_reported_once_and_the_rest_is_still_scored()
    {
        string folder = Path.Combine(models.Folder, "folder-bad");
        Directory.CreateDirectory(folder);
        File.Copy(Mono16k, Path.Combine(folder, "1-good.wav"));
        string bad = Path.Combine(folder, "2-bad.wav");
        File.WriteAllText(bad, "RIFF? no: this text only pretends to be a WAV file");
        File.Copy(Stereo48k, Path.Combine(folder, "3-good.wav"));

        (int code, string stdout, string stderr) = Predict("--wav", folder, "--model", models.ModelPath, "--json");
        Assert.Equal(1, code);
        string line = Assert.Single(Lines(stderr));
        Assert.StartsWith("Predict: ", line, StringComparison.Ordinal);
        Assert.Contains(bad, line, StringComparison.Ordinal);
        JsonElement root = Json(stdout);
        Assert.Equal(2, root.GetProperty("results").GetArrayLength());
        JsonElement error = Assert.Single(root.GetProperty("errors").EnumerateArray());
        Assert.Equal(bad, error.GetProperty("source").GetString());
    }

    public static TheoryData<string, string[], int, string> BadInput => new()
    {
        { "missing WAV file", ["--wav", "/nonexistent/clip.wav", "--model", "{model}"], 1, "/nonexistent/clip.wav" },
        { "not a WAV file", ["--wav", "{text}", "--model", "{model}"], 1, "not-audio.wav" },
        { "empty folder", ["--wav", "{empty}", "--model", "{model}"], 1, "no .wav files" },
        { "missing model", ["--wav", "{wav}", "--model", "/nonexistent/model.onnx"], 1, "/nonexistent/model.onnx" },
        { "corrupt model", ["--wav", "{wav}", "--model", "{corrupt}"], 1, "is not a usable SerMlNet ONNX model" },
        { "model without a pipeline", ["--wav", "{wav}", "--model", "{foreign}"], 1, "metadata 'frontend'" },
        { "unknown provider", ["--wav", "{wav}", "--model", "{model}", "--ep", "tpu"], 2, "'tpu'" },
        { "top zero", ["--wav", "{wav}", "--model", "{model}", "--top", "0"], 2, "--top must be at least 1" },
        { "top not a number", ["--wav", "{wav}", "--model", "{model}", "--top", "many"], 2, "'many'" },
        { "no --wav", ["--model", "{model}"], 2, "--wav" },
        { "unknown option", ["--wav", "{wav}", "--model", "{model}", "--fast"], 2, "--fast" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Bad_input_gives_one_line_on_stderr_and_a_non_zero_exit(string name, string[] args, int exitCode, string mentioned)
    {
        string text = Path.Combine(models.Folder, "not-audio.wav");
        File.WriteAllText(text, "plain text, not audio");
        string empty = Path.Combine(models.Folder, "empty-folder");
        Directory.CreateDirectory(empty);
        string corrupt = Path.Combine(models.Folder, "corrupt.onnx");
        byte[] bytes = File.ReadAllBytes(models.ModelPath);
        File.WriteAllBytes(corrupt, bytes[..(bytes.Length / 3)]);
        string foreign = Path.Combine(models.Folder, "foreign.onnx");
        OnnxExporter.Export(TestModels.SerCnnLike(1), TestModels.Options(), foreign);
        string[] resolved = [.. args.Select(a => a
            .Replace("{model}", models.ModelPath, StringComparison.Ordinal).Replace("{wav}", Mono16k, StringComparison.Ordinal)
            .Replace("{text}", text, StringComparison.Ordinal).Replace("{empty}", empty, StringComparison.Ordinal)
            .Replace("{corrupt}", corrupt, StringComparison.Ordinal).Replace("{foreign}", foreign, StringComparison.Ordinal))];

        (int code, string stdout, string stderr) = Predict(resolved);
        Assert.True(code == exitCode, $"{name}: exit {code}, expected {exitCode}; stderr: {stderr}");
        string line = Assert.Single(Lines(stderr));
        Assert.StartsWith("Predict: ", line, StringComparison.Ordinal);
        Assert.Contains(mentioned, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
    }

    [Fact]
    public void Calibrate_writes_a_speaker_file_that_calibration_applies_like_the_library()
    {
        string voice = Path.Combine(models.Folder, "actor03-voice");
        Directory.CreateDirectory(voice);
        foreach (string clip in (string[])["Actor_03/03-01-01-01-01-01-03.wav", "Actor_03/03-01-05-02-02-02-03.wav", "Actor_03/03-01-06-01-02-01-03.wav"])
        {
            File.Copy(RecognitionModels.Clip16k(clip), Path.Combine(voice, Path.GetFileName(clip)), overwrite: true);
        }
        string file = Path.Combine(models.Folder, "actor03.calibration.json");
        File.Delete(file);

        (int code, string stdout, string stderr) = Predict("--calibrate", voice, "--calibration", file, "--model", models.ModelPath);
        Assert.True(code == 0, stderr);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal($"Predict: calibrated on 3 clips of '{voice}' -> {file}", Assert.Single(Lines(stderr)));
        SerMlNet.Onnx.Calibration.SpeakerCalibration written = SerMlNet.Onnx.Calibration.SpeakerCalibration.Load(file);
        Assert.Equal("actor03-voice", written.Speaker);
        Assert.Equal(3, written.Clips);
        Assert.Equal(SerMlNet.Onnx.Calibration.SpeakerCalibration.HashOfModel(models.ModelPath), written.ModelSha256);

        (code, stdout, stderr) = Predict("--wav", Mono16k, "--model", models.ModelPath, "--calibration", file, "--json");
        Assert.True(code == 0, stderr);
        JsonElement result = Assert.Single(Json(stdout).GetProperty("results").EnumerateArray());
        using EmotionRecognizer library = EmotionRecognizer.OpenCalibrated(models.ModelPath, written);
        RecognitionResult expected = library.Recognize(Mono16k);
        Assert.Equal(expected.Label, result.GetProperty("label").GetString());
        Assert.Equal(expected.Confidence, result.GetProperty("confidence").GetSingle(), 6);
        Assert.NotEqual(Expected(Mono16k).Confidence, expected.Confidence);

        // A calibration belongs to the model file it was fitted with: another one (the end-to-end graph) refuses it in one line.
        (code, stdout, stderr) = Predict("--wav", Mono16k, "--model", models.EndToEndPath, "--calibration", file);
        Assert.Equal(1, code);
        Assert.Contains("was fitted with another model file", Assert.Single(Lines(stderr)), StringComparison.Ordinal);
        (code, _, stderr) = Predict("--wav", Mono16k, "--model", models.ModelPath, "--calibration", Mono16k);
        Assert.Equal(1, code);
        Assert.Contains("not a speaker-calibration JSON file", Assert.Single(Lines(stderr)), StringComparison.Ordinal);
    }

    [Fact]
    public void Tta_averages_the_speed_variants_like_the_library_and_says_so()
    {
        using EmotionRecognizer library = EmotionRecognizer.Open(models.ModelPath, null, new RecognitionOptions { TestTimeSpeeds = RecognitionOptions.TrainingSpeeds });
        RecognitionResult expected = library.Recognize(Mono16k);
        Assert.NotEqual(Expected(Mono16k).Confidence, expected.Confidence);

        (int code, string stdout, string stderr) = Predict("--wav", Mono16k, "--model", models.ModelPath, "--tta");
        Assert.True(code == 0, stderr);
        Assert.Equal($"{Mono16k}: {expected.Label} {Percent(expected.Confidence)} (with test-time speeds 0.9, 1.1)", Lines(stdout)[0]);
        (code, stdout, stderr) = Predict("--wav", Mono16k, "--model", models.ModelPath, "--tta", "--json");
        Assert.True(code == 0, stderr);
        JsonElement result = Assert.Single(Json(stdout).GetProperty("results").EnumerateArray());
        Assert.Equal(expected.Label, result.GetProperty("label").GetString());
        Assert.Equal(expected.Confidence, result.GetProperty("confidence").GetSingle(), 6);

        (code, stdout, stderr) = Predict("--wav", Mono16k, "--model", models.ModelPath, "--tta", "--stream");
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("--tta scores whole files", Assert.Single(Lines(stderr)), StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_without_the_provider_fails_in_one_line_and_auto_falls_back_with_one_note()
    {
        bool providerShipped = File.Exists(Path.Combine(AppContext.BaseDirectory, "libonnxruntime_providers_cuda.so"));
        (int code, string stdout, string stderr) = Predict("--wav", Mono16k, "--model", models.ModelPath, "--ep", "cuda");
        if (!providerShipped)
        {
            Assert.Equal(1, code);
            Assert.Contains("CUDA execution provider unavailable", Assert.Single(Lines(stderr)), StringComparison.Ordinal);
            Assert.Equal(string.Empty, stdout);
        }

        (code, stdout, stderr) = Predict("--wav", Mono16k, "--model", models.ModelPath, "--ep", "auto", "--json");
        Assert.True(code == 0, stderr);
        JsonElement root = Json(stdout);
        Assert.Equal("auto", root.GetProperty("requestedProvider").GetString());
        if (root.GetProperty("provider").GetString() == "cpu")
        {
            Assert.StartsWith("Predict: note: --ep auto runs on the CPU: ", Assert.Single(Lines(stderr)), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.String, root.GetProperty("providerFallback").ValueKind);
        }
        else
        {
            Assert.Equal(string.Empty, stderr);
        }
        Assert.True(providerShipped || root.GetProperty("provider").GetString() == "cpu");
    }

    [Fact]
    public void Bench_times_the_first_file_and_reports_on_stderr_only()
    {
        (int code, string stdout, string stderr) = Predict("--wav", Stereo48k, "--model", models.ModelPath, "--json", "--bench", "5");
        Assert.True(code == 0, stderr);
        Assert.Single(Json(stdout).GetProperty("results").EnumerateArray());
        string[] lines = Lines(stderr);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"bench: {Stereo48k} on cpu, 5 calls each: end to end p50 ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("bench: network only (1 window per run) on cpu: p50 ", lines[1], StringComparison.Ordinal);
        Assert.All(lines, l => Assert.Matches(@"p50 \d+\.\d+ ms, p90 \d+\.\d+ ms, mean \d+\.\d+ ms, min \d+\.\d+ ms$", l));

        (code, _, stderr) = Predict("--wav", Stereo48k, "--model", models.ModelPath, "--bench", "0");
        Assert.Equal(2, code);
        Assert.Contains("--bench must be at least 1", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_model_the_one_in_artifacts_of_the_current_folder_is_used()
    {
        string work = Path.Combine(models.Folder, "work");
        Directory.CreateDirectory(Path.Combine(work, "artifacts"));
        File.Copy(models.ModelPath, Path.Combine(work, "artifacts", "model.onnx"), overwrite: true);
        (int code, string stdout, string stderr) = PredictIn(work, "--wav", Mono16k, "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal(Path.Combine(work, "artifacts", "model.onnx"), Json(stdout).GetProperty("model").GetString());
    }

    private RecognitionResult Expected(string path)
    {
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(models.ModelPath);
        return recognizer.Recognize(path);
    }

    private static void AssertPrediction(EmotionPrediction expected, JsonElement json, int classes)
    {
        Assert.Equal(expected.Label, json.GetProperty("label").GetString());
        Assert.Equal(expected.Confidence, json.GetProperty("confidence").GetSingle(), 6);
        JsonElement[] probabilities = [.. json.GetProperty("probabilities").EnumerateArray()];
        Assert.Equal(classes, probabilities.Length);
        IReadOnlyList<ClassScore> top = expected.Top(classes);
        for (int k = 0; k < classes; k++)
        {
            Assert.Equal(["label", "probability"], probabilities[k].EnumerateObject().Select(p => p.Name));
            Assert.Equal(top[k].Label, probabilities[k].GetProperty("label").GetString());
            Assert.Equal(top[k].Probability, probabilities[k].GetProperty("probability").GetSingle(), 6);
        }
        if (classes == expected.Labels.Count)
        {
            Assert.Equal(1.0, probabilities.Sum(p => p.GetProperty("probability").GetDouble()), 4);
        }
    }

    private static (string Label, double Percent) ParseClassLine(string line)
    {
        string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, parts.Length);
        Assert.Equal("%", parts[2]);
        return (parts[0], double.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static string Percent(float probability) => string.Create(CultureInfo.InvariantCulture, $"{probability * 100:F1} %");

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static JsonElement Json(string text)
    {
        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static (int Code, string Out, string Err) Predict(params string[] args) => PredictIn(null, args);

    private static (int Code, string Out, string Err) PredictIn(string? workingDirectory, params string[] args) =>
        PredictProcess.Run(PredictProcess.Jit, workingDirectory, args);
}
