using System.Runtime.InteropServices;
using System.Text.Json;
using SerMlNet.Audio;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Onnx.Tests;

/// <summary>
/// The model shipped in <c>artifacts/</c>: both files pass the official ONNX checker, ONNX Runtime for Node.js agrees
/// with the C# path on real test clips, and the metadata carries labels, the fitted pipeline, the split and the metrics.
/// The end-to-end file on raw test clips: <see cref="ShippedEndToEndTests"/>.
/// </summary>
public sealed class ShippedModelTests(ITestOutputHelper output)
{
    private static string Artifacts => Path.Combine(RepoPaths.Root, "artifacts");

    private static string ModelPath => Path.Combine(Artifacts, "model.onnx");

    private static string EndToEndPath => Path.Combine(Artifacts, "model-e2e.onnx");

    private static string Scripts => Path.Combine(RepoPaths.Root, "tests", "SerMlNet.Onnx.Tests", "Scripts");

    internal static string ShippedModelPath => ModelPath;

    internal static string ShippedEndToEndPath => EndToEndPath;

    /// <summary>The test part of the split recorded in the model (120 clips).</summary>
    internal static IReadOnlyList<Clip> TestClips(OnnxModel model)
    {
        DataOptions options = JsonSerializer.Deserialize<DataOptions>(model.Metadata.All[OnnxMetadataKeys.DataSplit], PipelineJson.Options)!;
        DatasetCatalog catalog = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        return [.. options.MakeSplits(catalog)[options.Split].Select(catalog, SplitPart.Test)];
    }

    [Fact]
    public void Metadata_carries_labels_pipeline_split_and_metrics()
    {
        using OnnxModel model = OnnxModel.Load(ModelPath);
        Assert.Equal(Emotions.Ravdess, model.Labels);
        Assert.Equal(ModelInputKind.LogMel, model.InputKind);
        Assert.Equal([-1L, 1, 128, 300], model.InputShape);
        FittedFrontEnd pipeline = FittedFrontEnd.FromJson(model.Metadata.FrontEndJson!);
        Assert.NotNull(pipeline.Statistics);
        // Read and written back byte for byte: what the exporter writes and this library reads stay the same.
        Assert.Equal(model.Metadata.FrontEndJson, pipeline.ToJson());
        using (OnnxModel endToEnd = OnnxModel.Load(EndToEndPath))
        {
            Assert.Equal(endToEnd.Metadata.FrontEndJson, FittedFrontEnd.FromJson(endToEnd.Metadata.FrontEndJson!).ToJson());
        }
        EvaluationResult metrics = MetricsJson.Deserialize(model.Metadata.MetricsJson!);
        Assert.True(metrics.MacroF1 > 0.5, $"metadata metrics: macro-F1 {metrics.MacroF1}");
        Assert.True(model.Metadata.All.ContainsKey(OnnxMetadataKeys.DataSplit));
        using OnnxModel e2e = OnnxModel.Load(EndToEndPath);
        Assert.Equal(ModelInputKind.Pcm, e2e.InputKind);
        Assert.Equal(16000, e2e.Metadata.SampleRate);
        Assert.True(e2e.HasLengthsInput);
        Assert.True(e2e.Metadata.TrimsSilence);
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
    public void Onnxruntime_node_agrees_with_the_csharp_path_on_model_onnx()
    {
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(ModelPath);
        IReadOnlyList<Clip> clips = [.. TestClips(recognizer.Model).Take(20)];
        int size = 128 * 300;
        float[] features = new float[clips.Count * size];
        for (int i = 0; i < clips.Count; i++)
        {
            recognizer.Pipeline.ComputeFeatures(clips[i].Path).Data.CopyTo(features, i * size);
        }
        float[] logits = new float[clips.Count * 8], csharp = new float[clips.Count * 8];
        recognizer.Model.Run(features, clips.Count, logits, csharp);
        float[] node = OrtNode.Probabilities(ModelPath, features, $"{clips.Count},1,128,300");
        double diff = csharp.Zip(node, (a, b) => (double)Math.Abs(a - b)).Max();
        output.WriteLine($"model.onnx: onnxruntime-node vs C# ORT, {clips.Count} test clips: max |dp| = {diff:E2}");
        Assert.True(diff <= 1e-4, $"model.onnx: onnxruntime-node differs by {diff:E2} > 1e-4");
    }
}
