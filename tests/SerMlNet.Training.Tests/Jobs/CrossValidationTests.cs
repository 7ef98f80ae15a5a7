using System.Text.Json.Nodes;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Tests;
using SerMlNet.Training.Jobs;
using SerMlNet.Training.Model;
using SerMlNet.Training.Runs;

namespace SerMlNet.Training.Tests.Jobs;

/// <summary>Cross-validation as a library call, on a tiny job: four actors × four clips, two folds, one epoch, a
/// one-block CNN on 16 × 20 features.</summary>
public class CrossValidationTests
{
    [Fact]
    public void EveryFoldIsTrainedAndTestedOnItsHeldOutSpeakersAndCvJsonSummarisesThem()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        string manifest = Manifest(temp.Path);
        var job = new JobDefinition
        {
            Name = "tiny-cv",
            Data = new DataOptions { Folds = 2, ValidationSpeakers = 1, Seed = 42 },
            FrontEnd = new FrontEndOptions { LogMel = new LogMelOptions { NMels = 16 }, FixedLength = new FixedLengthOptions { Frames = 20 } },
            Augmentation = null,
            Model = new SerCnnOptions { InputMels = 16, InputFrames = 20, Channels = [4], Dropout = 0, ClassCount = 4 },
            Training = new TrainerOptions { Epochs = 1, BatchSize = 8, Threads = 1, Seed = 3 },
        };
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
        Assert.Equal(["name", "macro_f1", "accuracy", "n", "best_epoch", "seconds"], first.Select(p => p.Key));
        Assert.Equal(result.Folds[0].Test.MacroF1, (double)first["macro_f1"]!);
        Assert.Equal(result.MacroF1.Mean, (double)cv["macro_f1_mean"]!);
        Assert.Equal(result.Accuracy.Sd, (double)cv["accuracy_sd"]!);
        Assert.Empty(Directory.GetFiles(output, "*.tmp*"));
    }

    [Fact]
    public void AFoldsMetricsSayWhetherItsSpeakersWereNormalisedWithTheirOwnStatistics()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        string manifest = Manifest(temp.Path);
        foreach (bool perSpeaker in new[] { false, true })
        {
            var job = new JobDefinition
            {
                Name = "tiny-speaker",
                Data = new DataOptions { Folds = 2, ValidationSpeakers = 1, Seed = 42 },
                FrontEnd = new FrontEndOptions
                {
                    LogMel = new LogMelOptions { NMels = 16 },
                    FixedLength = new FixedLengthOptions { Frames = 20 },
                    Normalise = new SerMlNet.Pipeline.Features.NormaliseOptions { PerSpeaker = perSpeaker },
                },
                Augmentation = null,
                Model = new SerCnnOptions { InputMels = 16, InputFrames = 20, Channels = [4], Dropout = 0, ClassCount = 4 },
                Training = new TrainerOptions { Epochs = 1, BatchSize = 8, Threads = 1, Seed = 3 },
            };
            var runner = new JobRunner(job, manifest, Path.Combine(temp.Path, perSpeaker ? "speaker" : "plain"), null);
            (_, SerMlNet.Evaluation.Metrics.EvaluationResult test) = runner.Train(runner.Prepare("fold1", null).Data, null);
            JsonObject metrics = JsonNode.Parse(File.ReadAllText(runner.Run.Metrics))!.AsObject();
            string expected = perSpeaker ? SerMlNet.Pipeline.Calibration.SpeakerCalibration.TransductiveDescription : "none";
            Assert.Equal(expected, test.Data["calibration"]);
            Assert.Equal(expected, (string?)metrics["data"]!["calibration"]);
        }
    }

    /// <summary>Four clips (four emotions) of each of actors 1–4, with speaker and gender.</summary>
    private static string Manifest(string folder)
    {
        string[] emotions = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"];
        var lines = new List<string> { "path,label,speaker,gender" };
        for (int actor = 1; actor <= 4; actor++)
        {
            string[] files = Directory.GetFiles(Path.Combine(RepoPaths.Ravdess16k, $"Actor_{actor:D2}"), "*.wav").Order(StringComparer.Ordinal).ToArray();
            foreach (string file in files.GroupBy(f => Path.GetFileName(f).Split('-')[2]).Where(g => g.Key is "01" or "03" or "04" or "05").Select(g => g.First()))
            {
                int emotion = int.Parse(Path.GetFileName(file).Split('-')[2], System.Globalization.CultureInfo.InvariantCulture);
                lines.Add($"{file},{emotions[emotion - 1]},actor{actor:D2},{(actor % 2 == 1 ? "male" : "female")}");
            }
        }
        string path = Path.Combine(folder, "manifest.csv");
        File.WriteAllLines(path, lines);
        return path;
    }
}
