using System.Text.Json.Nodes;
using SerMlNet.Onnx;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Tests;
using SerMlNet.Training.Export;
using SerMlNet.Training.Jobs;
using SerMlNet.Training.Tests.Jobs;

namespace SerMlNet.Training.Tests.Export;

/// <summary><see cref="SerCnnExport.ExportRuns"/> on tiny runs (<see cref="TinyJobs"/>): one fold trained with two seeds
/// exports as one model whose probabilities are the mean of the two runs' models; runs that disagree are refused.</summary>
public class EnsembleExportTests
{
    [Fact]
    public void TwoSeedsOfOneFoldExportAsOneModelAveragingTheirProbabilities()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        string manifest = TinyJobs.Manifest(temp.Path);
        string[] runs = [Path.Combine(temp.Path, "seed3"), Path.Combine(temp.Path, "seed4")];
        PreparedDataset? data = null;
        for (int i = 0; i < runs.Length; i++)
        {
            var runner = new JobRunner(TinyJobs.Job($"tiny-seed{3 + i}", trainingSeed: 3 + i), manifest, runs[i], Path.Combine(temp.Path, "cache"));
            data = runner.Prepare("fold1", null).Data;
            runner.Train(data, null);
        }
        string[] singles = [Path.Combine(temp.Path, "a.onnx"), Path.Combine(temp.Path, "b.onnx")];
        for (int i = 0; i < runs.Length; i++)
        {
            SerCnnExport.ExportRun(runs[i], singles[i], null);
        }
        string ensemblePath = Path.Combine(temp.Path, "ensemble.onnx"), ensembleE2e = Path.Combine(temp.Path, "ensemble-e2e.onnx");
        SerCnnExport.ExportRuns(runs, ensemblePath, ensembleE2e);

        FeatureItem[] test = [.. data!.Test];
        float[] features = [.. test.SelectMany(item => item.Features.Data)];
        using OnnxModel a = OnnxModel.Load(singles[0]), b = OnnxModel.Load(singles[1]), ensemble = OnnxModel.Load(ensemblePath);
        IReadOnlyList<EmotionPrediction> pa = a.Predict(features, test.Length), pb = b.Predict(features, test.Length), both = ensemble.Predict(features, test.Length);
        (int Clip, int Class)[] cells = [.. Enumerable.Range(0, test.Length).SelectMany(i => Enumerable.Range(0, ensemble.ClassCount).Select(k => (i, k)))];
        double worst = cells.Max(c => Math.Abs((pa[c.Clip].Probabilities[c.Class] + pb[c.Clip].Probabilities[c.Class]) / 2 - both[c.Clip].Probabilities[c.Class]));
        double disagreement = cells.Max(c => Math.Abs(pa[c.Clip].Probabilities[c.Class] - pb[c.Clip].Probabilities[c.Class]));
        Assert.True(disagreement > 1e-3, "the two seeds gave the same model; the mean would prove little");
        Assert.True(worst <= 1e-5, $"max |ensemble - mean of the runs' models| = {worst:E2}");

        // The ensemble keeps the runs' labels, front end and split, and stores no training metrics (they were each run's).
        Assert.Equal(a.Labels, ensemble.Labels);
        Assert.Equal(a.Metadata.FrontEndJson, ensemble.Metadata.FrontEndJson);
        Assert.Equal(a.Metadata.All[OnnxMetadataKeys.DataSplit], ensemble.Metadata.All[OnnxMetadataKeys.DataSplit]);
        Assert.Equal("fold1", (string?)JsonNode.Parse(ensemble.Metadata.All[OnnxMetadataKeys.DataSplit])!["split"]);
        Assert.NotNull(a.Metadata.MetricsJson);
        Assert.Null(ensemble.Metadata.MetricsJson);
        using OnnxModel e2e = OnnxModel.Load(ensembleE2e);
        Assert.Equal(ModelInputKind.Pcm, e2e.InputKind);
    }

    [Fact]
    public void RunsOnAnotherSplitOrWithOtherLabelsAreRefusedWithEveryReason()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        string manifest = TinyJobs.Manifest(temp.Path);
        string fold1 = Path.Combine(temp.Path, "fold1"), fold2 = Path.Combine(temp.Path, "fold2");
        foreach ((string run, string split) in new[] { (fold1, "fold1"), (fold2, "fold2") })
        {
            var runner = new JobRunner(TinyJobs.Job("tiny"), manifest, run, Path.Combine(temp.Path, "cache"));
            runner.Train(runner.Prepare(split, null).Data, null);
        }
        string output = Path.Combine(temp.Path, "ensemble.onnx");
        var e = Assert.Throws<OnnxValidationException>(() => SerCnnExport.ExportRuns([fold1, fold2], output, null));
        Assert.Contains(e.Errors, s => s.Contains("another data split", StringComparison.Ordinal));
        Assert.Contains(e.Errors, s => s.Contains("another fitted front end", StringComparison.Ordinal));
        Assert.False(File.Exists(output));

        // The same fold with its labels in another order: the members' outputs would not line up.
        string relabelled = Path.Combine(temp.Path, "relabelled");
        Directory.CreateDirectory(relabelled);
        foreach (string file in Directory.GetFiles(fold1))
        {
            File.Copy(file, Path.Combine(relabelled, Path.GetFileName(file)));
        }
        string prepare = Path.Combine(relabelled, "prepare.json");
        JsonObject summary = JsonNode.Parse(File.ReadAllText(prepare))!.AsObject();
        JsonArray labels = summary["labels"]!.AsArray();
        string?[] reversed = [.. labels.Select(l => (string?)l).Reverse()];
        summary["labels"] = new JsonArray([.. reversed.Select(l => (JsonNode?)JsonValue.Create(l))]);
        File.WriteAllText(prepare, summary.ToJsonString());
        e = Assert.Throws<OnnxValidationException>(() => SerCnnExport.ExportRuns([fold1, relabelled], output, null));
        Assert.Single(e.Errors);
        Assert.Contains("has labels [", e.Errors[0], StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => SerCnnExport.ExportRuns([fold1, Path.Combine(temp.Path, "missing")], output, null));
    }
}
