using System.Text.Json.Nodes;
using Microsoft.ML;
using SerMlNet.ML.Saving;
using SerMlNet.Onnx;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.ML.Tests.Saving;

/// <summary>
/// The clip-scoring graph's windows against the recognizer's on models with short windows (so most test clips are
/// several windows long, and the single windows crop or pad) and each crop alignment: the shipped pipeline with its
/// <c>fixedLength</c> stage changed, and a small seeded network with a large head (probabilities far from uniform).
/// </summary>
public sealed class ClipWindowingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("start", 250)]
    [InlineData("center", 251)]
    [InlineData("end", 241)]
    public void Windows_and_crops_agree_with_the_recognizer(string alignment, int frames)
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        string model = Path.Combine(temp.Path, "model.onnx");
        IReadOnlyList<string> labels = WriteModel(model, alignment, frames);

        string[] test = SavedModelClips.TestSplit();
        string[] paths = [.. test.Where((_, i) => i % 5 == 0), SavedModelClips.Concatenate(Path.Combine(temp.Path, "long.wav"), test[20..23])];

        RecognitionResult[] expected;
        using (var recognizer = EmotionRecognizer.Open(model))
        {
            expected = [.. recognizer.Recognize(paths)];
        }
        var mlContext = new MLContext(seed: 0);
        ITransformer zip = EmotionModelZip.Build(mlContext, model);
        var actual = SavedModelClips.Score(mlContext, zip, paths);
        (zip as IDisposable)?.Dispose();

        double max = 0;
        for (int i = 0; i < paths.Length; i++)
        {
            Assert.Equal(expected[i].Label, actual[i].Label);
            for (int c = 0; c < labels.Count; c++)
            {
                max = Math.Max(max, Math.Abs(actual[i].Score[c] - expected[i].Probabilities[c]));
            }
        }
        int[] windows = [.. expected.Select(r => r.Windows.Count)];
        // A single window spans the trimmed clip: 1 + samples / hop frames (16 kHz, hop 160), padded or cropped to the window.
        int[] singleFrames = [.. expected.Where(r => r.Windows.Count == 1).Select(r => 1 + (int)Math.Round((r.Windows[0].EndSeconds - r.Windows[0].StartSeconds) * 100))];
        int padded = singleFrames.Count(f => f < frames), cropped = singleFrames.Count(f => f > frames);
        output.WriteLine($"{alignment}, {frames} frames: {paths.Length} clips, windows {windows.Min()}..{windows.Max()} ({singleFrames.Length} single: {padded} padded, {cropped} cropped), max |dp| = {max:E2}");
        Assert.True(padded >= 1 && cropped >= 1 && windows.Count(w => w > 1) >= 2, $"windows {string.Join(' ', windows)} do not exercise padding, cropping and several windows");
        Assert.True(max <= 1e-4, $"{max:E2}");
        // Probabilities far from uniform: a comparison that means something.
        Assert.True(expected.Max(r => r.Confidence) > 0.5f, "the seeded network's probabilities are nearly uniform");
    }

    /// <summary>A log-Mel model over the shipped front end with the given fixed length, and a small seeded network.</summary>
    private static IReadOnlyList<string> WriteModel(string path, string alignment, int frames)
    {
        using var shipped = OnnxModel.Load(Path.Combine(RepoPaths.Root, "artifacts", "model.onnx"));
        JsonNode pipeline = JsonNode.Parse(shipped.Metadata.FrontEndJson!)!;
        JsonObject fixedLength = pipeline["stages"]!.AsArray().Single(s => (string?)s!["type"] == "fixedLength")!.AsObject();
        fixedLength["frames"] = frames;
        fixedLength["alignment"] = alignment;
        CnnDescription cnn = SavedModelClips.SmallNetwork(frames);
        OnnxExporter.Export(cnn, new OnnxExportOptions { ClassLabels = shipped.Labels, FrontEndJson = pipeline.ToJsonString() }, path);
        return shipped.Labels;
    }
}
