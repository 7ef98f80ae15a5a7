namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// The model's answer for one stretch (window) of an input. Times are in seconds from the start of the input as given
/// (before silence trimming); for a stream (<see cref="EmotionRecognizer.RecognizeStreamAsync"/>), the window's span in the stream. Immutable; thread-safe.
/// </summary>
public sealed class WindowResult
{
    internal WindowResult(int index, double startSeconds, double endSeconds, EmotionPrediction prediction)
    {
        Index = index;
        StartSeconds = startSeconds;
        EndSeconds = endSeconds;
        Prediction = prediction;
    }

    /// <summary>Position of the window in the input, 0 first.</summary>
    public int Index { get; }

    /// <summary>Where the window starts, in seconds from the start of the input.</summary>
    public double StartSeconds { get; }

    /// <summary>Where the window ends, in seconds from the start of the input.</summary>
    public double EndSeconds { get; }

    /// <summary>The window's prediction.</summary>
    public EmotionPrediction Prediction { get; }
}
