using System.Runtime.CompilerServices;
using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;

namespace SerMlNet.Audio.Spectral;

/// <summary>
/// In-place complex FFT in double precision on split real/imaginary arrays, any size: iterative radix-2 for powers of
/// two, Bluestein's chirp-z convolution (through a power-of-two FFT) otherwise. Tables are built once per size and
/// cached. Immutable and thread-safe.
/// </summary>
internal sealed class ComplexFft
{
    private static readonly ConcurrentDictionary<int, ComplexFft> Cache = new();

    private readonly int[]? _bitReverse;
    private readonly double[]? _twRe;
    private readonly double[]? _twIm;

    // Bluestein state.
    private readonly ComplexFft? _inner;
    private readonly double[]? _chirpRe;
    private readonly double[]? _chirpIm;
    private readonly double[]? _kernelRe;
    private readonly double[]? _kernelIm;

    private ComplexFft(int size)
    {
        Size = size;
        if (BitOperations.IsPow2(size))
        {
            int bits = BitOperations.Log2((uint)size);
            _bitReverse = new int[size];
            for (int i = 0; i < size; i++)
            {
                _bitReverse[i] = bits == 0 ? 0 : (int)(ReverseBits((uint)i) >> (32 - bits));
            }
            // Twiddles of every stage, concatenated: the stage of half-size h starts at offset h - 1.
            _twRe = new double[Math.Max(1, size - 1)];
            _twIm = new double[Math.Max(1, size - 1)];
            for (int h = 1; h < size; h <<= 1)
            {
                for (int j = 0; j < h; j++)
                {
                    (double s, double c) = Math.SinCos(-Math.PI * j / h);
                    _twRe[h - 1 + j] = c;
                    _twIm[h - 1 + j] = s;
                }
            }
        }
        else
        {
            int m = (int)BitOperations.RoundUpToPowerOf2((uint)(2 * size - 1));
            _inner = Get(m);
            _chirpRe = new double[size];
            _chirpIm = new double[size];
            long twoN = 2L * size;
            for (int k = 0; k < size; k++)
            {
                long kk = (long)k * k % twoN;
                (double s, double c) = Math.SinCos(-Math.PI * kk / size);
                _chirpRe[k] = c;
                _chirpIm[k] = s;
            }
            _kernelRe = new double[m];
            _kernelIm = new double[m];
            for (int k = 0; k < size; k++)
            {
                // b_k = conj(chirp_k), placed at k and m - k (circular convolution).
                _kernelRe[k] = _chirpRe[k];
                _kernelIm[k] = -_chirpIm[k];
                if (k > 0)
                {
                    _kernelRe[m - k] = _chirpRe[k];
                    _kernelIm[m - k] = -_chirpIm[k];
                }
            }
            _inner.Forward(_kernelRe, _kernelIm);
        }
    }

    /// <summary>Transform length.</summary>
    public int Size { get; }

    /// <summary>The cached transform of length <paramref name="size"/>.</summary>
    public static ComplexFft Get(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        return Cache.GetOrAdd(size, static n => new ComplexFft(n));
    }

    /// <summary>Forward transform in place: X_k = sum_n x_n exp(-2 pi i k n / N), no scaling.</summary>
    public void Forward(Span<double> re, Span<double> im)
    {
        if (re.Length < Size || im.Length < Size)
        {
            throw new ArgumentException($"buffers must hold {Size} values");
        }
        if (_bitReverse is not null)
        {
            Permute(re, im);
            Butterflies(re[..Size], im[..Size]);
        }
        else
        {
            Bluestein(re, im);
        }
    }

    /// <summary>Inverse transform in place, scaled by 1/N.</summary>
    public void Inverse(Span<double> re, Span<double> im)
    {
        // ifft(x) = conj(fft(conj(x))) / N
        Span<double> imN = im[..Size];
        Negate(imN);
        Forward(re, im);
        double scale = 1.0 / Size;
        Span<double> reN = re[..Size];
        for (int i = 0; i < Size; i++)
        {
            reN[i] *= scale;
            imN[i] = -imN[i] * scale;
        }
    }

    /// <summary>Forward transform of already bit-reversed data (power-of-two sizes only).</summary>
    internal void ForwardPermuted(Span<double> re, Span<double> im) => Butterflies(re[..Size], im[..Size]);

    /// <summary>Bit-reversal table (power-of-two sizes only).</summary>
    internal int[] BitReverse => _bitReverse ?? throw new InvalidOperationException("not a power-of-two transform");

    /// <summary>Whether this size uses the radix-2 path.</summary>
    internal bool IsPowerOfTwo => _bitReverse is not null;

    private static void Negate(Span<double> x)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = -x[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Permute(Span<double> re, Span<double> im)
    {
        int[] rev = _bitReverse!;
        for (int i = 0; i < Size; i++)
        {
            int j = rev[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Butterflies(Span<double> re, Span<double> im)
    {
        int n = re.Length;
        // Stage h = 1: twiddle 1.
        for (int i = 0; i + 1 < n; i += 2)
        {
            double ar = re[i], ai = im[i], br = re[i + 1], bi = im[i + 1];
            re[i] = ar + br;
            im[i] = ai + bi;
            re[i + 1] = ar - br;
            im[i + 1] = ai - bi;
        }
        // Stage h = 2: twiddles 1, -i.
        if (n >= 4)
        {
            for (int i = 0; i < n; i += 4)
            {
                double ar = re[i], ai = im[i], br = re[i + 2], bi = im[i + 2];
                re[i] = ar + br;
                im[i] = ai + bi;
                re[i + 2] = ar - br;
                im[i + 2] = ai - bi;
                ar = re[i + 1];
                ai = im[i + 1];
                br = im[i + 3];
                bi = -re[i + 3];
                re[i + 1] = ar + br;
                im[i + 1] = ai + bi;
                re[i + 3] = ar - br;
                im[i + 3] = ai - bi;
            }
        }
        ReadOnlySpan<double> twRe = _twRe;
        ReadOnlySpan<double> twIm = _twIm;
        for (int h = 4; h < n; h <<= 1)
        {
            ReadOnlySpan<double> wr = twRe.Slice(h - 1, h);
            ReadOnlySpan<double> wi = twIm.Slice(h - 1, h);
            for (int start = 0; start < n; start += 2 * h)
            {
                Span<double> r0 = re.Slice(start, h);
                Span<double> i0 = im.Slice(start, h);
                Span<double> r1 = re.Slice(start + h, h);
                Span<double> i1 = im.Slice(start + h, h);
                int j = 0;
                if (Vector.IsHardwareAccelerated && h >= Vector<double>.Count)
                {
                    int w = Vector<double>.Count;
                    for (; j <= h - w; j += w)
                    {
                        var cr = new Vector<double>(wr.Slice(j, w));
                        var ci = new Vector<double>(wi.Slice(j, w));
                        var xr = new Vector<double>(r1.Slice(j, w));
                        var xi = new Vector<double>(i1.Slice(j, w));
                        Vector<double> tr = xr * cr - xi * ci;
                        Vector<double> ti = xr * ci + xi * cr;
                        var ar = new Vector<double>(r0.Slice(j, w));
                        var ai = new Vector<double>(i0.Slice(j, w));
                        (ar + tr).CopyTo(r0.Slice(j, w));
                        (ai + ti).CopyTo(i0.Slice(j, w));
                        (ar - tr).CopyTo(r1.Slice(j, w));
                        (ai - ti).CopyTo(i1.Slice(j, w));
                    }
                }
                for (; j < h; j++)
                {
                    double cr = wr[j], ci = wi[j];
                    double xr = r1[j], xi = i1[j];
                    double tr = xr * cr - xi * ci;
                    double ti = xr * ci + xi * cr;
                    double ar = r0[j], ai = i0[j];
                    r0[j] = ar + tr;
                    i0[j] = ai + ti;
                    r1[j] = ar - tr;
                    i1[j] = ai - ti;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Bluestein(Span<double> re, Span<double> im)
    {
        int n = Size;
        ComplexFft inner = _inner!;
        int m = inner.Size;
        double[] ar = ArrayPool<double>.Shared.Rent(m);
        double[] ai = ArrayPool<double>.Shared.Rent(m);
        try
        {
            double[] cr = _chirpRe!, ci = _chirpIm!;
            for (int k = 0; k < n; k++)
            {
                double xr = re[k], xi = im[k];
                ar[k] = xr * cr[k] - xi * ci[k];
                ai[k] = xr * ci[k] + xi * cr[k];
            }
            Array.Clear(ar, n, m - n);
            Array.Clear(ai, n, m - n);
            inner.Forward(ar, ai);
            double[] kr = _kernelRe!, ki = _kernelIm!;
            for (int k = 0; k < m; k++)
            {
                double xr = ar[k], xi = ai[k];
                ar[k] = xr * kr[k] - xi * ki[k];
                ai[k] = xr * ki[k] + xi * kr[k];
            }
            inner.Inverse(ar, ai);
            for (int k = 0; k < n; k++)
            {
                double xr = ar[k], xi = ai[k];
                re[k] = xr * cr[k] - xi * ci[k];
                im[k] = xr * ci[k] + xi * cr[k];
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(ar);
            ArrayPool<double>.Shared.Return(ai);
        }
    }

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }
}
