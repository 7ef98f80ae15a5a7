namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// Turns scored windows into answers: each window's <see cref="EmotionPrediction"/> with its span, and the overall
/// prediction of an input, the mean of its windows' probabilities and logits. The one aggregation of every path (a file,
/// a batch, a stream's summary). Stateless; thread-safe.
/// </summary>
internal static class WindowAggregation
{
    /// <summary>The result of a whole input: its windows with their spans in the input as given, and their mean.</summary>
    /// <param name="input">A scored input.</param>
    /// <param name="frontEnd">Says where each window lies.</param>
    /// <param name="labels">Class labels in output order.</param>
    /// <returns>The result.</returns>
    public static RecognitionResult ToResult(PreparedInput input, RecognitionFrontEnd frontEnd, IReadOnlyList<string> labels)
    {
        int windows = input.WindowCount;
        var perWindow = new WindowResult[windows];
        double rate = frontEnd.FrontEnd.SampleRate;
        for (int w = 0; w < windows; w++)
        {
            (double start, double end) = frontEnd.WindowSpan(input, w);
            perWindow[w] = new WindowResult(w, input.OffsetSeconds + start / rate, input.OffsetSeconds + end / rate, Prediction(input, w, labels));
        }
        EmotionPrediction overall = Mean(perWindow, labels);
        if (input.Variants.Length > 0)
        {
            // Test-time augmentation: the mean of the overall predictions of the input and of its variants.
            var predictions = new EmotionPrediction[input.Variants.Length + 1];
            predictions[0] = overall;
            for (int v = 0; v < input.Variants.Length; v++)
            {
                PreparedInput variant = input.Variants[v];
                predictions[v + 1] = Mean([.. Enumerable.Range(0, variant.WindowCount).Select(w => Prediction(variant, w, labels))], labels);
            }
            overall = Mean(predictions, labels);
        }
        return new RecognitionResult(input.Source, input.DurationSeconds, overall, perWindow);
    }

    /// <summary>One window's prediction (copies its outputs out of the input).</summary>
    /// <param name="input">A scored input.</param>
    /// <param name="window">Window index.</param>
    /// <param name="labels">Class labels.</param>
    /// <returns>The prediction.</returns>
    public static EmotionPrediction Prediction(PreparedInput input, int window, IReadOnlyList<string> labels)
    {
        int classes = labels.Count;
        return new EmotionPrediction(labels,
            input.Probabilities.AsSpan(window * classes, classes).ToArray(),
            input.Logits.AsSpan(window * classes, classes).ToArray());
    }

    /// <summary>
    /// The overall prediction: per class the mean of the windows' probabilities (and logits), each divided by the count
    /// before summing, in float, window order. With one window it is that window's prediction itself.
    /// </summary>
    /// <param name="windows">At least one window.</param>
    /// <param name="labels">Class labels.</param>
    /// <returns>The mean prediction.</returns>
    public static EmotionPrediction Mean(IReadOnlyList<WindowResult> windows, IReadOnlyList<string> labels) =>
        windows.Count == 1 ? windows[0].Prediction : Mean([.. windows.Select(w => w.Prediction)], labels);

    /// <summary>
    /// The mean of several predictions of one input (its windows', or its test-time variants'): per class the mean of
    /// their probabilities and logits, each divided by the count before summing, in float, in the order given.
    /// </summary>
    /// <param name="predictions">At least one prediction.</param>
    /// <param name="labels">Class labels.</param>
    /// <returns>The mean prediction.</returns>
    public static EmotionPrediction Mean(IReadOnlyList<EmotionPrediction> predictions, IReadOnlyList<string> labels)
    {
        if (predictions.Count == 1)
        {
            return predictions[0];
        }
        int classes = labels.Count, count = predictions.Count;
        var probabilities = new float[classes];
        var logits = new float[classes];
        foreach (EmotionPrediction prediction in predictions)
        {
            IReadOnlyList<float> p = prediction.Probabilities, l = prediction.Logits;
            for (int c = 0; c < classes; c++)
            {
                probabilities[c] += p[c] / count;
                logits[c] += l[c] / count;
            }
        }
        return new EmotionPrediction(labels, probabilities, logits);
    }
}
