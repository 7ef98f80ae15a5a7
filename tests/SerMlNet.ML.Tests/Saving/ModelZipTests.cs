using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using SerMlNet.ML.Saving;
using SerMlNet.Onnx;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.ML.Tests.Saving;

/// <summary>
/// The saved ML.NET model (<see cref="EmotionModelZip"/>) of the shipped <c>model.onnx</c>, loaded in a fresh process
/// with a fresh <c>MLContext</c>, against <c>EmotionRecognizer</c> (what <c>Predict</c> runs) on the same model: the
/// 120 clips of the shipped test split, the ten 48-kHz stereo originals and two long clips scored in several windows.
/// </summary>
public sealed class ModelZipTests(ITestOutputHelper output, ModelZipTests.Scored scored) : IClassFixture<ModelZipTests.Scored>
{
    private static string ShippedModel => Path.Combine(RepoPaths.Root, "artifacts", "model.onnx");

    private static string ShippedZip => Path.Combine(RepoPaths.Root, "artifacts", "model.zip");

    [Fact]
    public void Model_zip_loaded_in_a_fresh_process_agrees_with_the_recognizer()
    {
        Scored s = scored;
        Assert.Equal(120 + 10 + 2, s.Paths.Length);
        Assert.Equal($"input\t{EmotionModelZip.PathColumn}:String", s.InputSchemaLine);
        Assert.Equal($"schema\t{EmotionModelZip.PathColumn}:String {EmotionModelZip.ScoreColumn}:Vector<Single, {s.Labels.Count}> {EmotionModelZip.PredictedLabelColumn}:String", s.SchemaLine);
        double max = 0, sum = 0;
        int values = 0, sameLabel = 0;
        for (int i = 0; i < s.Paths.Length; i++)
        {
            RecognitionResult expected = s.Expected[i];
            (string path, string label, float[] score) = s.Actual[i];
            Assert.Equal(s.Paths[i], path);
            Assert.Equal(expected.Probabilities.Count, score.Length);
            for (int c = 0; c < score.Length; c++)
            {
                double d = Math.Abs(score[c] - expected.Probabilities[c]);
                max = Math.Max(max, d);
                sum += d;
                values++;
            }
            sameLabel += label == expected.Label ? 1 : 0;
        }
        int[] longWindows = [.. s.Expected[^2..].Select(r => r.Windows.Count)];
        output.WriteLine($"{s.Paths.Length} files (120 test clips, 10 at 48 kHz stereo, 2 long clips of {longWindows[0]} and {longWindows[1]} windows), fresh process: " +
                         $"max |dp| = {max:E2}, mean |dp| = {sum / values:E2}, labels equal {sameLabel}/{s.Paths.Length}; probe {s.ProbeSeconds:F1} s");
        Assert.All(longWindows, w => Assert.True(w >= 3, $"a long clip was scored in {w} window(s)"));
        Assert.True(max <= 1e-4, $"model.zip differs from the recognizer by {max:E2} > 1e-4");
        Assert.Equal(s.Paths.Length, sameLabel);
    }

    [Fact]
    public void Score_follows_the_onnx_labels_metadata_and_predicted_label_is_its_arg_max()
    {
        Scored s = scored;
        using var model = OnnxModel.Load(ShippedModel);
        Assert.Equal(model.Labels, s.Labels);
        foreach ((string _, string label, float[] score) in s.Actual)
        {
            int best = 0;
            for (int c = 1; c < score.Length; c++)
            {
                best = score[c] > score[best] ? c : best;
            }
            Assert.Equal(model.Labels[best], label);
        }
    }

    [Fact]
    public void Shipped_model_zip_scores_as_a_fresh_save_of_the_shipped_model_onnx()
    {
        Assert.True(File.Exists(ShippedZip), $"{ShippedZip} is missing: ser export writes it beside model.onnx");
        Scored s = scored;
        var mlContext = new MLContext(seed: 0);
        ITransformer shipped = EmotionModelZip.Load(mlContext, ShippedZip, out _);
        string[] some = [.. s.Paths.Take(5), .. s.Paths[^12..]];
        var rows = SavedModelClips.Score(mlContext, shipped, some);
        for (int i = 0; i < some.Length; i++)
        {
            int j = Array.IndexOf(s.Paths, some[i]);
            Assert.Equal(s.Actual[j].Label, rows[i].Label);
            Assert.Equal(s.Actual[j].Score, rows[i].Score);
        }
        (shipped as IDisposable)?.Dispose();
    }

    [Fact]
    public void Prediction_engine_over_the_shipped_model_zip_gives_the_recognizers_answer()
    {
        // The README's example (draft), as a user writes it.
        var mlContext = new MLContext();
        mlContext.ComponentCatalog.RegisterAssembly(typeof(EmotionModelZip).Assembly);
        ITransformer model = mlContext.Model.Load(ShippedZip, out _); // "artifacts/model.zip" in the README
        var engine = mlContext.Model.CreatePredictionEngine<ClipInput, EmotionOutput>(model);
        EmotionOutput answer = engine.Predict(new ClipInput { Path = scored.Paths[0] });

        Assert.Equal(scored.Expected[0].Label, answer.PredictedLabel);
        Assert.Equal(scored.Actual[0].Score, answer.Score);
        engine.Dispose();
        (model as IDisposable)?.Dispose();
    }

    /// <summary>The input row of the README's example.</summary>
    public sealed class ClipInput
    {
        public string Path { get; set; } = string.Empty;
    }

    /// <summary>The output row of the README's example.</summary>
    public sealed class EmotionOutput
    {
        public string PredictedLabel { get; set; } = string.Empty;

        public float[] Score { get; set; } = [];
    }

    [Fact]
    public void Build_refuses_an_end_to_end_model()
    {
        string e2e = Path.Combine(RepoPaths.Root, "artifacts", "model-e2e.onnx");
        var e = Assert.Throws<InvalidModelException>(() => EmotionModelZip.Build(new MLContext(seed: 0), e2e));
        Assert.Contains("log_mel", e.Message);
        Assert.Throws<ModelFileNotFoundException>(() => EmotionModelZip.Build(new MLContext(seed: 0), Path.Combine(RepoPaths.Root, "artifacts", "missing.onnx")));
    }

    [Fact]
    public void Build_refuses_a_model_whose_front_end_is_not_a_pipeline()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        string model = Path.Combine(temp.Path, "model.onnx");
        string[] labels = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"];
        OnnxExporter.Export(SavedModelClips.SmallNetwork(300), new OnnxExportOptions { ClassLabels = labels, FrontEndJson = """{"format":"not-a-pipeline"}""" }, model);
        var e = Assert.Throws<InvalidModelException>(() => EmotionModelZip.Build(new MLContext(seed: 0), model));
        Assert.Contains("metadata 'frontend'", e.Message);
    }

    [Fact]
    public void Scoring_a_missing_file_fails_with_the_decoders_error_inside()
    {
        var mlContext = new MLContext(seed: 0);
        ITransformer shipped = EmotionModelZip.Load(mlContext, ShippedZip, out _);
        string missing = Path.Combine(RepoPaths.Root, "artifacts", "no-such-clip.wav");
        Exception e = Assert.ThrowsAny<Exception>(() => SavedModelClips.Score(mlContext, shipped, [missing]));
        output.WriteLine($"{e.GetType().Name}: {e.Message} <- {e.InnerException?.GetType().Name}: {e.InnerException?.Message}");
        // ML.NET's parallel cursor wraps what the mapping throws (InvalidOperationException "Splitter/consolidator ...").
        Exception? decoder = e;
        while (decoder is not null and not IOException)
        {
            decoder = decoder.InnerException;
        }
        Assert.IsAssignableFrom<IOException>(decoder);
        Assert.Contains("no-such-clip.wav", decoder!.Message);
        (shipped as IDisposable)?.Dispose();
    }

    /// <summary>
    /// Saves <c>model.zip</c> from the shipped <c>model.onnx</c> into a temporary folder, scores every file with it in
    /// a separate process (SerMlNet.ML.ZipProbe) and with the recognizer here.
    /// </summary>
    public sealed class Scored : IDisposable
    {
        private readonly TempFolder _temp = RepoPaths.NewTempFolder();

        public Scored()
        {
            string[] test = SavedModelClips.TestSplit();
            string[] originals = [.. Directory.GetFiles(RepoPaths.Ravdess48kSamples, "*.wav").Order(StringComparer.Ordinal)];
            string twoClips = SavedModelClips.Concatenate(Path.Combine(_temp.Path, "long-2.wav"), test[..2]);
            string fiveClips = SavedModelClips.Concatenate(Path.Combine(_temp.Path, "long-5.wav"), test[10..15]);
            Paths = [.. test, .. originals, twoClips, fiveClips];

            string zip = Path.Combine(_temp.Path, "model.zip");
            EmotionModelZip.Save(ShippedModel, zip);
            using (var recognizer = EmotionRecognizer.Open(ShippedModel))
            {
                Labels = recognizer.Labels;
                Expected = [.. recognizer.Recognize(Paths)];
            }

            string list = Path.Combine(_temp.Path, "paths.txt");
            File.WriteAllLines(list, Paths);
            var clock = Stopwatch.StartNew();
            (int code, string stdout, string stderr) = RunProbe(zip, list);
            ProbeSeconds = clock.Elapsed.TotalSeconds;
            Assert.True(code == 0, $"probe exited with {code}: {stderr}");
            string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            InputSchemaLine = lines[0];
            SchemaLine = lines[1];
            Actual = [.. lines.Skip(2).Select(Parse)];
        }

        public string[] Paths { get; }

        public IReadOnlyList<string> Labels { get; }

        public RecognitionResult[] Expected { get; }

        public (string Path, string Label, float[] Score)[] Actual { get; }

        public string InputSchemaLine { get; }

        public string SchemaLine { get; }

        public double ProbeSeconds { get; }

        public void Dispose() => _temp.Dispose();

        private static (string, string, float[]) Parse(string line)
        {
            string[] parts = line.TrimEnd('\r').Split('\t');
            Assert.Equal(3, parts.Length);
            return (parts[0], parts[1], [.. parts[2].Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture))]);
        }

        private static (int Code, string Out, string Err) RunProbe(string zip, string list)
        {
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SerMlNet.ML.ZipProbe.dll"));
            psi.ArgumentList.Add(zip);
            psi.ArgumentList.Add(list);
            using Process p = Process.Start(psi)!;
            Task<string> stdout = p.StandardOutput.ReadToEndAsync();
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                p.Kill(entireProcessTree: true);
                Assert.Fail("the probe did not finish within 5 minutes");
            }
            return (p.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
