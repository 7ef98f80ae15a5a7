using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Pipeline.Datasets;

namespace SerMlNet.ML;

/// <summary>
/// Our engines and ML.NET's side by side on the same clips: the fitted pipeline makes each clip's network input once
/// (one fixed-length crop, as training evaluates); our <c>OnnxModel</c> and ML.NET's <c>ApplyOnnxModel</c> score it;
/// our <see cref="Evaluator"/> and ML.NET's multiclass evaluator measure the same predictions. Stateless; thread-safe.
/// </summary>
public static class MlNetComparison
{
    /// <summary>ML.NET's clamp of a probability before its logarithm in the log-loss.</summary>
    private const double LogLossEpsilon = 1e-15;

    /// <summary>Runs the comparison.</summary>
    /// <param name="modelPath">A SerMlNet <c>model.onnx</c> (log-Mel input).</param>
    /// <param name="clips">Labelled clips whose labels the model knows.</param>
    /// <param name="bootstrapResamples">Resamples of our evaluator's intervals; default 2,000.</param>
    /// <returns>Both engines' probabilities compared, and both evaluators' figures.</returns>
    /// <exception cref="SerMlNet.Onnx.InvalidModelException">The model is not a log-Mel model.</exception>
    /// <exception cref="DatasetException">A clip's label is not one of the model's.</exception>
    public static MlNetComparisonResult Compare(string modelPath, IReadOnlyList<Clip> clips, int bootstrapResamples = 2000)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentNullException.ThrowIfNull(clips);
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(modelPath);
        if (recognizer.InputKind != SerMlNet.Onnx.ModelInputKind.LogMel)
        {
            throw new SerMlNet.Onnx.InvalidModelException(modelPath, "the ML.NET comparison scores log-Mel inputs: give model.onnx, not an end-to-end model");
        }
        IReadOnlyList<string> labels = recognizer.Labels;
        int classes = labels.Count;
        var inputs = new float[clips.Count][];
        Parallel.For(0, clips.Count, i => inputs[i] = recognizer.Pipeline.ComputeFeatures(clips[i].Path).Data);
        int mels = checked((int)recognizer.Model.InputShape[2]);
        int frames = recognizer.WindowFrames;

        var ours = new float[clips.Count][];
        var logits = new float[classes];
        for (int i = 0; i < clips.Count; i++)
        {
            ours[i] = new float[classes];
            recognizer.Model.Run(inputs[i], 1, logits, ours[i]);
        }
        var mlContext = new MLContext(seed: 0);
        IReadOnlyList<float[]> mlnet = MlNetScoring.Score(mlContext, modelPath, inputs, mels, frames);

        var predictions = new List<Prediction>(clips.Count);
        double maxDiff = 0;
        int sameLabel = 0;
        for (int i = 0; i < clips.Count; i++)
        {
            int truth = IndexOf(labels, clips[i]);
            Prediction prediction = Prediction.FromProbabilities(clips[i], truth, ours[i]);
            predictions.Add(prediction);
            sameLabel += Prediction.FromProbabilities(clips[i], truth, mlnet[i]).PredictedClass == prediction.PredictedClass ? 1 : 0;
            for (int c = 0; c < classes; c++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(ours[i][c] - mlnet[i][c]));
            }
        }
        EvaluationResult result = new Evaluator(new EvaluatorOptions { BootstrapResamples = bootstrapResamples }).Evaluate(labels, predictions);
        MulticlassClassificationMetrics metrics = MlNetEvaluation.Evaluate(mlContext, classes, predictions);
        double logLoss = predictions.Average(p => -Math.Log(Math.Max(p.Probabilities[p.TrueClass], LogLossEpsilon)));
        long[][] mlnetCounts = [.. Enumerable.Range(0, classes).Select(t => Enumerable.Range(0, classes).Select(p => (long)metrics.ConfusionMatrix.Counts[t][p]).ToArray())];
        return new MlNetComparisonResult(
            clips.Count, maxDiff, sameLabel,
            result, result.PerClass.Where(c => c.Support > 0).Average(c => c.Recall), logLoss,
            metrics.MicroAccuracy, metrics.MacroAccuracy, metrics.LogLoss, metrics.LogLossReduction, mlnetCounts);
    }

    private static int IndexOf(IReadOnlyList<string> labels, Clip clip)
    {
        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i] == clip.Label)
            {
                return i;
            }
        }
        throw new DatasetException($"clip '{clip.Id}' has label '{clip.Label}', which the model does not know ({string.Join(", ", labels)})");
    }
}

/// <summary>Our engine and evaluator against ML.NET's on the same clips. Immutable.</summary>
/// <param name="Clips">Clips compared.</param>
/// <param name="MaxProbabilityDifference">Largest |p_ours − p_ML.NET| over every clip and class (ONNX Runtime through <c>OnnxModel</c> vs <c>ApplyOnnxModel</c>).</param>
/// <param name="SameLabel">Clips whose arg-max agrees between the two engines.</param>
/// <param name="Ours">Our evaluation of our engine's predictions (accuracy, macro-F1, intervals, audits).</param>
/// <param name="OursMacroRecall">Our per-class recall averaged over the classes present: what ML.NET calls macro accuracy.</param>
/// <param name="OursLogLoss">Mean −ln p(true class), each probability clamped at 1e-15 as ML.NET does.</param>
/// <param name="MicroAccuracy">ML.NET's micro accuracy (fraction of clips right).</param>
/// <param name="MacroAccuracy">ML.NET's macro accuracy (per-class accuracy averaged over classes).</param>
/// <param name="LogLoss">ML.NET's log-loss.</param>
/// <param name="LogLossReduction">ML.NET's log-loss reduction against the class prior (1 is perfect, 0 no better than the prior).</param>
/// <param name="ConfusionCounts">ML.NET's confusion matrix, [true][predicted].</param>
public sealed record MlNetComparisonResult(
    int Clips,
    double MaxProbabilityDifference,
    int SameLabel,
    EvaluationResult Ours,
    double OursMacroRecall,
    double OursLogLoss,
    double MicroAccuracy,
    double MacroAccuracy,
    double LogLoss,
    double LogLossReduction,
    long[][] ConfusionCounts);
