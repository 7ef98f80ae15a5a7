using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio;
using SerMlNet.Onnx;
using SerMlNet.Tests;
using SerMlNet.Training.MlNet;
using SerMlNet.Training.Model;
using SerMlNet.Training.Runs;
using SchemaMismatchException = SerMlNet.Pipeline.Features.SchemaMismatchException;

namespace SerMlNet.Training.Tests.MlNet;

/// <summary>
/// The CNN as an ML.NET multiclass trainer, in a pipeline with ML.NET's own transforms, on synthetic 16 × 20 features
/// (each class lifts its own Mel band) and a two-block CNN: a few seconds of training.
/// </summary>
public class SerCnnTrainerTests
{
    private const int Mels = 16;
    private const int Frames = 20;
    private static readonly string[] Emotions = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"];
    private static readonly SerCnnOptions TinyModel = new() { InputMels = Mels, InputFrames = Frames, Channels = [4, 8], Dropout = 0 };
    private static readonly TrainerOptions TwoEpochs = new() { Epochs = 2, BatchSize = 16, LearningRate = 3e-3, Threads = 2, Seed = 7, Patience = 0 };

    [Fact]
    public void TrainsInsideAnMlNetPipelineAndTheEvaluatorReadsItsOutput()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = mlContext.Data.LoadFromEnumerable(Rows(64, seed: 3));
        using TransformerChain<SerCnnTransformer> model = Pipeline(mlContext, TwoEpochs).Fit(data);
        IDataView scored = model.Transform(data);

        IDataView named = mlContext.Transforms.Conversion.MapKeyToValue("PredictedEmotion", "PredictedLabel").Fit(scored).Transform(scored);
        var rows = mlContext.Data.CreateEnumerable<ScoredRow>(named, reuseRowObject: false).ToList();
        Assert.Equal(64, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(8, r.Score.Length);
            Assert.Equal(1.0, r.Score.Sum(), 4);
            Assert.Equal(Emotions[Array.IndexOf(r.Score, r.Score.Max())], r.PredictedEmotion);
        });
        MulticlassClassificationMetrics metrics = mlContext.MulticlassClassification.Evaluate(scored);
        Assert.Equal(64, metrics.ConfusionMatrix.Counts.Sum(row => row.Sum()));
        double ours = rows.Count(r => r.PredictedEmotion == r.Emotion) / 64.0;
        Assert.Equal(ours, metrics.MicroAccuracy, 9);
        Assert.True(double.IsFinite(metrics.LogLoss));

        Assert.Equal(Emotions, model.LastTransformer.LabelNames);
        Assert.Equal(2, model.LastTransformer.Training.Curves.Count);
    }

    [Fact]
    public void ScoreAndPredictedLabelAreKnownBeforeDataFlows()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = mlContext.Data.LoadFromEnumerable(Rows(8, seed: 4));
        SchemaShape shape = Pipeline(mlContext, TwoEpochs).GetOutputSchema(MlNetTestHelpers.ShapeOf(data.Schema));

        SchemaShape.Column score = shape.Single(c => c.Name == "Score");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, score.Kind);
        Assert.Equal(NumberDataViewType.Single, score.ItemType);
        SchemaShape.Column predicted = shape.Single(c => c.Name == "PredictedLabel");
        Assert.True(predicted.IsKey);
        Assert.Contains(predicted.Annotations, a => a.Name == "KeyValues");

        ITransformer toKey = ToKey(mlContext).Fit(data);
        using SerCnnTransformer fitted = mlContext.MulticlassClassification.Trainers.SerCnn(model: TinyModel, training: TwoEpochs with { Epochs = 1 }).Fit(toKey.Transform(data));
        DataViewSchema schema = fitted.GetOutputSchema(toKey.GetOutputSchema(data.Schema));
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 8), schema["Score"].Type);
        Assert.Equal(new KeyDataViewType(typeof(uint), 8), schema["PredictedLabel"].Type);
        VBuffer<ReadOnlyMemory<char>> names = default;
        schema["PredictedLabel"].GetKeyValues(ref names);
        Assert.Equal(Emotions, names.DenseValues().Select(n => n.ToString()));
    }

    [Fact]
    public void AValidationSetSelectsTheBestEpochAndTheWeightsReachTheOnnxExporter()
    {
        var mlContext = new MLContext(seed: 1);
        // Other column names than ML.NET's defaults, made by ML.NET's own transforms.
        ITransformer toKey = mlContext.Transforms.Conversion.MapValueToKey("Emotion key", nameof(EmotionRow.Emotion))
            .Append(mlContext.Transforms.CopyColumns("LogMel", nameof(EmotionRow.Features)))
            .Fit(mlContext.Data.LoadFromEnumerable(Rows(8, seed: 5)));
        IDataView train = toKey.Transform(mlContext.Data.LoadFromEnumerable(Rows(48, seed: 6)));
        IDataView validation = toKey.Transform(mlContext.Data.LoadFromEnumerable(Rows(16, seed: 8)));
        var reports = new List<TrainingProgress>();

        using SerCnnTransformer fitted = mlContext.MulticlassClassification.Trainers.SerCnn(new SerCnnTrainerOptions
        {
            FeatureColumnName = "LogMel",
            LabelColumnName = "Emotion key",
            Model = TinyModel,
            Training = TwoEpochs with { Epochs = 3 },
            ValidationSet = validation,
            Progress = new SyncProgress(reports.Add),
        }).Fit(train);

        Assert.Equal(3, reports.Count(p => p.EpochFinished));
        Assert.All(fitted.Training.Curves, c => Assert.InRange(c.ValMacroF1, 0, 1));
        Assert.Equal(fitted.Training.Curves.Max(c => c.ValMacroF1), fitted.Training.BestValMacroF1, 9);
        SerMlNet.Onnx.CnnDescription description = fitted.Describe();
        Assert.Equal((Mels, Frames), (description.NMels, description.Frames));
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 8), fitted.Transform(validation).Schema["Score"].Type);
        Assert.Throws<SerCnnSaveException>(() => mlContext.Model.Save(fitted, train.Schema, Stream.Null));
    }

    [Fact]
    public void TheExportedOnnxModelGivesTheTransformersScoresAndScoringLeavesNoLiveTensors()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = mlContext.Data.LoadFromEnumerable(Rows(32, seed: 9));
        IDataView keyed = ToKey(mlContext).Fit(data).Transform(data);
        using SerCnnTransformer fitted = mlContext.MulticlassClassification.Trainers.SerCnn(model: TinyModel, training: TwoEpochs).Fit(keyed);

        long before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        float[][] scores = [.. mlContext.Data.CreateEnumerable<ScoreOnly>(fitted.Transform(keyed), reuseRowObject: false).Select(r => r.Score)];
        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        AssertOnnxRuntimeScores([fitted.Describe()], fitted.LabelNames!, [.. Rows(32, seed: 9)], scores);
    }

    [Fact]
    public void ASeedEnsembleScoresTheMeanOfItsNetworksAndExportsAsOneModel()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = mlContext.Data.LoadFromEnumerable(Rows(32, seed: 12));
        IDataView keyed = ToKey(mlContext).Fit(data).Transform(data);
        using SerCnnTransformer first = mlContext.MulticlassClassification.Trainers.SerCnn(model: TinyModel, training: TwoEpochs).Fit(keyed);
        using SerCnnTransformer second = mlContext.MulticlassClassification.Trainers.SerCnn(model: TinyModel, training: TwoEpochs with { Seed = 11 }).Fit(keyed);
        var reports = new List<TrainingProgress>();
        using SerCnnTransformer ensemble = mlContext.MulticlassClassification.Trainers.SerCnn(new SerCnnTrainerOptions
        {
            Model = TinyModel,
            Training = TwoEpochs with { EnsembleSeeds = [11] },
            Progress = new SyncProgress(reports.Add),
        }).Fit(keyed);

        // Each network is the one-seed fit of its seed; the ensemble scores the mean of their probabilities.
        Assert.Equal(2, ensemble.NetworkCount);
        Assert.Equal([(1, 2, 7L), (2, 2, 11L)], reports.Where(r => r.EpochFinished).Select(r => (r.Member, r.Members, r.Seed)).Distinct());
        Assert.Equal(ensemble.MemberTraining.Sum(t => t.Seconds), ensemble.Training.Seconds, 9);
        float[][] Scores(SerCnnTransformer t) => [.. mlContext.Data.CreateEnumerable<ScoreOnly>(t.Transform(keyed), reuseRowObject: false).Select(r => r.Score)];
        float[][] a = Scores(first), b = Scores(second), mean = Scores(ensemble);
        for (int i = 0; i < mean.Length; i++)
        {
            for (int c = 0; c < 8; c++)
            {
                Assert.True(Math.Abs(mean[i][c] - (a[i][c] + b[i][c]) / 2) <= 1e-6, $"row {i} class {c}: ensemble {mean[i][c]} vs mean {(a[i][c] + b[i][c]) / 2}");
            }
        }

        // One network's description is refused by name; both go to the exporter as one model that ONNX Runtime scores alike.
        Assert.Contains("DescribeNetworks", Assert.Throws<InvalidOperationException>(() => ensemble.Describe()).Message, StringComparison.Ordinal);
        AssertOnnxRuntimeScores(ensemble.DescribeNetworks(), ensemble.LabelNames!, [.. Rows(32, seed: 12)], mean);
        Assert.Throws<ArgumentOutOfRangeException>(() => ensemble.SaveWeights("unused.weights", network: 2));
    }

    [Fact]
    public void EveryBadOptionIsReportedTogether()
    {
        var mlContext = new MLContext();
        var ex = Assert.Throws<OptionsValidationException>(() => mlContext.MulticlassClassification.Trainers.SerCnn(new SerCnnTrainerOptions
        {
            FeatureColumnName = " ",
            Model = TinyModel with { InputMels = 0 },
            Training = TwoEpochs with { Epochs = 0, BatchSize = 0 },
        }));
        Assert.Contains(ex.Errors, e => e.StartsWith("featureColumnName", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("model.", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("training.epochs", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("training.batchSize", StringComparison.Ordinal));
    }

    [Fact]
    public void ALabelThatIsNotAKeyOrFeaturesOfAnotherSizeAreSchemaMismatches()
    {
        var mlContext = new MLContext();
        IDataView data = mlContext.Data.LoadFromEnumerable(Rows(4, seed: 1));
        SerCnnTrainer trainer = mlContext.MulticlassClassification.Trainers.SerCnn(labelColumnName: nameof(EmotionRow.Emotion), model: TinyModel, training: TwoEpochs);
        Assert.Contains("must be a key", Assert.Throws<SchemaMismatchException>(() => trainer.GetOutputSchema(MlNetTestHelpers.ShapeOf(data.Schema))).Message, StringComparison.Ordinal);

        IDataView keyed = ToKey(mlContext).Fit(data).Transform(data);
        SerCnnTrainer wide = mlContext.MulticlassClassification.Trainers.SerCnn(model: TinyModel with { InputFrames = 40 }, training: TwoEpochs);
        Assert.Contains("16 x 40", Assert.Throws<SchemaMismatchException>(() => wide.Fit(keyed)).Message, StringComparison.Ordinal);
    }

    /// <summary>Exports the networks as one ONNX model and checks that ONNX Runtime's probabilities on the rows match
    /// the transformer's scores within 1e-4.</summary>
    private static void AssertOnnxRuntimeScores(IReadOnlyList<CnnDescription> networks, IReadOnlyList<string> labels, EmotionRow[] rows, float[][] scores)
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "model.onnx");
        OnnxExporter.Export(networks, new OnnxExportOptions { ClassLabels = labels, FrontEndJson = "{}" }, path);
        using OnnxModel onnx = OnnxModel.Load(path);
        float[] batch = [.. rows.SelectMany(r => r.Features)];
        float[] logits = new float[rows.Length * 8], probabilities = new float[rows.Length * 8];
        onnx.Run(batch, rows.Length, logits, probabilities);
        for (int i = 0; i < rows.Length; i++)
        {
            for (int c = 0; c < 8; c++)
            {
                Assert.True(Math.Abs(scores[i][c] - probabilities[i * 8 + c]) <= 1e-4, $"row {i} class {c}: TorchSharp {scores[i][c]} vs ONNX Runtime {probabilities[i * 8 + c]}");
            }
        }
    }

    /// <summary>ML.NET's MapValueToKey from the emotion text to the key label, then the CNN trainer.</summary>
    private static EstimatorChain<SerCnnTransformer> Pipeline(MLContext mlContext, TrainerOptions training) =>
        ToKey(mlContext).Append(mlContext.MulticlassClassification.Trainers.SerCnn(model: TinyModel, training: training));

    private static IEstimator<ITransformer> ToKey(MLContext mlContext) => mlContext.Transforms.Conversion.MapValueToKey("Label", nameof(EmotionRow.Emotion));


    /// <summary>Rows cycling through the eight emotions (so MapValueToKey's order is <see cref="Emotions"/>' order);
    /// class c lifts Mel band 2c, plus seeded noise.</summary>
    private static IEnumerable<EmotionRow> Rows(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            int c = i % Emotions.Length;
            float[] features = new float[Mels * Frames];
            for (int k = 0; k < features.Length; k++)
            {
                features[k] = (float)(random.NextDouble() - 0.5) + (k / Frames == 2 * c ? 2f : 0f);
            }
            yield return new EmotionRow { Emotion = Emotions[c], Features = features };
        }
    }

    private sealed class EmotionRow
    {
        public string Emotion { get; set; } = string.Empty;

        [VectorType(Mels * Frames)]
        public float[] Features { get; set; } = [];
    }

    private sealed class ScoredRow
    {
        public string Emotion { get; set; } = string.Empty;

        public float[] Score { get; set; } = [];

        public string PredictedEmotion { get; set; } = string.Empty;
    }

    private sealed class ScoreOnly
    {
        public float[] Score { get; set; } = [];
    }
}
