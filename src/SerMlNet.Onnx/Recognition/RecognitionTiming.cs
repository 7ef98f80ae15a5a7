using System.Diagnostics;

namespace SerMlNet.Onnx.Recognition;

/// <summary>Latencies of repeated calls, in milliseconds. Immutable; thread-safe.</summary>
/// <param name="Calls">Timed calls.</param>
/// <param name="P50Ms">Median, ms.</param>
/// <param name="P90Ms">90th percentile, ms.</param>
/// <param name="MeanMs">Mean, ms.</param>
/// <param name="MinMs">Fastest call, ms.</param>
public sealed record LatencySummary(int Calls, double P50Ms, double P90Ms, double MeanMs, double MinMs)
{
    /// <summary>Summarises call times.</summary>
    /// <param name="milliseconds">One time per call, ms; at least one.</param>
    /// <returns>The summary (nearest-rank percentiles).</returns>
    public static LatencySummary Of(IReadOnlyList<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        ArgumentOutOfRangeException.ThrowIfZero(milliseconds.Count);
        double[] sorted = [.. milliseconds.Order()];
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new LatencySummary(sorted.Length, Rank(0.5), Rank(0.9), sorted.Average(), sorted[0]);
    }
}

/// <summary>
/// Times one input through a recognizer, as a benchmark of the provider in use (Predict <c>--bench</c>): end to end
/// (<see cref="EmotionRecognizer.Recognize(string)"/>: read, decode, resample, features, network) and the network
/// alone (one ONNX Runtime run of the input's windows, as one batch, from buffers prepared once). Each is run once
/// untimed first. Stateless; thread-safe when the recognizer is.
/// </summary>
public static class RecognitionTiming
{
    /// <summary>Times <paramref name="calls"/> recognitions of a file and <paramref name="calls"/> network runs on its features.</summary>
    /// <param name="recognizer">The recognizer (its model's provider is the one timed).</param>
    /// <param name="wavPath">The input.</param>
    /// <param name="calls">Timed calls of each kind; at least 1.</param>
    /// <returns>End-to-end and network-only latencies, and how many windows the input has (the network batch size).</returns>
    /// <exception cref="IOException">The file is missing or unreadable.</exception>
    /// <exception cref="Audio.Wav.WavFormatException">The file is not a WAV file this library decodes.</exception>
    /// <exception cref="OnnxModelException">ONNX Runtime failed.</exception>
    public static (LatencySummary EndToEnd, LatencySummary Network, int Windows) Measure(EmotionRecognizer recognizer, string wavPath, int calls)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        ArgumentException.ThrowIfNullOrEmpty(wavPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(calls, 1);

        var endToEnd = new double[calls];
        recognizer.Recognize(wavPath);
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            recognizer.Recognize(wavPath);
            endToEnd[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        IReadOnlyList<(float[] Input, int Start)> windows = recognizer.ComputeWindowInputs(wavPath);
        int length = windows[0].Input.Length;
        if (windows.Any(w => w.Input.Length != length))
        {
            // A PCM model's single short window is shorter than the others would be; time the first window alone then.
            windows = [windows[0]];
        }
        var input = new float[windows.Count * length];
        for (int w = 0; w < windows.Count; w++)
        {
            windows[w].Input.CopyTo(input, w * length);
        }
        using EmotionPredictor predictor = recognizer.Model.CreatePredictor(windows.Count);
        var network = new double[calls];
        predictor.Run(input, windows.Count);
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            predictor.Run(input, windows.Count);
            network[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return (LatencySummary.Of(endToEnd), LatencySummary.Of(network), windows.Count);
    }
}
