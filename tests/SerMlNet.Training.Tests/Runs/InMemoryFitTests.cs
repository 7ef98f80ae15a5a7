using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Evaluation.Reporting;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Tests;
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

    private static IEnumerable<CurveRow> WithoutTime(IEnumerable<CurveRow> rows) => rows.Select(r => r with { Seconds = 0 });
}
