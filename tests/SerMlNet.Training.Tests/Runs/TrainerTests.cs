using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Evaluation.Reporting;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Tests;
using SerMlNet.Training.Engine;
using SerMlNet.Training.Model;
using SerMlNet.Training.Runs;

namespace SerMlNet.Training.Tests.Runs;

/// <summary>Trainer behaviour on a small, fast setting: two actors, 32 Mel bands, 100 frames, a two-block CNN.</summary>
public class TrainerTests
{
    private static readonly Lazy<PreparedDataset> Data = new(Prepare);

    private static readonly SerCnnOptions SmallModel = new() { InputMels = 32, InputFrames = 100, Channels = [4, 8], Dropout = 0.2 };

    private static TrainerOptions Options(int epochs = 3) => new() { Epochs = epochs, BatchSize = 16, LearningRate = 3e-3, Threads = 2, Seed = 11, Patience = 0 };

    private static PreparedDataset Prepare() => Prepare(validationFraction: 0.1);

    private static PreparedDataset Prepare(double validationFraction)
    {
        DatasetCatalog full = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        var small = new DatasetCatalog(full.Root, [.. full.Clips.Where(c => c.Speaker is "actor01" or "actor02")], full.Labels);
        var frontEnd = new FrontEndOptions
        {
            LogMel = new LogMelOptions { NMels = 32 },
            FixedLength = new FixedLengthOptions { Frames = 100 },
        };
        var augmentation = new AugmentationOptions { Copies = 1, PitchShift = null, TimeStretch = null };
        return new DatasetPreparation(frontEnd, augmentation, null).Prepare(small, Splitter.Stratified(small, validationFraction: validationFraction, seed: 1));
    }

    [Fact]
    public void SameSeedAndThreadsGiveTheSameCurvesAndTheRunFolderIsComplete()
    {
        using TempFolder a = RepoPaths.NewTempFolder();
        using TempFolder b = RepoPaths.NewTempFolder();
        TrainingResult first = new Trainer(SmallModel, Options()).Fit(Data.Value, new RunFolder(a.Path), "job");
        TrainingResult second = new Trainer(SmallModel, Options()).Fit(Data.Value, new RunFolder(b.Path), "job");
        Assert.Equal(3, first.Curves.Count);
        Assert.Equal(WithoutTime(first.Curves), WithoutTime(second.Curves));
        var run = new RunFolder(a.Path);
        Assert.True(File.Exists(run.BestCheckpoint));
        Assert.True(File.Exists(run.LastCheckpoint));
        Assert.Equal(WithoutTime(first.Curves), WithoutTime(CurvesCsv.Read(run.Curves)));
        Assert.InRange(first.BestEpoch, 1, 3);
        Assert.Equal(first.Curves.Max(c => c.ValMacroF1), first.BestValMacroF1, 6);
    }

    [Fact]
    public void ARunStoppedMidEpochResumesToTheSameResult()
    {
        using TempFolder whole = RepoPaths.NewTempFolder();
        using TempFolder broken = RepoPaths.NewTempFolder();
        TrainingResult uninterrupted = new Trainer(SmallModel, Options()).Fit(Data.Value, new RunFolder(whole.Path), "job");

        using var cancel = new CancellationTokenSource();
        SyncProgress stopInSecondEpoch = CancelAtSecondBatch(cancel, epoch: 2);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Trainer(SmallModel, Options()).Fit(Data.Value, new RunFolder(broken.Path), "job", stopInSecondEpoch, cancel.Token));
        Assert.Single(CurvesCsv.Read(new RunFolder(broken.Path).Curves));

        TrainingResult resumed = new Trainer(SmallModel, Options()).Fit(Data.Value, new RunFolder(broken.Path), "job");
        Assert.Equal(1, resumed.ResumedFromEpoch);
        Assert.Equal(WithoutTime(uninterrupted.Curves), WithoutTime(resumed.Curves));
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
    }

    [Fact]
    public void LiveTensorCountStaysFlatAcrossEpochs()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        var counts = new List<long>();
        var record = new SyncProgress(p =>
        {
            if (p.EpochFinished)
            {
                counts.Add(TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            }
        });
        new Trainer(SmallModel, Options(4)).Fit(Data.Value, new RunFolder(temp.Path), "job", record);
        Assert.Equal(4, counts.Count);
        Assert.All(counts, c => Assert.Equal(counts[0], c));
    }

    [Fact]
    public void CudaWithoutACudaBuildFailsInOneLineNamingWhatIsMissing()
    {
        // The project references TorchSharp-cpu, whose libtorch has no CUDA, on every machine.
        using TempFolder temp = RepoPaths.NewTempFolder();
        var ex = Assert.Throws<TorchEngineException>(() => new Trainer(SmallModel, Options(1) with { Device = "cuda" }).Fit(Data.Value, new RunFolder(temp.Path), "job"));
        Assert.Contains("TorchSharp-cuda-linux", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.False(File.Exists(new RunFolder(temp.Path).LastCheckpoint));
    }

    [Fact]
    public void ACheckpointOfAnotherJobIsNotResumed()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        new Trainer(SmallModel, Options(1)).Fit(Data.Value, new RunFolder(temp.Path), "job-a");
        var ex = Assert.Throws<InvalidFileException>(() => new Trainer(SmallModel, Options(2)).Fit(Data.Value, new RunFolder(temp.Path), "job-b"));
        Assert.Contains("another job", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelThatDoesNotFitTheDataIsRejected()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        var wrong = new SerCnnOptions { InputMels = 64, InputFrames = 100, Channels = [4] };
        var ex = Assert.Throws<SchemaMismatchException>(() => new Trainer(wrong, Options(1)).Fit(Data.Value, new RunFolder(temp.Path), "job"));
        Assert.Contains("[64 x 100]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassWeightsCompensateForNeutralHavingHalfTheClips()
    {
        float[] weights = Trainer.ClassWeights(Data.Value);
        Assert.Equal(8, weights.Length);
        Assert.InRange(weights[0] / weights[1], 1.9, 2.3);
        Assert.All(weights.Skip(2), w => Assert.Equal(weights[1], w, 3));
    }

    [Fact]
    public void TrainingLearnsASeparableTask()
    {
        // Four "emotions" with different local spectro-temporal texture (a tone, noise, a click train, a harmonic
        // complex): a working trainer must separate them.
        using TempFolder temp = RepoPaths.NewTempFolder();
        string[] labels = ["tone", "noise", "clicks", "harmonic"];
        var lines = new List<string> { "path,label,speaker" };
        var random = new Random(5);
        for (int c = 0; c < labels.Length; c++)
        {
            for (int k = 0; k < 12; k++)
            {
                double hz = 200 + 400 * random.NextDouble();
                float[] samples = new float[16000];
                for (int i = 0; i < samples.Length; i++)
                {
                    double t = i / 16000.0;
                    double value = c switch
                    {
                        0 => Math.Sin(2 * Math.PI * hz * t),
                        1 => 2 * random.NextDouble() - 1,
                        2 => i % 800 < 8 ? 1 : 0,
                        _ => Enumerable.Range(1, 8).Sum(h => Math.Sin(2 * Math.PI * h * hz / 2 * t)) / 4,
                    };
                    samples[i] = (float)(0.3 * value + 0.001 * (random.NextDouble() - 0.5));
                }
                string name = $"{labels[c]}-{k}.wav";
                SerMlNet.Audio.Wav.WavFile.Write(Path.Combine(temp.Path, name), new SerMlNet.Audio.AudioSignal(samples, 16000));
                lines.Add($"{name},{labels[c]},spk{k % 6}");
            }
        }
        File.WriteAllLines(Path.Combine(temp.Path, "manifest.csv"), lines);
        DatasetCatalog catalog = DatasetCatalog.Open(temp.Path);
        var frontEnd = new FrontEndOptions { LogMel = new LogMelOptions { NMels = 32 }, FixedLength = new FixedLengthOptions { Frames = 50 } };
        PreparedDataset data = new DatasetPreparation(frontEnd, null, null).Prepare(catalog, Splitter.Stratified(catalog, 0.5, 0.25, seed: 2));
        var model = new SerCnnOptions { InputMels = 32, InputFrames = 50, Channels = [8, 16], Dropout = 0, ClassCount = 4 };

        TrainingResult result = new Trainer(model, Options(20)).Fit(data, new RunFolder(Path.Combine(temp.Path, "run")), "job");
        Assert.True(result.Curves[^1].TrainLoss < 0.7 * result.Curves[0].TrainLoss, $"training loss did not fall: {string.Join(" | ", result.Curves)}");
        Assert.True(result.BestValMacroF1 > 0.9, $"validation macro-F1 {result.BestValMacroF1:F3} on a separable task: {string.Join(" | ", result.Curves)}");
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.4)]
    [InlineData(2.0)]
    public void MixupCoefficientsFollowBetaAlphaAlpha(double alpha)
    {
        // Beta(α, α): mean 1/2, variance 1 / (4 (2α + 1)); 40,000 draws give both to well under 2 %.
        var random = SerMlNet.Pipeline.Randomness.SeededRandom.Derive(3, "mixup-test", 0);
        double[] draws = [.. Enumerable.Range(0, 40_000).Select(_ => Trainer.MixupCoefficient(random, alpha))];
        Assert.All(draws, d => Assert.InRange(d, 0, 1));
        double mean = draws.Average();
        double variance = draws.Sum(d => (d - mean) * (d - mean)) / (draws.Length - 1);
        double expected = 1 / (4 * (2 * alpha + 1));
        Assert.InRange(mean, 0.495, 0.505);
        Assert.InRange(variance / expected, 0.98, 1.02);
    }

    [Fact]
    public void MixupIsDeterministicChangesTrainingAndIsValidated()
    {
        using TempFolder a = RepoPaths.NewTempFolder();
        using TempFolder b = RepoPaths.NewTempFolder();
        using TempFolder c = RepoPaths.NewTempFolder();
        TrainerOptions mixed = Options(2) with { MixupAlpha = 0.4 };
        TrainingResult first = new Trainer(SmallModel, mixed).Fit(Data.Value, new RunFolder(a.Path), "job");
        TrainingResult second = new Trainer(SmallModel, mixed).Fit(Data.Value, new RunFolder(b.Path), "job");
        TrainingResult plain = new Trainer(SmallModel, Options(2)).Fit(Data.Value, new RunFolder(c.Path), "job");
        Assert.Equal(WithoutTime(first.Curves), WithoutTime(second.Curves));
        Assert.NotEqual(WithoutTime(plain.Curves).Select(r => r.TrainLoss), WithoutTime(first.Curves).Select(r => r.TrainLoss));
        Assert.All(first.Curves, r => Assert.True(double.IsFinite(r.TrainLoss) && double.IsFinite(r.ValLoss)));

        var ex = Assert.Throws<SerMlNet.Audio.OptionsValidationException>(() => new Trainer(SmallModel, Options() with { MixupAlpha = -0.1 }));
        Assert.Contains("mixupAlpha must be in [0, 10]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SpeakerAdversaryIsDeterministicChangesTrainingResumesExactlyAndStaysOutOfTheModel()
    {
        using TempFolder a = RepoPaths.NewTempFolder();
        using TempFolder b = RepoPaths.NewTempFolder();
        using TempFolder c = RepoPaths.NewTempFolder();
        using TempFolder broken = RepoPaths.NewTempFolder();
        TrainerOptions adversarial = Options(3) with { SpeakerAdversaryWeight = 1, SpeakerAdversaryHidden = 16 };
        TrainingResult first = new Trainer(SmallModel, adversarial).Fit(Data.Value, new RunFolder(a.Path), "job");
        TrainingResult second = new Trainer(SmallModel, adversarial).Fit(Data.Value, new RunFolder(b.Path), "job");
        TrainingResult plain = new Trainer(SmallModel, Options(3)).Fit(Data.Value, new RunFolder(c.Path), "job");
        Assert.Equal(WithoutTime(first.Curves), WithoutTime(second.Curves));
        // The reversed gradient reaches the network: its emotion loss moves away from the run without the adversary
        // (the first step's reversal factor is 0, so only later steps differ).
        Assert.NotEqual(WithoutTime(plain.Curves).Select(r => r.TrainLoss), WithoutTime(first.Curves).Select(r => r.TrainLoss));
        Assert.All(first.Curves, r => Assert.True(double.IsFinite(r.TrainLoss) && double.IsFinite(r.ValLoss)));

        // best.ckpt holds the emotion network alone: it loads strictly into a plain SerCnn (what export reads).
        using (var model = new SerCnn(SmallModel))
        {
            ModelWeights.Load(model, new RunFolder(a.Path).BestCheckpoint);
        }

        // last.ckpt holds the adversary too: a run stopped in its second epoch resumes to the uninterrupted curves.
        using var cancel = new CancellationTokenSource();
        SyncProgress stopInSecondEpoch = CancelAtSecondBatch(cancel, epoch: 2);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Trainer(SmallModel, adversarial).Fit(Data.Value, new RunFolder(broken.Path), "job", stopInSecondEpoch, cancel.Token));
        TrainingResult resumed = new Trainer(SmallModel, adversarial).Fit(Data.Value, new RunFolder(broken.Path), "job");
        Assert.Equal(1, resumed.ResumedFromEpoch);
        Assert.Equal(WithoutTime(first.Curves), WithoutTime(resumed.Curves));
    }

    [Fact]
    public void SpeakerAdversaryNeedsSpeakersAndValidOptions()
    {
        FeatureItem[] anonymous = [.. Data.Value.Train.Select((item, i) => i == 3 ? new FeatureItem(item.Clip with { Speaker = null }, item.Part, item.Label, item.Draw, item.Features) : item)];
        TrainerOptions adversarial = Options(1) with { SpeakerAdversaryWeight = 0.5 };
        var missing = Assert.Throws<SchemaMismatchException>(() => new Trainer(SmallModel, adversarial).Fit(anonymous, Data.Value.Validation));
        Assert.Contains($"'{anonymous[3].Clip.Id}' has none", missing.Message, StringComparison.Ordinal);

        FeatureItem[] oneSpeaker = [.. Data.Value.Train.Where(item => item.Clip.Speaker == "actor01")];
        var single = Assert.Throws<SchemaMismatchException>(() => new Trainer(SmallModel, adversarial).Fit(oneSpeaker, []));
        Assert.Contains("at least two training speakers; the training split has 1", single.Message, StringComparison.Ordinal);

        // Without the adversary the same anonymous clip trains.
        (TrainingResult result, SerCnn model) = new Trainer(SmallModel, Options(1)).Fit(anonymous, Data.Value.Validation);
        model.Dispose();
        Assert.Single(result.Curves);

        var invalid = Assert.Throws<SerMlNet.Audio.OptionsValidationException>(() => new Trainer(SmallModel, Options() with { SpeakerAdversaryWeight = -1, SpeakerAdversaryHidden = 0 }));
        Assert.Contains("speakerAdversaryWeight must be in [0, 10] (was -1)", invalid.Message, StringComparison.Ordinal);
        Assert.Contains("speakerAdversaryHidden must be in [1, 4096] (was 0)", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SpeakerAdversaryReversalRampsFromZeroToTheWeight()
    {
        var trainer = new Trainer(SmallModel, Options() with { SpeakerAdversaryWeight = 0.5 });
        Assert.Equal(0, trainer.ReversalWeight(0, 1000), 12);
        Assert.Equal(0.5 * (2 / (1 + Math.Exp(-2.5)) - 1), trainer.ReversalWeight(250, 1000), 12);
        Assert.Equal(0.5 * (2 / (1 + Math.Exp(-10.0)) - 1), trainer.ReversalWeight(1000, 1000), 12);
        Assert.InRange(trainer.ReversalWeight(1000, 1000), 0.4999, 0.5);
        double[] ramp = [.. Enumerable.Range(0, 11).Select(i => trainer.ReversalWeight(i * 100, 1000))];
        Assert.Equal(ramp.Order(), ramp);
    }

    [Fact]
    public void CheckpointAveragingKeepsTheBestEpochsAveragesThemAndResumesToTheSameAverage()
    {
        using TempFolder plainFolder = RepoPaths.NewTempFolder();
        using TempFolder averagedFolder = RepoPaths.NewTempFolder();
        using TempFolder broken = RepoPaths.NewTempFolder();
        TrainerOptions averaging = Options(4) with { AverageBestEpochs = 2 };
        TrainingResult plain = new Trainer(SmallModel, Options(4)).Fit(Data.Value, new RunFolder(plainFolder.Path), "job");
        TrainingResult averaged = new Trainer(SmallModel, averaging).Fit(Data.Value, new RunFolder(averagedFolder.Path), "job");

        // Training is untouched: same curves, same best epoch; only the kept weights change.
        Assert.Equal(WithoutTime(plain.Curves), WithoutTime(averaged.Curves));
        Assert.Equal(plain.BestEpoch, averaged.BestEpoch);
        Assert.Empty(plain.AveragedEpochs);
        Assert.True(double.IsNaN(plain.AveragedValMacroF1));
        int[] expected = [.. averaged.Curves.OrderByDescending(r => r.ValMacroF1).ThenBy(r => r.Epoch).Take(2).Select(r => r.Epoch).Order()];
        Assert.Equal(expected, averaged.AveragedEpochs);
        Assert.Contains(averaged.BestEpoch, averaged.AveragedEpochs);
        Assert.InRange(averaged.AveragedValMacroF1, 0, 1);

        // epochs/ holds exactly the two chosen epochs, and best.ckpt is their element-wise mean.
        var run = new RunFolder(averagedFolder.Path);
        Assert.Equal(expected.Select(e => Path.GetFileName(run.EpochCheckpoint(e))), Directory.GetFiles(run.Epochs).Select(Path.GetFileName).Order());
        using var first = new SerCnn(SmallModel);
        using var second = new SerCnn(SmallModel);
        using var kept = new SerCnn(SmallModel);
        using var single = new SerCnn(SmallModel);
        ModelWeights.Load(first, run.EpochCheckpoint(expected[0]));
        ModelWeights.Load(second, run.EpochCheckpoint(expected[1]));
        ModelWeights.Load(kept, run.BestCheckpoint);
        ModelWeights.Load(single, new RunFolder(plainFolder.Path).BestCheckpoint);
        Dictionary<string, TorchSharp.torch.Tensor> a = first.state_dict(), b = second.state_dict(), mean = kept.state_dict();
        bool differsFromSingleBest = false;
        foreach ((string name, TorchSharp.torch.Tensor value) in mean)
        {
            if (value.is_floating_point())
            {
                float[] x = a[name].data<float>().ToArray(), y = b[name].data<float>().ToArray(), m = value.data<float>().ToArray();
                for (int i = 0; i < m.Length; i++)
                {
                    Assert.Equal((float)(((double)x[i] + y[i]) / 2), m[i], 1e-6f);
                }
                differsFromSingleBest |= !m.SequenceEqual(single.state_dict()[name].data<float>().ToArray());
            }
            else
            {
                Assert.Equal(b[name].data<long>().ToArray(), value.data<long>().ToArray());
            }
        }
        Assert.True(differsFromSingleBest);

        // A run stopped in its third epoch resumes to the same curves and the same averaged weights.
        using var cancel = new CancellationTokenSource();
        SyncProgress stopInThirdEpoch = CancelAtSecondBatch(cancel, epoch: 3);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Trainer(SmallModel, averaging).Fit(Data.Value, new RunFolder(broken.Path), "job", stopInThirdEpoch, cancel.Token));
        TrainingResult resumed = new Trainer(SmallModel, averaging).Fit(Data.Value, new RunFolder(broken.Path), "job");
        Assert.Equal(2, resumed.ResumedFromEpoch);
        Assert.Equal(WithoutTime(averaged.Curves), WithoutTime(resumed.Curves));
        Assert.Equal(averaged.AveragedEpochs, resumed.AveragedEpochs);
        using var again = new SerCnn(SmallModel);
        ModelWeights.Load(again, new RunFolder(broken.Path).BestCheckpoint);
        foreach ((string name, TorchSharp.torch.Tensor value) in again.state_dict())
        {
            Assert.True(value.eq(mean[name]).all().item<bool>(), name);
        }
    }

    [Fact]
    public void CheckpointAveragingInMemoryAndItsOptionAreChecked()
    {
        (TrainingResult plain, SerCnn plainModel) = new Trainer(SmallModel, Options(3)).Fit(Data.Value.Train, Data.Value.Validation);
        (TrainingResult averaged, SerCnn averagedModel) = new Trainer(SmallModel, Options(3) with { AverageBestEpochs = 3 }).Fit(Data.Value.Train, Data.Value.Validation);
        using (plainModel)
        using (averagedModel)
        {
            Assert.Equal(WithoutTime(plain.Curves), WithoutTime(averaged.Curves));
            Assert.Equal([1, 2, 3], averaged.AveragedEpochs);
            Assert.False(plainModel.state_dict()["classifier.weight"].eq(averagedModel.state_dict()["classifier.weight"]).all().item<bool>());
        }

        // Without validation the last epochs are averaged.
        (TrainingResult blind, SerCnn blindModel) = new Trainer(SmallModel, Options(3) with { AverageBestEpochs = 2 }).Fit(Data.Value.Train, []);
        blindModel.Dispose();
        Assert.Equal([2, 3], blind.AveragedEpochs);
        Assert.True(double.IsNaN(blind.AveragedValMacroF1));

        var invalid = Assert.Throws<SerMlNet.Audio.OptionsValidationException>(() => new Trainer(SmallModel, Options(3) with { AverageBestEpochs = 4 }));
        Assert.Contains("averageBestEpochs must be in [0, epochs = 3] (was 4)", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARunFolderWithoutValidationItemsKeepsTheLastEpochsAndNeverStopsEarly()
    {
        // A split without a validation part (validationSpeakers or validationFraction 0): nothing to choose on.
        PreparedDataset unvalidated = Prepare(validationFraction: 0);
        Assert.Empty(unvalidated.Validation);
        using TempFolder folder = RepoPaths.NewTempFolder();
        using TempFolder broken = RepoPaths.NewTempFolder();
        TrainerOptions options = Options(4) with { AverageBestEpochs = 2, Patience = 1 };
        TrainingResult result = new Trainer(SmallModel, options).Fit(unvalidated, new RunFolder(folder.Path), "job");

        Assert.Equal(4, result.Curves.Count);
        Assert.False(result.StoppedEarly);
        Assert.All(result.Curves, r => Assert.True(double.IsNaN(r.ValMacroF1) && double.IsNaN(r.ValAcc) && double.IsNaN(r.ValLoss)));
        Assert.Equal(4, result.BestEpoch);
        Assert.True(double.IsNaN(result.BestValMacroF1));
        Assert.Equal([3, 4], result.AveragedEpochs);
        Assert.True(double.IsNaN(result.AveragedValMacroF1));
        var run = new RunFolder(folder.Path);
        Assert.All(CurvesCsv.Read(run.Curves), r => Assert.True(double.IsNaN(r.ValMacroF1)));
        Assert.Equal(["epoch-003.ckpt", "epoch-004.ckpt"], Directory.GetFiles(run.Epochs).Select(Path.GetFileName).Order());

        // Stopped inside its third epoch, it resumes to the same kept epochs and the same weights.
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Trainer(SmallModel, options).Fit(unvalidated, new RunFolder(broken.Path), "job", CancelAtSecondBatch(cancel, epoch: 3), cancel.Token));
        TrainingResult resumed = new Trainer(SmallModel, options).Fit(unvalidated, new RunFolder(broken.Path), "job");
        Assert.Equal(2, resumed.ResumedFromEpoch);
        Assert.Equal([3, 4], resumed.AveragedEpochs);
        Assert.Equal(File.ReadAllBytes(run.BestCheckpoint), File.ReadAllBytes(new RunFolder(broken.Path).BestCheckpoint));
    }

    /// <summary>Progress that cancels the run at the second batch of <paramref name="epoch"/> (a crash inside that epoch).</summary>
    private static SyncProgress CancelAtSecondBatch(CancellationTokenSource cancel, int epoch) => new(p =>
    {
        if (p.Epoch == epoch && p.Batch == 2)
        {
            cancel.Cancel();
        }
    });

    private static IEnumerable<CurveRow> WithoutTime(IEnumerable<CurveRow> rows) => rows.Select(r => r with { Seconds = 0 });

    private sealed class SyncProgress(Action<TrainingProgress> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value);
    }
}
