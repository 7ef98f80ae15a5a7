using SerMlNet.Audio;

namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// One input on its way through the scoring core: what the front end made of it (the features of a log-Mel model or the
/// samples of a PCM model, after trimming), where its windows start, and, once scored, every window's outputs. Built by
/// <see cref="RecognitionFrontEnd.Prepare(SerMlNet.Audio.AudioSignal, string, double)"/>, filled by <see cref="WindowBatchScorer"/>, read by
/// <see cref="WindowAggregation"/>. Not thread-safe (one call owns it).
/// </summary>
internal sealed class PreparedInput
{
    /// <summary>Creates the input.</summary>
    /// <param name="source">Name of the input for the result (a path, <c>audio</c>, a stream's name).</param>
    /// <param name="durationSeconds">Duration of the input as given, in seconds (before trimming).</param>
    /// <param name="offsetSeconds">Seconds from the start of the input as given (or of the stream) to the first kept sample.</param>
    /// <param name="audioLength">Samples of the trimmed audio at the model's rate.</param>
    /// <param name="features">The variable-length log-Mel features (log-Mel models), else null.</param>
    /// <param name="pcm">The trimmed samples (PCM models), else null.</param>
    /// <param name="starts">Window starts: frames (log-Mel) or samples (PCM); at least one.</param>
    public PreparedInput(string source, double durationSeconds, double offsetSeconds, int audioLength, FeatureMatrix? features, float[]? pcm, int[] starts)
    {
        Source = source;
        DurationSeconds = durationSeconds;
        OffsetSeconds = offsetSeconds;
        AudioLength = audioLength;
        Features = features;
        Pcm = pcm;
        Starts = starts;
    }

    /// <summary>Name of the input for the result.</summary>
    public string Source { get; }

    /// <summary>Duration of the input as given, in seconds.</summary>
    public double DurationSeconds { get; }

    /// <summary>Seconds before the first kept sample (trimmed silence, plus a stream window's own start).</summary>
    public double OffsetSeconds { get; }

    /// <summary>Samples of the trimmed audio at the model's rate.</summary>
    public int AudioLength { get; }

    /// <summary>The variable-length log-Mel features, <c>[n_mels, frames]</c> (log-Mel models).</summary>
    public FeatureMatrix? Features { get; }

    /// <summary>The trimmed samples (PCM models).</summary>
    public float[]? Pcm { get; }

    /// <summary>Window starts: frames (log-Mel) or samples (PCM).</summary>
    public int[] Starts { get; }

    /// <summary>Number of windows.</summary>
    public int WindowCount => Starts.Length;

    /// <summary><c>[windows, classes]</c> logits, row-major; empty until scored.</summary>
    public float[] Logits { get; private set; } = [];

    /// <summary><c>[windows, classes]</c> probabilities, row-major; empty until scored.</summary>
    public float[] Probabilities { get; private set; } = [];

    /// <summary>
    /// Test-time variants of this input (the same input at other speeds, <see cref="RecognitionOptions.TestTimeSpeeds"/>),
    /// scored beside it and averaged into its overall prediction; empty when none.
    /// </summary>
    public PreparedInput[] Variants { get; set; } = [];

    /// <summary>Makes room for the outputs of every window.</summary>
    /// <param name="classes">Classes of the model.</param>
    public void AllocateOutputs(int classes)
    {
        Logits = new float[Starts.Length * classes];
        Probabilities = new float[Logits.Length];
    }
}
