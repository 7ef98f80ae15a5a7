using System.Numerics.Tensors;

namespace SerMlNet.Audio.Spectral;

/// <summary>
/// Power to decibels with librosa's <c>power_to_db(S, ref=np.max, amin, top_db)</c> semantics, in float32:
/// <c>10 log10(max(amin, S)) - 10 log10(max(amin, max(S)))</c>, then clipped below at <c>max - topDb</c>. Stateless and
/// thread-safe; allocation-free.
/// </summary>
public static class Decibels
{
    /// <summary>Converts power values to dB relative to their maximum.</summary>
    /// <param name="power">Power values (e.g. a whole Mel spectrogram: the reference is the maximum over all of it).</param>
    /// <param name="destination">Output, same length as <paramref name="power"/>; may be the same memory.</param>
    /// <param name="amin">Floor applied before the logarithm; positive (librosa default 1e-10).</param>
    /// <param name="topDb">Dynamic range kept below the maximum, in dB; null for no clipping (librosa default 80).</param>
    public static void PowerToDb(ReadOnlySpan<float> power, Span<float> destination, float amin, float? topDb)
    {
        if (destination.Length < power.Length)
        {
            throw new ArgumentException("destination is shorter than the input", nameof(destination));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amin);
        if (topDb is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(topDb), topDb, "must be non-negative");
        }
        if (power.IsEmpty)
        {
            return;
        }
        float reference = TensorPrimitives.Max(power);
        Span<float> dst = destination[..power.Length];
        TensorPrimitives.Max(power, amin, dst);
        TensorPrimitives.Log10(dst, dst);
        float refDb = (float)(10.0 * Math.Log10(Math.Max(amin, reference)));
        // 10 * log10(x) - refDb, rounded to float32 after each step as numpy does.
        TensorPrimitives.Multiply(dst, 10f, dst);
        TensorPrimitives.Subtract(dst, refDb, dst);
        if (topDb is float range)
        {
            float floor = TensorPrimitives.Max(dst) - range;
            TensorPrimitives.Max(dst, floor, dst);
        }
    }
}
