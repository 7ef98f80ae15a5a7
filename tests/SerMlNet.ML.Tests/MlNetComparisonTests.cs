using Microsoft.ML;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.ML.Tests;

public sealed class MlNetComparisonTests(ITestOutputHelper output)
{
    private static string ShippedModel => Path.Combine(RepoPaths.Root, "artifacts", "model.onnx");

    [Fact]
    public void Apply_onnx_model_and_ml_net_evaluator_agree_with_ours_on_shipped_model()
    {
        // The shipped model's own test split (the job's stratified 80/10/10, seed 42): clips it never trained on, so
        // the confusion matrix has errors off the diagonal to agree on.
        DatasetCatalog catalog = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        Clip[] clips = [.. new DataOptions().MakeSplits(catalog)["stratified"].Select(catalog, SplitPart.Test)];
        Assert.Equal(120, clips.Length);

        MlNetComparisonResult r = MlNetComparison.Compare(ShippedModel, clips, bootstrapResamples: 100);
        output.WriteLine($"{r.Clips} clips: max |p_ours - p_ApplyOnnxModel| = {r.MaxProbabilityDifference:E2}, same label {r.SameLabel}");
        output.WriteLine($"accuracy ours {r.Ours.Accuracy:F6} / ML.NET micro {r.MicroAccuracy:F6}; macro recall ours {r.OursMacroRecall:F6} / ML.NET macro {r.MacroAccuracy:F6}; log-loss ours {r.OursLogLoss:F6} / ML.NET {r.LogLoss:F6}");
        Assert.True(r.MaxProbabilityDifference <= 1e-5, $"{r.MaxProbabilityDifference:E2}");
        Assert.Equal(r.Clips, r.SameLabel);
        Assert.Equal(r.Ours.Accuracy, r.MicroAccuracy, 12);
        Assert.Equal(r.OursMacroRecall, r.MacroAccuracy, 9);
        Assert.Equal(r.OursLogLoss, r.LogLoss, 5);
        Assert.Equal(r.Ours.Confusion.Counts, r.ConfusionCounts);
        Assert.True(r.Ours.Accuracy < 1, "no errors: the confusion matrices agree only on their diagonal");
    }

    [Fact]
    public void Ml_net_evaluator_counts_a_known_confusion()
    {
        // Three classes: 0 right twice, 1 mistaken for 2 once, 2 right once.
        Prediction[] predictions =
        [
            new("a", 0, 0, [0.8f, 0.1f, 0.1f], null, null),
            new("b", 0, 0, [0.6f, 0.3f, 0.1f], null, null),
            new("c", 1, 2, [0.1f, 0.4f, 0.5f], null, null),
            new("d", 2, 2, [0.2f, 0.2f, 0.6f], null, null),
        ];
        var metrics = MlNetEvaluation.Evaluate(new MLContext(seed: 0), 3, predictions);
        Assert.Equal(0.75, metrics.MicroAccuracy, 12);
        Assert.Equal((1 + 0 + 1) / 3.0, metrics.MacroAccuracy, 12);
        Assert.Equal(2.0, metrics.ConfusionMatrix.Counts[0][0]);
        Assert.Equal(1.0, metrics.ConfusionMatrix.Counts[2][2]);
        Assert.Equal(1.0, metrics.ConfusionMatrix.Counts[1][2]);
        double logLoss = -(Math.Log(0.8) + Math.Log(0.6) + Math.Log(0.4) + Math.Log(0.6)) / 4;
        Assert.Equal(logLoss, metrics.LogLoss, 5);
    }
}
