namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// What an <see cref="EmotionRecognizer"/> says about one input: the overall prediction (the mean of the windows'
/// probabilities) and each window's. Immutable; thread-safe.
/// </summary>
public sealed class RecognitionResult
{
    internal RecognitionResult(string source, double durationSeconds, EmotionPrediction prediction, IReadOnlyList<WindowResult> windows)
    {
        Source = source;
        DurationSeconds = durationSeconds;
        Prediction = prediction;
        Windows = windows;
    }

    /// <summary>
    /// The result of windows scored one by one, e.g. those of <see cref="EmotionRecognizer.RecognizeStreamAsync"/>: the
    /// overall prediction is the mean of their probabilities and logits, computed as for a file.
    /// </summary>
    /// <param name="source">A name for the input (a path, <c>stdin</c>).</param>
    /// <param name="durationSeconds">Duration of the input in seconds (for a stream: the end of its last window).</param>
    /// <param name="windows">At least one window, in time order.</param>
    /// <returns>The result.</returns>
    public static RecognitionResult FromWindows(string source, double durationSeconds, IReadOnlyList<WindowResult> windows)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentOutOfRangeException.ThrowIfZero(windows.Count);
        return new RecognitionResult(source, durationSeconds, WindowAggregation.Mean(windows, windows[0].Prediction.Labels), windows);
    }

    /// <summary>The WAV path as given, or the name given with an <see cref="Audio.AudioSignal"/>.</summary>
    public string Source { get; }

    /// <summary>Duration of the input in seconds, before silence trimming.</summary>
    public double DurationSeconds { get; }

    /// <summary>
    /// The overall prediction: <see cref="EmotionPrediction.Probabilities"/> are the mean of the windows' probabilities
    /// (so they sum to 1), <see cref="EmotionPrediction.Logits"/> the mean of their logits. With one window it equals that
    /// window's prediction.
    /// </summary>
    public EmotionPrediction Prediction { get; }

    /// <summary>The windows in time order; at least one.</summary>
    public IReadOnlyList<WindowResult> Windows { get; }

    /// <summary>Label of the most probable class overall.</summary>
    public string Label => Prediction.Label;

    /// <summary>Overall probability of <see cref="Label"/>, in [0, 1].</summary>
    public float Confidence => Prediction.Confidence;

    /// <summary>Every overall class probability, in label order.</summary>
    public IReadOnlyList<float> Probabilities => Prediction.Probabilities;

    /// <summary>The <paramref name="k"/> most probable classes overall, most probable first.</summary>
    /// <param name="k">How many; clamped to the number of classes. At least 1.</param>
    /// <returns>Up to <paramref name="k"/> scores.</returns>
    public IReadOnlyList<ClassScore> Top(int k) => Prediction.Top(k);
}
