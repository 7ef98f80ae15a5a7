using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Evaluation.Reporting;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Tests;
using SerMlNet.Training.MlNet;
using SerMlNet.Training.Model;
using SerMlNet.Training.Runs;

namespace SerMlNet.Training.Tests.Runs;

/// <summary>The in-memory entry point (what the ML.NET trainer calls) runs the same loop as the run-folder one.</summary>
public class InMemoryFitTests
{
    [Fact]
    public void InMemoryItemsTrainToTheSameCurvesAsThePreparedDatasetTheyCameFrom()
    {
        DatasetCatalog full = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        var small = new DatasetCatalog(full.Root, [.. full.Clips.Where(c => c.Speaker is "actor03")], full.Labels);
        var frontEnd = new FrontEndOptions { LogMel = new LogMelOptions { NMels = 16 }, FixedLength = new FixedLengthOptions { Frames = 40 } };
        PreparedDataset data = new DatasetPreparation(frontEnd, null, null).Prepare(small, Splitter.Stratified(small, seed: 4));
        var model = new SerCnnOptions { InputMels = 16, InputFrames = 40, Channels = [4, 8], Dropout = 0.1 };
        var options = new TrainerOptions { Epochs = 3, BatchSize = 8, Threads = 1, Seed = 9, Patience = 0 };
        using TempFolder temp = RepoPaths.NewTempFolder();

        TrainingResult onDisk = new Trainer(model, options).Fit(data, new RunFolder(temp.Path), "job");
        (TrainingResult inMemory, SerCnn best) = new Trainer(model, options).Fit(data.Train, data.Validation);
        using (best)
        {
            Assert.Equal(WithoutTime(onDisk.Curves), WithoutTime(inMemory.Curves));
            Assert.Equal(onDisk.BestEpoch, inMemory.BestEpoch);
            using var fromDisk = new SerCnn(model);
            ModelWeights.Load(fromDisk, new RunFolder(temp.Path).BestCheckpoint);
            Assert.Equal(ModelWeights.Serialize(fromDisk), ModelWeights.Serialize(best));
        }
    }

    [Fact]
    public void TheMlNetTrainerWithPerEpochSpecAugmentTrainsWhatTheJobPathTrains()
    {
        DatasetCatalog full = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        var small = new DatasetCatalog(full.Root, [.. full.Clips.Where(c => c.Speaker is "actor05")], full.Labels);
        var frontEnd = new FrontEndOptions { LogMel = new LogMelOptions { NMels = 16 }, FixedLength = new FixedLengthOptions { Frames = 40 } };
        // One offline copy (gain and noise) and SpecAugment masks drawn afresh every epoch, as in the shipped job.
        var augmentation = new AugmentationOptions { Copies = 1, Seed = 11, TimeStretch = null, PitchShift = null, TimeShift = null };
        PreparedDataset data = new DatasetPreparation(frontEnd, augmentation, null).Prepare(small, Splitter.Stratified(small, seed: 4));
        var model = new SerCnnOptions { InputMels = 16, InputFrames = 40, Channels = [4, 8], Dropout = 0.1 };
        var options = new TrainerOptions { Epochs = 3, BatchSize = 8, Threads = 1, Seed = 9, Patience = 0 };
        using TempFolder temp = RepoPaths.NewTempFolder();
        TrainingResult onDisk = new Trainer(model, options).Fit(data, new RunFolder(temp.Path), "job");

        // The same items as ML.NET rows (clip id, draw, features, label key), through mlContext's SerCnn trainer.
        var mlContext = new MLContext(seed: 1);
        IDataView View(IReadOnlyList<FeatureItem> items) => mlContext.Data.LoadFromEnumerable(
            items.Select(i => new ItemRow { ClipId = i.Clip.Id, Draw = (int)i.Draw, Features = i.Features.Data, Label = (uint)i.Label }).ToList());
        using SerCnnTransformer fitted = mlContext.MulticlassClassification.Trainers.SerCnn(new SerCnnTrainerOptions
        {
            Model = model,
            Training = options,
            SpecAugment = augmentation.SpecAugment,
            AugmentationSeed = augmentation.Seed,
            ValidationSet = View(data.Validation),
        }).Fit(View(data.Train));

        Assert.Equal(2 * data.Train.Count(i => i.Draw == 0), data.Train.Count);
        Assert.Equal(WithoutTime(onDisk.Curves), WithoutTime(fitted.Training.Curves));
        Assert.Equal(onDisk.BestEpoch, fitted.Training.BestEpoch);
        using var fromDisk = new SerCnn(model);
        ModelWeights.Load(fromDisk, new RunFolder(temp.Path).BestCheckpoint);
        string weights = Path.Combine(temp.Path, "mlnet.weights");
        fitted.SaveWeights(weights);
        using var fromMlNet = new SerCnn(model);
        ModelWeights.Load(fromMlNet, weights);
        Assert.Equal(ModelWeights.Serialize(fromDisk), ModelWeights.Serialize(fromMlNet));

        // Without the masks the curves differ: the test sees SpecAugment.
        using SerCnnTransformer plain = mlContext.MulticlassClassification.Trainers.SerCnn(new SerCnnTrainerOptions { Model = model, Training = options, ValidationSet = View(data.Validation) }).Fit(View(data.Train));
        Assert.NotEqual(WithoutTime(onDisk.Curves), WithoutTime(plain.Training.Curves));
    }

    private sealed class ItemRow
    {
        public string ClipId { get; set; } = string.Empty;

        public int Draw { get; set; }

        [VectorType(16 * 40)]
        public float[] Features { get; set; } = [];

        /// <summary>The class index: LoadFromEnumerable stores index i of a [KeyType] member as key value i + 1.</summary>
        [KeyType(8)]
        public uint Label { get; set; }
    }

    private static IEnumerable<CurveRow> WithoutTime(IEnumerable<CurveRow> rows) => rows.Select(r => r with { Seconds = 0 });
}
