using SerMlNet.Audio;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Onnx;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Tests;
using SerMlNet.Training.Export;
using SerMlNet.Training.Jobs;
using SerMlNet.Training.Runs;

namespace SerMlNet.Training.Tests.Jobs;

/// <summary>A job with <see cref="TrainerOptions.EnsembleSeeds"/> (<see cref="JobRunner.Train"/>): every member is the
/// network a one-seed job would train, the run scores the mean of their probabilities, and exporting the run writes
/// them as one graph; bad seed lists are refused (the ML.NET trainer's ensembles: SerCnnTrainerTests).</summary>
public class SeedEnsembleTests
{
    [Fact]
    public void AnEnsembleJobTrainsEachSeedsNetworkAndScoresAndExportsTheMeanOfTheirProbabilities()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        string manifest = TinyJobs.Manifest(temp.Path);
        string cache = Path.Combine(temp.Path, "cache");
        JobDefinition single = TinyJobs.Job("tiny", trainingSeed: 3);
        JobDefinition job = single.WithTraining(single.Training with { EnsembleSeeds = [4] });
        string ensembleRun = Path.Combine(temp.Path, "ensemble");
        var runner = new JobRunner(job, manifest, ensembleRun, cache);
        PreparedDataset data = runner.Prepare("fold1", null).Data;
        var reports = new List<TrainingProgress>();
        (TrainingResult training, EvaluationResult test) = runner.Train(data, new SynchronousProgress<TrainingProgress>(reports.Add));

        // Both networks trained, in turn, each reporting its place and seed.
        Assert.Equal([(1, 2, 3L), (2, 2, 4L)], reports.Select(p => (p.Member, p.Members, p.Seed)).Distinct());
        var member = new RunFolder(runner.Run.MemberFolder(4));
        Assert.Equal(Path.Combine(ensembleRun, "members", "seed4"), member.Path);
        Assert.True(File.Exists(member.BestCheckpoint));
        JobDefinition memberJob = JobDefinition.Load(member.Job);
        Assert.Equal(4, memberJob.Training.Seed);
        Assert.Null(memberJob.Training.EnsembleSeeds);
        Assert.Equal("3 4", test.Model["ensemble_seeds"]);
        Assert.True(training.Seconds > 0);

        // The same two seeds as separate one-network runs.
        string[] singles = [Path.Combine(temp.Path, "seed3"), Path.Combine(temp.Path, "seed4")];
        for (int i = 0; i < singles.Length; i++)
        {
            var one = new JobRunner(TinyJobs.Job("tiny", trainingSeed: 3 + i), manifest, singles[i], cache);
            one.Train(one.Prepare("fold1", null).Data, null);
        }
        string fromRun = Path.Combine(temp.Path, "run.onnx"), fromSingles = Path.Combine(temp.Path, "singles.onnx"), first = Path.Combine(temp.Path, "first.onnx");
        SerCnnExport.ExportRun(ensembleRun, fromRun, null);
        SerCnnExport.ExportRuns(singles, fromSingles, null);
        SerCnnExport.ExportRun(singles[0], first, null);

        FeatureItem[] items = [.. data.Test];
        float[] features = [.. items.SelectMany(item => item.Features.Data)];
        using OnnxModel ensemble = OnnxModel.Load(fromRun), separate = OnnxModel.Load(fromSingles), seed3 = OnnxModel.Load(first);
        IReadOnlyList<EmotionPrediction> e = ensemble.Predict(features, items.Length), s = separate.Predict(features, items.Length), one3 = seed3.Predict(features, items.Length);
        double worst = 0, fromFirst = 0;
        for (int i = 0; i < items.Length; i++)
        {
            for (int k = 0; k < ensemble.ClassCount; k++)
            {
                worst = Math.Max(worst, Math.Abs(e[i].Probabilities[k] - s[i].Probabilities[k]));
                fromFirst = Math.Max(fromFirst, Math.Abs(e[i].Probabilities[k] - one3[i].Probabilities[k]));
            }
        }
        Assert.True(fromFirst > 1e-4, "the ensemble scored like its first network alone; the second was not included");
        Assert.True(worst <= 1e-5, $"max |exported ensemble run - ensemble of the two one-seed runs| = {worst:E2}");

        // The run's own test figures are the ensemble's (the exported run keeps them: they are its model's).
        int correct = items.Select((item, i) => e[i].ClassIndex == item.Label ? 1 : 0).Sum();
        Assert.Equal((double)correct / items.Length, test.Accuracy, 9);
        Assert.NotNull(ensemble.Metadata.MetricsJson);
        Assert.Equal(test.MacroF1, MetricsJson.Read(runner.Run.Metrics).MacroF1, 12);
    }

    [Fact]
    public void BadSeedListsAreRefusedAndAJobWithoutOneKeepsItsJson()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new TrainerOptions { Seed = 7, EnsembleSeeds = [3, 3, 7] }.Validate());
        Assert.Contains(ex.Errors, m => m.Contains("distinct", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, m => m.Contains("must not repeat seed 7", StringComparison.Ordinal));
        ex = Assert.Throws<OptionsValidationException>(() => new TrainerOptions { EnsembleSeeds = [.. Enumerable.Range(100, 16).Select(i => (long)i)] }.Validate());
        Assert.Contains(ex.Errors, m => m.Contains("at most 15", StringComparison.Ordinal));

        // Absent from the JSON of a one-network job (its run identity is unchanged); a list survives save and load.
        JobDefinition single = TinyJobs.Job("tiny");
        Assert.DoesNotContain("ensembleSeeds", single.ToJson(), StringComparison.Ordinal);
        using TempFolder temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "job.json");
        single.WithTraining(single.Training with { EnsembleSeeds = [7, 11] }).Save(path);
        Assert.Equal([7L, 11L], JobDefinition.Load(path).Training.EnsembleSeeds!);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
