using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.ML.Saving;
using SerMlNet.ML.Transforms;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Tests;
using SerMlNet.Training.Jobs;
using SerMlNet.Training.MlNet;
using SerMlNet.Training.Model;
using SerMlNet.Training.Runs;

namespace SerMlNet.Training.Tests.MlNet;

/// <summary>
/// The JSON job files as ML.NET pipelines (<see cref="JobPipelines"/>), and a chain trained through ML.NET saved as
/// <c>model.onnx</c> + <c>model.zip</c> (<see cref="EmotionModelExport"/>).
/// </summary>
public class JobPipelineTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string ShippedJob = Path.Combine(RepoPaths.Root, "pipelines", "ravdess-cnn.json");

    [Fact]
    public void TheShippedJobsMlNetFeaturizerGivesTheJobPathsTrainingExamplesStatisticsAndFeaturesBitForBit()
    {
        JobDefinition job = JobDefinition.Load(ShippedJob);
        // Two clips of each of two actors train (with the job's 3 augmented copies: stretch, pitch, shift, gain, noise),
        // one clip of a third actor and two 48 kHz stereo originals are scored.
        DatasetCatalog catalog = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        Clip[] train = [.. catalog.Clips.Where(c => c.Speaker is "actor01" or "actor02").Where(c => c.Id.Contains("-03-01-01-01", StringComparison.Ordinal) || c.Id.Contains("-05-02-02-01", StringComparison.Ordinal))];
        Clip[] test = [catalog.Clips.First(c => c.Speaker == "actor03"), .. DatasetCatalog.Open(RepoPaths.Ravdess48kSamples).Clips.Take(2)];
        Assert.Equal(4, train.Length);
        var tiny = new DatasetCatalog(catalog.Root, [.. train, test[0]], catalog.Labels);
        var split = new DatasetSplit("tiny", tiny.Clips.ToDictionary(c => c.Id, c => c == test[0] ? SplitPart.Test : SplitPart.Train), ["actor03"], []);
        PreparedDataset prepared = new DatasetPreparation(job.FrontEnd, job.Augmentation, cache: null).Prepare(tiny, split);

        var mlContext = new MLContext(seed: 1);
        ITransformer featurizer = JobPipelines.CreateFeaturizer(mlContext, job.FrontEnd, job.Augmentation).Fit(JobPipelines.LoadClips(mlContext, train));
        var rows = mlContext.Data.CreateEnumerable<FeatureRow>(featurizer.Transform(JobPipelines.LoadClips(mlContext, train)), reuseRowObject: false).ToList();

        // The same 16 examples, (clip, draw) for (clip, draw), bit for bit.
        Assert.Equal(prepared.Train.Count, rows.Count);
        Assert.Equal(16, rows.Count);
        foreach (FeatureItem item in prepared.Train)
        {
            FeatureRow row = Assert.Single(rows, r => r.ClipId == item.Clip.Id && r.Draw == item.Draw);
            Assert.Equal(item.Features.Data, row.Features);
        }
        Assert.True(rows.Where(r => r.Draw > 0).All(r => !r.Features.SequenceEqual(rows.Single(o => o.ClipId == r.ClipId && o.Draw == 0).Features)));

        // The band statistics are the job path's (fitted on draw 0 only), and the model's front end equals its pipeline.
        BandNormalizingTransformer bands = JobPipelines.Flatten(featurizer).OfType<BandNormalizingTransformer>().Single();
        Assert.Equal(prepared.Pipeline.Statistics!.Mean, bands.Statistics.Mean);
        Assert.Equal(prepared.Pipeline.Statistics.Std, bands.Statistics.Std);

        // The plain featurizer with those statistics scores like the fitted front end, 48 kHz resampling included.
        TransformerChain<ITransformer> scoring = JobPipelines.ScoringChain(featurizer);
        var scored = mlContext.Data.CreateEnumerable<FeaturesOnly>(scoring.Transform(JobPipelines.LoadClips(mlContext, test)), reuseRowObject: false).ToList();
        Assert.Equal(3, scored.Count);
        for (int i = 0; i < test.Length; i++)
        {
            Assert.Equal(prepared.Pipeline.ComputeFeatures(test[i].Path).Data, scored[i].Features);
        }

        // The trainer takes the job's sections as they are.
        SerCnnTrainer trainer = JobPipelines.CreateTrainer(mlContext, job);
        Assert.Same(job.Model, trainer.Options.Model);
        Assert.Same(job.Training, trainer.Options.Training);
        Assert.Same(job.Augmentation!.SpecAugment, trainer.Options.SpecAugment);
        Assert.Equal(job.Augmentation.Seed, trainer.Options.AugmentationSeed);
    }

    [Fact]
    public void AJobTrainedThroughMlNetIsSavedAsModelOnnxAndModelZipThatScoreLikeTheChain()
    {
        DatasetCatalog catalog = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        var job = new JobDefinition
        {
            Name = "tiny-mlnet",
            FrontEnd = new FrontEndOptions { LogMel = new LogMelOptions { NMels = 16 }, FixedLength = new FixedLengthOptions { Frames = 300 } },
            Augmentation = new AugmentationOptions { Copies = 1, Seed = 5, TimeStretch = null, PitchShift = null },
            Model = new SerCnnOptions { InputMels = 16, InputFrames = 300, Channels = [4], Dropout = 0, TemporalBlocks = 0 },
            Training = new TrainerOptions { Epochs = 2, BatchSize = 8, Threads = 2, Seed = 3 },
        };
        var mlContext = new MLContext(seed: 1);
        IDataView train = JobPipelines.LoadClips(mlContext, catalog.Clips.Where(c => c.Speaker is "actor01" or "actor02").Where((_, i) => i % 4 == 0));
        IDataView validation = JobPipelines.LoadClips(mlContext, catalog.Clips.Where(c => c.Speaker == "actor03").Where((_, i) => i % 6 == 0));
        Clip[] test = [.. catalog.Clips.Where(c => c.Speaker == "actor04").Where((_, i) => i % 6 == 0), .. DatasetCatalog.Open(RepoPaths.Ravdess48kSamples).Clips.Take(3)];
        IDataView testView = JobPipelines.LoadClips(mlContext, test);
        var progress = new List<TrainingProgress>();

        using TransformerChain<SerCnnTransformer> model = JobPipelines.Fit(mlContext, job, catalog.Labels, train, validation, new SyncProgress(progress.Add));

        Assert.Equal(2, model.LastTransformer.Training.Curves.Count);
        Assert.Equal(catalog.Labels, model.LastTransformer.LabelNames);
        Assert.Equal(2, progress.Count(p => p.EpochFinished));
        Assert.Equal(job.Training, model.LastTransformer.Options.Training);
        Assert.DoesNotContain(JobPipelines.Flatten(model), t => t is AugmentationReplicatingTransformer or AudioAugmentingTransformer);
        var chain = mlContext.Data.CreateEnumerable<ScoreRow>(model.Transform(testView), reuseRowObject: false).ToList();
        Assert.Equal(test.Length, chain.Count);

        using TempFolder temp = RepoPaths.NewTempFolder();
        string onnx = Path.Combine(temp.Path, "model.onnx"), zip = Path.Combine(temp.Path, "model.zip");
        EmotionModelExport.Save(model, onnx, zip, job.Augmentation);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp*"));

        // model.onnx's front end is the job path's: the same stages and options, the fitted statistics.
        FittedFrontEnd frontEnd = EmotionModelExport.FrontEndOf(model, job.Augmentation);
        FittedFrontEnd expected = job.FrontEnd.CreateUnnormalized(job.Augmentation).WithNormalization(NormalisationMode.Band, frontEnd.Statistics);
        Assert.Equal(expected.ToJson(), frontEnd.ToJson());

        using EmotionRecognizer recognizer = EmotionRecognizer.Open(onnx);
        Assert.Equal(catalog.Labels, recognizer.Labels);
        var zipContext = new MLContext();
        ITransformer loaded = EmotionModelZip.Load(zipContext, zip, out _);
        var fromZip = zipContext.Data.CreateEnumerable<ZipRow>(
            loaded.Transform(zipContext.Data.LoadFromEnumerable(test.Select(c => new PathRow { Path = c.Path }).ToList())), reuseRowObject: false).ToList();

        double worst = 0;
        for (int i = 0; i < test.Length; i++)
        {
            RecognitionResult predicted = recognizer.Recognize(test[i].Path);
            Assert.Single(predicted.Windows);
            for (int c = 0; c < catalog.Labels.Count; c++)
            {
                worst = Math.Max(worst, Math.Abs(chain[i].Score[c] - predicted.Probabilities[c]));
                worst = Math.Max(worst, Math.Abs(fromZip[i].Score[c] - predicted.Probabilities[c]));
            }
            Assert.Equal(predicted.Label, fromZip[i].PredictedLabel);
            Assert.Equal(predicted.Label, catalog.Labels[(int)chain[i].PredictedLabel - 1]);
        }
        output.WriteLine($"{test.Length} clips: max |Δp| {worst:E2} (chain and model.zip against Predict's recogniser on model.onnx)");
        Assert.True(worst <= 1e-4, $"max |Δp| {worst:E2} between the ML.NET chain, Predict's recogniser and model.zip");
    }

    [Fact]
    public void EveryJobFileInPipelinesIsAnMlNetPipelineWhoseOutputIsKnownBeforeData()
    {
        string[] files = Directory.GetFiles(Path.Combine(RepoPaths.Root, "pipelines"), "*.json", SearchOption.AllDirectories);
        Assert.True(files.Length >= 5, $"{files.Length} job files");
        var mlContext = new MLContext();
        DatasetCatalog catalog = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        SchemaShape clips = MlNetTestHelpers.ShapeOf(JobPipelines.LoadClips(mlContext, catalog.Clips.Take(1)).Schema);
        foreach (string file in files)
        {
            JobDefinition job = JobDefinition.Load(file);
            if (job.FrontEnd.Normalise.PerSpeaker)
            {
                // Per-speaker normalisation in training has no ML.NET form: refused in one line.
                var refused = Assert.Throws<PipelineFormatException>(() => JobPipelines.CreateFeaturizer(mlContext, job.FrontEnd, job.Augmentation));
                Assert.Contains("perSpeaker", refused.Message, StringComparison.Ordinal);
                continue;
            }
            IEstimator<ITransformer> pipeline = JobPipelines.CreateLabelKey(mlContext, catalog.Labels)
                .Append(JobPipelines.CreateFeaturizer(mlContext, job.FrontEnd, job.Augmentation))
                .Append(JobPipelines.CreateTrainer(mlContext, job));
            SchemaShape output = pipeline.GetOutputSchema(clips);
            SchemaShape.Column features = output.Single(c => c.Name == JobPipelines.FeaturesColumn);
            Assert.Equal(NumberDataViewType.Single, features.ItemType);
            Assert.Equal(SchemaShape.Column.VectorKind.Vector, output.Single(c => c.Name == "Score").Kind);
            Assert.True(output.Single(c => c.Name == "PredictedLabel").IsKey, file);
            Assert.Equal(job.Augmentation is { Copies: > 0 }, output.Any(c => c.Name == JobPipelines.DrawColumn));
        }
    }

    [Fact]
    public void JobsWithoutAnMlNetFormAndChainsThatCannotBeExportedAreOneLineErrors()
    {
        var mlContext = new MLContext();
        var online = Assert.Throws<PipelineFormatException>(() => JobPipelines.CreateFeaturizer(mlContext, new FrontEndOptions(), new AugmentationOptions { Mode = AugmentationMode.Online }));
        Assert.Contains("online", online.Message, StringComparison.Ordinal);
        var utterance = Assert.Throws<PipelineFormatException>(() => JobPipelines.CreateFeaturizer(mlContext, new FrontEndOptions { Normalise = new NormaliseOptions { Mode = NormalisationMode.Utterance } })); 
        Assert.Contains("Utterance", utterance.Message, StringComparison.Ordinal);

        // A chain without a network, and one whose feature path still holds a training-only augmentation.
        IDataView clips = JobPipelines.LoadClips(mlContext, DatasetCatalog.Open(RepoPaths.Ravdess16k).Clips.Take(2));
        ITransformer featuresOnly = JobPipelines.CreateFeaturizer(mlContext, new FrontEndOptions()).Fit(clips);
        Assert.Contains("no SerCnn network", Assert.Throws<SerCnnSaveException>(() => EmotionModelExport.FrontEndOf(featuresOnly)).Message, StringComparison.Ordinal);
    }

    private sealed class FeatureRow
    {
        public string ClipId { get; set; } = string.Empty;

        public int Draw { get; set; }

        public float[] Features { get; set; } = [];
    }

    private sealed class FeaturesOnly
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];

        public uint PredictedLabel { get; set; }
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = string.Empty;
    }

    private sealed class ZipRow
    {
        public float[] Score { get; set; } = [];

        public string PredictedLabel { get; set; } = string.Empty;
    }
}
