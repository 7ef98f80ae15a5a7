using System.Runtime.CompilerServices;
using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.Intrinsics;

namespace SerMlNet.Audio.Spectral;

/// <summary>
/// Real-input FFT in double precision for any length <see cref="Size"/> (numpy's <c>rfft</c>/<c>irfft</c>). Even sizes
/// run one complex FFT of half the length plus a split step; odd sizes run a full complex transform. Power-of-two
/// sizes use radix-2 with precomputed twiddles; other sizes Bluestein's algorithm. Instances are cached per size
/// (<see cref="Get"/>), immutable and thread-safe. Power-of-two sizes allocate nothing per call.
/// </summary>
public sealed class RealFft
{
    private static readonly ConcurrentDictionary<int, RealFft> Cache = new();

    private readonly ComplexFft _half;
    private readonly ComplexFft? _full;
    private readonly double[] _splitRe;
    private readonly double[] _splitIm;

    private RealFft(int size)
    {
        Size = size;
        if (size % 2 == 0)
        {
            int half = size / 2;
            _half = ComplexFft.Get(half);
            _splitRe = new double[half + 1];
            _splitIm = new double[half + 1];
            for (int k = 0; k <= half; k++)
            {
                (double s, double c) = Math.SinCos(-2.0 * Math.PI * k / size);
                _splitRe[k] = c;
                _splitIm[k] = s;
            }
        }
        else
        {
            _half = ComplexFft.Get(1);
            _full = ComplexFft.Get(size);
            _splitRe = [];
            _splitIm = [];
        }
    }

    /// <summary>Transform length in samples (positive).</summary>
    public int Size { get; }

    /// <summary>Number of spectrum bins, <c>Size / 2 + 1</c>.</summary>
    public int Bins => Size / 2 + 1;

    /// <summary>The cached transform for <paramref name="size"/> samples.</summary>
    /// <param name="size">Transform length; positive.</param>
    /// <returns>A shared instance.</returns>
    public static RealFft Get(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        return Cache.GetOrAdd(size, static n => new RealFft(n));
    }

    /// <summary>
    /// Forward transform: <c>X_k = sum_n x_n exp(-2 pi i k n / Size)</c> for k = 0 .. Size/2, unscaled (numpy
    /// <c>rfft</c>).
    /// </summary>
    /// <param name="input"><see cref="Size"/> real samples.</param>
    /// <param name="real">Destination for the real parts; at least <see cref="Bins"/> long.</param>
    /// <param name="imag">Destination for the imaginary parts; at least <see cref="Bins"/> long.</param>
    public void Forward(ReadOnlySpan<double> input, Span<double> real, Span<double> imag)
    {
        if (input.Length != Size)
        {
            throw new ArgumentException($"input has {input.Length} samples, expected {Size}", nameof(input));
        }
        if (real.Length < Bins || imag.Length < Bins)
        {
            throw new ArgumentException($"destinations must hold {Bins} bins");
        }
        if (_full is not null)
        {
            ForwardOdd(input, real, imag);
            return;
        }
        int half = Size / 2;
        if (_half.IsPowerOfTwo)
        {
            int[] rev = _half.BitReverse;
            for (int k = 0; k < half; k++)
            {
                int j = rev[k];
                real[j] = input[2 * k];
                imag[j] = input[2 * k + 1];
            }
            _half.ForwardPermuted(real, imag);
        }
        else
        {
            for (int k = 0; k < half; k++)
            {
                real[k] = input[2 * k];
                imag[k] = input[2 * k + 1];
            }
            _half.Forward(real, imag);
        }
        Split(real, imag, half);
    }

    /// <summary>
    /// Forward transform of <c>window[i] * x[i]</c> (float samples widened to double), fusing the windowing with the
    /// even/odd split and bit-reversal permutation when the half size is a power of two. No allocation on that path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void ForwardWindowed(ReadOnlySpan<float> x, ReadOnlySpan<double> window, Span<double> frameScratch, Span<double> real, Span<double> imag)
    {
        if (_full is not null || !_half.IsPowerOfTwo)
        {
            for (int i = 0; i < Size; i++)
            {
                frameScratch[i] = window[i] * x[i];
            }
            Forward(frameScratch[..Size], real, imag);
            return;
        }
        int half = Size / 2;
        ReadOnlySpan<int> rev = _half.BitReverse;
        x = x[..Size];
        window = window[..Size];
        for (int k = 0; k < half; k++)
        {
            int j = rev[k];
            real[j] = window[2 * k] * x[2 * k];
            imag[j] = window[2 * k + 1] * x[2 * k + 1];
        }
        _half.ForwardPermuted(real, imag);
        Split(real, imag, half);
    }

    /// <summary>
    /// Inverse transform of a half spectrum (numpy <c>irfft</c> with n = Size): scaled by 1/Size; the imaginary parts of
    /// bin 0 and, for even sizes, bin Size/2 are ignored.
    /// </summary>
    /// <param name="real">Real parts of bins 0 .. Size/2.</param>
    /// <param name="imag">Imaginary parts of bins 0 .. Size/2.</param>
    /// <param name="output">Destination for <see cref="Size"/> samples.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Inverse(ReadOnlySpan<double> real, ReadOnlySpan<double> imag, Span<double> output)
    {
        if (real.Length < Bins || imag.Length < Bins)
        {
            throw new ArgumentException($"spectrum must hold {Bins} bins");
        }
        if (output.Length != Size)
        {
            throw new ArgumentException($"output must hold {Size} samples", nameof(output));
        }
        if (_full is not null)
        {
            InverseOdd(real, imag, output);
            return;
        }
        int half = Size / 2;
        double[] zr = ArrayPool<double>.Shared.Rent(half + 1);
        double[] zi = ArrayPool<double>.Shared.Rent(half + 1);
        try
        {
            // Undo the split: Z_k = E_k + i O_k with E_k = (X_k + conj X_{h-k}) / 2, O_k = (X_k - conj X_{h-k}) / 2 * e^{+2 pi i k / n}.
            for (int k = 0; k < half; k++)
            {
                double xr = real[k], xi = k == 0 ? 0 : imag[k];
                double yr = real[half - k], yi = -(half - k == half || half - k == 0 ? 0 : imag[half - k]);
                double er = 0.5 * (xr + yr), ei = 0.5 * (xi + yi);
                double dr = 0.5 * (xr - yr), di = 0.5 * (xi - yi);
                double wr = _splitRe[k], wi = -_splitIm[k];
                double or = dr * wr - di * wi, oi = dr * wi + di * wr;
                zr[k] = er - oi;
                zi[k] = ei + or;
            }
            _half.Inverse(zr, zi);
            for (int k = 0; k < half; k++)
            {
                output[2 * k] = zr[k];
                output[2 * k + 1] = zi[k];
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(zr);
            ArrayPool<double>.Shared.Return(zi);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Split(Span<double> re, Span<double> im, int half)
    {
        // X_k = (Z_k + conj Z_{h-k}) / 2 - i e^{-2 pi i k/n} (Z_k - conj Z_{h-k}) / 2, pairs (k, h-k) in place.
        double z0r = re[0], z0i = im[0];
        re[0] = z0r + z0i;
        im[0] = 0;
        re[half] = z0r - z0i;
        im[half] = 0;
        int k = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            // Four pairs at a time: bins k..k+3 and their mirrors m = half-k-3 .. half-k (loaded and stored reversed),
            // while the two blocks do not overlap.
            ReadOnlySpan<double> wrAll = _splitRe, wiAll = _splitIm;
            Vector256<double> half1 = Vector256.Create(0.5);
            for (; 2 * k + 6 < half; k += 4)
            {
                int m = half - k - 3;
                Vector256<double> ar = Vector256.Create(re.Slice(k, 4)), ai = Vector256.Create(im.Slice(k, 4));
                Vector256<double> br = Reverse(Vector256.Create(re.Slice(m, 4))), bi = Reverse(Vector256.Create(im.Slice(m, 4)));
                Vector256<double> er = half1 * (ar + br), ei = half1 * (ai - bi);
                Vector256<double> or = half1 * (ai + bi), oi = half1 * (br - ar);
                Vector256<double> wr = Vector256.Create(wrAll.Slice(k, 4)), wi = Vector256.Create(wiAll.Slice(k, 4));
                Vector256<double> wr2 = Reverse(Vector256.Create(wrAll.Slice(m, 4))), wi2 = Reverse(Vector256.Create(wiAll.Slice(m, 4)));
                Vector256<double> tr = or * wr - oi * wi, ti = or * wi + oi * wr;
                Vector256<double> tr2 = or * wr2 + oi * wi2, ti2 = or * wi2 - oi * wr2;
                (er + tr).CopyTo(re.Slice(k, 4));
                (ei + ti).CopyTo(im.Slice(k, 4));
                Reverse(er + tr2).CopyTo(re.Slice(m, 4));
                Reverse(ti2 - ei).CopyTo(im.Slice(m, 4));
            }
        }
        for (; k <= half / 2; k++)
        {
            int m = half - k;
            double ar = re[k], ai = im[k], br = re[m], bi = im[m];
            // For k.
            double er = 0.5 * (ar + br), ei = 0.5 * (ai - bi);
            double or = 0.5 * (ai + bi), oi = -0.5 * (ar - br);
            double wr = _splitRe[k], wi = _splitIm[k];
            double tr = or * wr - oi * wi, ti = or * wi + oi * wr;
            // For m (roles swapped).
            double er2 = 0.5 * (br + ar), ei2 = 0.5 * (bi - ai);
            double or2 = 0.5 * (bi + ai), oi2 = -0.5 * (br - ar);
            double wr2 = _splitRe[m], wi2 = _splitIm[m];
            double tr2 = or2 * wr2 - oi2 * wi2, ti2 = or2 * wi2 + oi2 * wr2;
            re[k] = er + tr;
            im[k] = ei + ti;
            re[m] = er2 + tr2;
            im[m] = ei2 + ti2;
        }
    }

    private static Vector256<double> Reverse(Vector256<double> v) => Vector256.Shuffle(v, Vector256.Create(3L, 2, 1, 0));

    private void ForwardOdd(ReadOnlySpan<double> input, Span<double> real, Span<double> imag)
    {
        double[] re = ArrayPool<double>.Shared.Rent(Size);
        double[] im = ArrayPool<double>.Shared.Rent(Size);
        try
        {
            input.CopyTo(re);
            Array.Clear(im, 0, Size);
            _full!.Forward(re, im);
            re.AsSpan(0, Bins).CopyTo(real);
            im.AsSpan(0, Bins).CopyTo(imag);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(re);
            ArrayPool<double>.Shared.Return(im);
        }
    }

    private void InverseOdd(ReadOnlySpan<double> real, ReadOnlySpan<double> imag, Span<double> output)
    {
        double[] re = ArrayPool<double>.Shared.Rent(Size);
        double[] im = ArrayPool<double>.Shared.Rent(Size);
        try
        {
            re[0] = real[0];
            im[0] = 0;
            for (int k = 1; k < Bins; k++)
            {
                re[k] = real[k];
                im[k] = imag[k];
                re[Size - k] = real[k];
                im[Size - k] = -imag[k];
            }
            _full!.Inverse(re, im);
            re.AsSpan(0, Size).CopyTo(output);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(re);
            ArrayPool<double>.Shared.Return(im);
        }
    }
}
