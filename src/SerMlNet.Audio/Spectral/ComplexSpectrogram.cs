namespace SerMlNet.Audio.Spectral;

/// <summary>
/// A complex STFT stored like librosa's complex64 result: <see cref="Bins"/> = <c>1 + NFft / 2</c> rows,
/// <see cref="Frames"/> columns, real and imaginary parts in two row-major float arrays (element (bin k, frame t) at
/// <c>k * Frames + t</c>). Arrays are shared, not copied. Thread-safe for reading.
/// </summary>
public sealed class ComplexSpectrogram
{
    /// <summary>Wraps the two arrays (not copied).</summary>
    /// <param name="bins">Number of frequency bins.</param>
    /// <param name="frames">Number of frames.</param>
    /// <param name="real">Real parts, <c>bins * frames</c> values.</param>
    /// <param name="imag">Imaginary parts, <c>bins * frames</c> values.</param>
    public ComplexSpectrogram(int bins, int frames, float[] real, float[] imag)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bins);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(imag);
        if (real.Length != (long)bins * frames || imag.Length != real.Length)
        {
            throw new ArgumentException($"real and imag must both hold {bins} x {frames} values");
        }
        Bins = bins;
        Frames = frames;
        Real = real;
        Imag = imag;
    }

    /// <summary>Number of frequency bins (rows).</summary>
    public int Bins { get; }

    /// <summary>Number of frames (columns).</summary>
    public int Frames { get; }

    /// <summary>Real parts, row-major [bin, frame].</summary>
    public float[] Real { get; }

    /// <summary>Imaginary parts, row-major [bin, frame].</summary>
    public float[] Imag { get; }

    /// <summary>The FFT length this spectrum implies for an even-length transform, <c>2 * (Bins - 1)</c> (librosa's <c>istft</c> rule).</summary>
    public int ImpliedNFft => 2 * (Bins - 1);
}
