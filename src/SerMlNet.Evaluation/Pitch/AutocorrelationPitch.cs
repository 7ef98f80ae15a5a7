using System.Numerics.Tensors;

namespace SerMlNet.Evaluation.Pitch;

/// <summary>
/// F0 of one frame from its normalized autocorrelation <c>r(τ) = Σ x[j]·x[j+τ] / √(Σ x[j]² · Σ x[j+τ]²)</c> over the
/// lags of the F0 range: the shortest lag whose local peak reaches 0.9 of the best peak (which avoids sub-octave
/// picks), refined by parabolic interpolation. An estimator independent of NWaves, used as the second estimate that
/// checks <see cref="PitchTracker.Yin"/>. Stateless; thread-safe.
/// </summary>
public static class AutocorrelationPitch
{
    /// <summary>Fraction of the best correlation peak that an earlier (shorter-lag) peak must reach to be chosen.</summary>
    private const double OctaveTolerance = 0.9;

    /// <summary>Estimates the F0 of one frame.</summary>
    /// <param name="frame">The frame's samples; longer than <c>sampleRate / fMin</c>.</param>
    /// <param name="sampleRate">Sample rate in Hz; positive.</param>
    /// <param name="fMin">Lowest F0 searched, in Hz.</param>
    /// <param name="fMax">Highest F0 searched, in Hz; below <c>sampleRate / 2</c>.</param>
    /// <param name="correlation">Scratch of at least <c>⌈sampleRate / fMin⌉ + 2</c> values; receives r(τ) by lag.</param>
    /// <param name="minCorrelation">Least peak correlation of a voiced frame, in (0, 1).</param>
    /// <returns>F0 in Hz, or 0 when the frame is unvoiced (no peak reaches <paramref name="minCorrelation"/>).</returns>
    public static double Estimate(ReadOnlySpan<float> frame, int sampleRate, double fMin, double fMax, Span<double> correlation, double minCorrelation)
    {
        int minLag = Math.Max(2, (int)Math.Floor(sampleRate / fMax));
        int maxLag = (int)Math.Ceiling(sampleRate / fMin);
        if (frame.Length <= maxLag + 1)
        {
            throw new ArgumentException($"frame of {frame.Length} samples is too short for lags up to {maxLag}", nameof(frame));
        }
        if (correlation.Length < maxLag + 2)
        {
            throw new ArgumentException($"scratch of {correlation.Length} values is shorter than {maxLag + 2}", nameof(correlation));
        }
        // Lags minLag-1 .. maxLag+1 so that every candidate lag has both neighbours.
        int n = frame.Length;
        double best = 0;
        for (int lag = minLag - 1; lag <= maxLag + 1; lag++)
        {
            ReadOnlySpan<float> head = frame[..(n - lag)];
            ReadOnlySpan<float> tail = frame[lag..];
            double energy = (double)TensorPrimitives.Dot(head, head) * TensorPrimitives.Dot(tail, tail);
            double r = energy > 0 ? TensorPrimitives.Dot(head, tail) / Math.Sqrt(energy) : 0;
            correlation[lag] = r;
            if (lag >= minLag && lag <= maxLag && r > best)
            {
                best = r;
            }
        }
        if (best < minCorrelation)
        {
            return 0;
        }
        for (int lag = minLag; lag <= maxLag; lag++)
        {
            double r = correlation[lag];
            if (r >= OctaveTolerance * best && r >= correlation[lag - 1] && r >= correlation[lag + 1])
            {
                double left = correlation[lag - 1];
                double right = correlation[lag + 1];
                double curvature = left - 2 * r + right;
                double offset = curvature < 0 ? 0.5 * (left - right) / curvature : 0;
                return sampleRate / (lag + Math.Clamp(offset, -0.5, 0.5));
            }
        }
        return 0;
    }
}
