using System.Text.Json.Nodes;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Tests;
using SerMlNet.Training.Jobs;

namespace SerMlNet.Training.Tests.Jobs;

/// <summary>Cross-validation as a library call, on a tiny job (<see cref="TinyJobs"/>).</summary>
public class CrossValidationTests
{
    [Fact]
    public void EveryFoldIsTrainedAndTestedOnItsHeldOutSpeakersAndCvJsonSummarisesThem()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        string manifest = TinyJobs.Manifest(temp.Path);
        JobDefinition job = TinyJobs.Job("tiny-cv");
        string output = Path.Combine(temp.Path, "cv");

        var crossValidation = new CrossValidation(job, manifest, output);
        CrossValidationResult result = crossValidation.Run();

        Assert.Equal(["fold1", "fold2"], result.Folds.Select(f => f.Name));
        IReadOnlyList<DatasetSplit> folds = Splitter.SpeakerFolds(SerMlNet.Pipeline.Datasets.DatasetCatalog.Open(manifest), 2, 1, 42);
        for (int k = 0; k < 2; k++)
        {
            FoldResult fold = result.Folds[k];
            Assert.Equal(folds[k].Count(SplitPart.Test), fold.Test.N);
            Assert.Single(fold.Training.Curves);
            Assert.True(File.Exists(Path.Combine(output, fold.Name, "metrics.json")));
            Assert.True(File.Exists(Path.Combine(output, fold.Name, "best.ckpt")));
        }
        double[] f1 = [.. result.Folds.Select(f => f.Test.MacroF1)];
        Assert.Equal(f1.Average(), result.MacroF1.Mean, 12);
        Assert.Equal(Math.Abs(f1[0] - f1[1]) / Math.Sqrt(2), result.MacroF1.Sd, 12);

        JsonObject cv = JsonNode.Parse(File.ReadAllText(crossValidation.SummaryPath))!.AsObject();
        Assert.Equal(["format", "version", "folds", "macro_f1_mean", "macro_f1_sd", "accuracy_mean", "accuracy_sd"], cv.Select(p => p.Key));
        Assert.Equal("sermlnet-cv", (string?)cv["format"]);
        Assert.Equal(1, (int?)cv["version"]);
        JsonObject first = cv["folds"]![0]!.AsObject();
        Assert.Equal(["name", "macro_f1", "accuracy", "n", "best_epoch", "averaged_epochs", "seconds"], first.Select(p => p.Key));
        Assert.Empty(first["averaged_epochs"]!.AsArray());
        Assert.Equal(result.Folds[0].Test.MacroF1, (double)first["macro_f1"]!);
        Assert.Equal(result.MacroF1.Mean, (double)cv["macro_f1_mean"]!);
        Assert.Equal(result.Accuracy.Sd, (double)cv["accuracy_sd"]!);
        Assert.Empty(Directory.GetFiles(output, "*.tmp*"));
    }

    [Fact]
    public void AFoldsMetricsSayWhetherItsSpeakersWereNormalisedWithTheirOwnStatistics()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        string manifest = TinyJobs.Manifest(temp.Path);
        foreach (bool perSpeaker in new[] { false, true })
        {
            JobDefinition job = TinyJobs.Job("tiny-speaker", perSpeaker: perSpeaker);
            var runner = new JobRunner(job, manifest, Path.Combine(temp.Path, perSpeaker ? "speaker" : "plain"), null);
            (_, SerMlNet.Evaluation.Metrics.EvaluationResult test) = runner.Train(runner.Prepare("fold1", null).Data, null);
            JsonObject metrics = JsonNode.Parse(File.ReadAllText(runner.Run.Metrics))!.AsObject();
            string expected = perSpeaker ? SerMlNet.Pipeline.Features.NormaliseOptions.PerSpeakerDescription : "none";
            Assert.Equal(expected, test.Data["calibration"]);
            Assert.Equal(expected, (string?)metrics["data"]!["calibration"]);
        }
    }
}
