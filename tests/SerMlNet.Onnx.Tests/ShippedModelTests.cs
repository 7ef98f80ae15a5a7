using System.Runtime.InteropServices;
using System.Text.Json;
using SerMlNet.Audio;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Pipeline.Stages;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Onnx.Tests;

/// <summary>
/// The model shipped in <c>artifacts/</c>: both files pass the official ONNX checker, ONNX Runtime for Node.js agrees
/// with the C# path on real test clips, the end-to-end file fed raw PCM agrees with the C# front end + model.onnx, and
/// the metadata carries labels, the fitted pipeline, the split and the metrics.
/// </summary>
public sealed class ShippedModelTests(ITestOutputHelper output)
{
    private static string Artifacts => Path.Combine(RepoPaths.Root, "artifacts");

    private static string ModelPath => Path.Combine(Artifacts, "model.onnx");

    private static string EndToEndPath => Path.Combine(Artifacts, "model-e2e.onnx");

    private static string Scripts => Path.Combine(RepoPaths.Root, "tests", "SerMlNet.Onnx.Tests", "Scripts");

    /// <summary>Twenty clips of the test part of the split recorded in the model.</summary>
    private static IReadOnlyList<Clip> TestClips(OnnxModel model)
    {
        DataOptions options = JsonSerializer.Deserialize<DataOptions>(model.Metadata.All[OnnxMetadataKeys.DataSplit], PipelineJson.Options)!;
        DatasetCatalog catalog = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        return [.. options.MakeSplits(catalog)[options.Split].Select(catalog, SplitPart.Test).Take(20)];
    }

    [Fact]
    public void Metadata_carries_labels_pipeline_split_and_metrics()
    {
        using OnnxModel model = OnnxModel.Load(ModelPath);
        Assert.Equal(Emotions.Ravdess, model.Labels);
        Assert.Equal(ModelInputKind.LogMel, model.InputKind);
        Assert.Equal([-1L, 1, 128, 300], model.InputShape);
        TransformerChain pipeline = TransformerChain.FromJson(model.Metadata.FrontEndJson!);
        Assert.Contains(pipeline, s => s is NormaliseTransformer { Statistics: not null });
        EvaluationResult metrics = MetricsJson.Deserialize(model.Metadata.MetricsJson!);
        Assert.True(metrics.MacroF1 > 0.5, $"metadata metrics: macro-F1 {metrics.MacroF1}");
        Assert.True(model.Metadata.All.ContainsKey(OnnxMetadataKeys.DataSplit));
        using OnnxModel e2e = OnnxModel.Load(EndToEndPath);
        Assert.Equal(ModelInputKind.Pcm, e2e.InputKind);
        Assert.Equal(16000, e2e.Metadata.SampleRate);
    }

    [Fact]
    public void Onnx_checker_accepts_both_shipped_files()
    {
        var (code, stdout, stderr) = ExternalProcess.Run("/usr/bin/python3", [Path.Combine(Scripts, "check-onnx.py"), ModelPath, EndToEndPath]);
        Assert.True(code != 3, $"python3-onnx is missing: {stderr.Trim()}");
        Assert.True(code == 0, $"onnx.checker rejected a shipped model (exit {code}): {stderr.Trim()}");
        Assert.Equal(2, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Onnxruntime_node_and_the_end_to_end_file_agree_with_the_csharp_path_on_test_clips()
    {
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(ModelPath);
        using OnnxModel e2e = OnnxModel.Load(EndToEndPath);
        TransformerChain pipeline = recognizer.Pipeline;
        int logMelIndex = Enumerable.Range(0, pipeline.Count).First(i => pipeline[i] is LogMelStage);
        var beforeLogMel = new TransformerChain(pipeline.Take(logMelIndex));
        var fromLogMel = new TransformerChain(pipeline.Skip(logMelIndex));
        IReadOnlyList<Clip> clips = TestClips(recognizer.Model);

        // Inputs: the clips decoded and trimmed by the C# front end, cut to one window; the end-to-end file gets that PCM
        // (its graph starts at the STFT: trimming stays outside), model.onnx the C# stages from the log-Mel on (not
        // trimming the cut again).
        int size = 128 * 300, window = (300 - 1) * 160;
        float[] features = new float[clips.Count * size];
        float[] pcm = new float[clips.Count * window];
        for (int i = 0; i < clips.Count; i++)
        {
            AudioSignal trimmed = beforeLogMel.Transform(Sample.FromClip(clips[i]), TransformContext.Plain).Audio!;
            float[] cut = new float[window];
            trimmed.Samples.AsSpan(0, Math.Min(window, trimmed.Samples.Length)).CopyTo(cut);
            cut.CopyTo(pcm, i * window);
            fromLogMel.Transform(Sample.FromAudio(new AudioSignal(cut, trimmed.SampleRate)), TransformContext.Plain).Features!.Data.CopyTo(features, i * size);
        }
        float[] logits = new float[clips.Count * 8], csharp = new float[clips.Count * 8], endToEnd = new float[clips.Count * 8];
        recognizer.Model.Run(features, clips.Count, logits, csharp);
        e2e.Run(pcm, clips.Count, logits, endToEnd);
        double e2eDiff = csharp.Zip(endToEnd, (a, b) => (double)Math.Abs(a - b)).Max();
        output.WriteLine($"model-e2e.onnx on raw PCM vs C# front end + model.onnx, {clips.Count} test clips: max |dp| = {e2eDiff:E2}");
        Assert.True(e2eDiff <= 1e-3, $"end-to-end model differs by {e2eDiff:E2} > 1e-3");

        string nodeModules = Path.Combine(RepoPaths.Root, "npm", "node_modules");
        Assert.True(Directory.Exists(Path.Combine(nodeModules, "onnxruntime-node")), $"onnxruntime-node is missing from {nodeModules}: run ./setup.sh");
        using TempFolder temp = RepoPaths.NewTempFolder();
        foreach ((string path, float[] input, string dims, float[] expected) in new[]
        {
            (ModelPath, features, $"{clips.Count},1,128,300", csharp),
            (EndToEndPath, pcm, $"{clips.Count},{window}", endToEnd),
        })
        {
            string inputPath = Path.Combine(temp.Path, "input.f32");
            File.WriteAllBytes(inputPath, MemoryMarshal.AsBytes(input.AsSpan()).ToArray());
            var (code, stdout, stderr) = ExternalProcess.Run("node", [Path.Combine(Scripts, "run-ort-node.js"), path, inputPath, dims],
                new Dictionary<string, string> { ["NODE_PATH"] = nodeModules });
            Assert.True(code == 0, $"onnxruntime-node failed on {path}: {stderr.Trim()}");
            using JsonDocument result = JsonDocument.Parse(stdout);
            float[] node = [.. result.RootElement.GetProperty("probabilities").EnumerateArray().Select(e => e.GetSingle())];
            double diff = expected.Zip(node, (a, b) => (double)Math.Abs(a - b)).Max();
            output.WriteLine($"{Path.GetFileName(path)}: onnxruntime-node vs C# ORT, {clips.Count} test clips: max |dp| = {diff:E2}");
            Assert.True(diff <= 1e-4, $"{Path.GetFileName(path)}: onnxruntime-node differs by {diff:E2} > 1e-4");
        }
    }
}
