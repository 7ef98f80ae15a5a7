using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace SerMlNet.Audio.Spectral;

/// <summary>
/// Short-time Fourier transform with librosa's semantics (<c>librosa.stft</c> / <c>librosa.istft</c>): optional
/// centring with constant or reflect padding, periodic Hann window centred in the FFT frame, the FFT computed in double
/// precision and each bin rounded to float32 (complex64), as librosa does. The window and FFT tables are cached and the
/// instance is immutable: thread-safe; per-call scratch buffers are allocated once per call, never per frame.
/// </summary>
public sealed class Stft
{
    private readonly double[] _window;
    private readonly RealFft _fft;

    /// <summary>Creates the transform.</summary>
    /// <param name="options">Parameters; validated here.</param>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public Stft(StftOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        NFft = options.NFft;
        HopLength = options.HopLength;
        _window = Windows.PeriodicHann(options.EffectiveWinLength, options.NFft);
        _fft = RealFft.Get(options.NFft);
    }

    /// <summary>The options this transform was built from.</summary>
    public StftOptions Options { get; }

    /// <summary>FFT length.</summary>
    public int NFft { get; }

    /// <summary>Hop length in samples.</summary>
    public int HopLength { get; }

    /// <summary>Number of frequency bins, <c>1 + NFft / 2</c>.</summary>
    public int Bins => NFft / 2 + 1;

    /// <summary>
    /// Number of frames for a signal of <paramref name="samples"/> samples: <c>1 + samples / HopLength</c> when centred,
    /// <c>1 + (samples - NFft) / HopLength</c> otherwise (0 when the signal is shorter than one frame).
    /// </summary>
    /// <param name="samples">Signal length; non-negative.</param>
    /// <returns>The frame count.</returns>
    public int GetFrameCount(int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        if (Options.Center)
        {
            return 1 + samples / HopLength;
        }
        return samples < NFft ? 0 : 1 + (samples - NFft) / HopLength;
    }

    /// <summary>Complex STFT (librosa <c>stft</c>, complex64).</summary>
    /// <param name="signal">Mono samples; when not centred at least <see cref="NFft"/> of them.</param>
    /// <returns>A spectrogram of <see cref="Bins"/> x <see cref="GetFrameCount"/>.</returns>
    public ComplexSpectrogram Forward(ReadOnlySpan<float> signal)
    {
        int frames = RequireFrames(signal.Length);
        var re = new float[Bins * frames];
        var im = new float[Bins * frames];
        float[] padded = Pad(signal);
        var frame = new double[NFft];
        var fr = new double[Bins];
        var fi = new double[Bins];
        for (int t = 0; t < frames; t++)
        {
            Transform(padded, t, frame, fr, fi);
            for (int k = 0; k < fr.Length; k++)
            {
                re[k * frames + t] = (float)fr[k];
                im[k * frames + t] = (float)fi[k];
            }
        }
        return new ComplexSpectrogram(Bins, frames, re, im);
    }

    /// <summary>
    /// Spectrogram <c>|STFT|^power</c> (librosa <c>np.abs(stft(...)) ** power</c> on the complex64 result) into a
    /// caller-owned buffer.
    /// </summary>
    /// <param name="signal">Mono samples.</param>
    /// <param name="destination">Row-major [<see cref="Bins"/>, frames] output; at least <c>Bins * GetFrameCount(signal.Length)</c> long.</param>
    /// <param name="power">Exponent: 1 for magnitude, 2 (default) for power; positive.</param>
    /// <returns>The number of frames written.</returns>
    public int ComputeSpectrogram(ReadOnlySpan<float> signal, Span<float> destination, float power = 2f)
    {
        int frames = RequireFrames(signal.Length);
        if (destination.Length < Bins * frames)
        {
            throw new ArgumentException($"destination holds {destination.Length} values, needs {Bins} x {frames}", nameof(destination));
        }
        float[] padded = Pad(signal);
        var frame = new double[NFft];
        var fr = new double[Bins];
        var fi = new double[Bins];
        var column = new float[Bins];
        for (int t = 0; t < frames; t++)
        {
            Transform(padded, t, frame, fr, fi);
            SpectrumPower(fr, fi, column, power);
            for (int k = 0; k < column.Length; k++)
            {
                destination[k * frames + t] = column[k];
            }
        }
        return frames;
    }

    /// <summary>Spectrogram <c>|STFT|^power</c> as a new matrix.</summary>
    /// <param name="signal">Mono samples.</param>
    /// <param name="power">Exponent; default 2 (power).</param>
    /// <returns>A [<see cref="Bins"/>, frames] matrix.</returns>
    public FeatureMatrix ComputeSpectrogram(ReadOnlySpan<float> signal, float power = 2f)
    {
        int frames = RequireFrames(signal.Length);
        var m = new FeatureMatrix(Bins, frames);
        ComputeSpectrogram(signal, m.Data, power);
        return m;
    }

    /// <summary>
    /// Inverse STFT with librosa's <c>istft</c> semantics: each frame's inverse FFT is multiplied by the window,
    /// overlap-added, divided by the window sum-square where that exceeds the smallest normal float, and the centring
    /// padding is removed. With <paramref name="length"/> the output is cut or zero-padded to exactly that many samples.
    /// </summary>
    /// <param name="spectrum">The spectrum; its bin count must equal <see cref="Bins"/>.</param>
    /// <param name="length">Output length in samples, or null for <c>NFft + HopLength * (frames - 1)</c> minus the centring padding.</param>
    /// <returns>The signal.</returns>
    public float[] Inverse(ComplexSpectrogram spectrum, int? length = null)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        if (spectrum.Bins != Bins)
        {
            throw new ArgumentException($"spectrum has {spectrum.Bins} bins, this transform {Bins}", nameof(spectrum));
        }
        if (length is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "must be non-negative");
        }
        int nFft = NFft;
        int hop = HopLength;
        int frames = spectrum.Frames;
        if (length is int len)
        {
            int paddedLength = Options.Center ? len + 2 * (nFft / 2) : len;
            frames = Math.Min(frames, (int)Math.Ceiling(paddedLength / (double)hop));
        }
        int expected = frames == 0 ? 0 : nFft + hop * (frames - 1);
        var y = new double[expected];
        var sumSq = new double[expected];
        var fr = new double[Bins];
        var fi = new double[Bins];
        var buf = new double[nFft];
        for (int t = 0; t < frames; t++)
        {
            for (int k = 0; k < Bins; k++)
            {
                fr[k] = spectrum.Real[k * spectrum.Frames + t];
                fi[k] = spectrum.Imag[k * spectrum.Frames + t];
            }
            _fft.Inverse(fr, fi, buf);
            int offset = t * hop;
            for (int i = 0; i < nFft; i++)
            {
                double w = _window[i];
                y[offset + i] += (double)(float)(w * buf[i]);
                sumSq[offset + i] += w * w;
            }
        }
        double tiny = FloatTiny;
        for (int i = 0; i < expected; i++)
        {
            if (sumSq[i] > tiny)
            {
                y[i] /= sumSq[i];
            }
        }
        int start = Options.Center ? nFft / 2 : 0;
        int outLength;
        if (length is int wanted)
        {
            outLength = wanted;
        }
        else
        {
            outLength = Options.Center ? Math.Max(0, expected - 2 * (nFft / 2)) : expected;
        }
        var output = new float[outLength];
        int available = Math.Max(0, Math.Min(outLength, expected - start));
        for (int i = 0; i < available; i++)
        {
            output[i] = (float)y[start + i];
        }
        return output;
    }

    /// <summary>Windows frame <paramref name="t"/> of the padded signal and transforms it.</summary>
    internal void Transform(ReadOnlySpan<float> padded, int t, Span<double> frame, Span<double> re, Span<double> im)
    {
        _fft.ForwardWindowed(padded.Slice(t * HopLength, NFft), _window, frame, re, im);
    }

    /// <summary>
    /// <c>|X|^power</c> of one double-precision spectrum column, with each bin first rounded to complex64 and the
    /// magnitude rounded to float32, as numpy computes <c>np.abs(complex64) ** power</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SpectrumPower(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<float> destination, float power)
    {
        if (power == 2f)
        {
            // Round each bin to complex64, then |z|^2 in float32 (within an ulp of numpy's hypotf(re, im)^2).
            int k = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; k <= destination.Length - 8; k += 8)
                {
                    Vector256<float> r = Vector256.Narrow(Vector256.Create(re.Slice(k, 4)), Vector256.Create(re.Slice(k + 4, 4)));
                    Vector256<float> i = Vector256.Narrow(Vector256.Create(im.Slice(k, 4)), Vector256.Create(im.Slice(k + 4, 4)));
                    (r * r + i * i).CopyTo(destination.Slice(k, 8));
                }
            }
            for (; k < destination.Length; k++)
            {
                float r = (float)re[k], i = (float)im[k];
                destination[k] = r * r + i * i;
            }
        }
        else
        {
            for (int k = 0; k < destination.Length; k++)
            {
                double r = (float)re[k], i = (float)im[k];
                destination[k] = (float)Math.Sqrt(r * r + i * i);
            }
            if (power != 1f)
            {
                TensorPrimitives.Pow(destination, power, destination);
            }
        }
    }

    /// <summary>The signal padded for framing (a copy; centring adds <c>NFft / 2</c> samples each side).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal float[] Pad(ReadOnlySpan<float> signal)
    {
        if (!Options.Center)
        {
            return signal.ToArray();
        }
        int pad = NFft / 2;
        var padded = new float[signal.Length + 2 * pad];
        signal.CopyTo(padded.AsSpan(pad));
        if (Options.PadMode == PadMode.Reflect && signal.Length > 0)
        {
            int n = signal.Length;
            for (int i = 0; i < pad; i++)
            {
                padded[pad - 1 - i] = signal[ReflectIndex(-1 - i, n)];
                padded[pad + n + i] = signal[ReflectIndex(n + i, n)];
            }
        }
        return padded;
    }

    private int RequireFrames(int samples)
    {
        if (!Options.Center && samples < NFft)
        {
            throw new ArgumentException($"signal of {samples} samples is shorter than NFft = {NFft} and Center is false");
        }
        if (Options.Center && Options.PadMode == PadMode.Reflect && samples == 0)
        {
            throw new ArgumentException("reflect padding needs a non-empty signal");
        }
        return GetFrameCount(samples);
    }

    /// <summary>numpy 'reflect' index for any position (repeated reflection for pads longer than the signal).</summary>
    private static int ReflectIndex(int i, int n)
    {
        if (n == 1)
        {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = i % period;
        if (m < 0)
        {
            m += period;
        }
        return m < n ? m : period - m;
    }

    /// <summary>numpy's <c>finfo(float32).tiny</c>, the threshold librosa's istft uses for the window sum-square.</summary>
    private const double FloatTiny = 1.1754943508222875e-38;
}
