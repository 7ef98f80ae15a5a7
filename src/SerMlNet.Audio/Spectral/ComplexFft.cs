using System.Runtime.CompilerServices;
using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.Intrinsics;

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
        if (n < 4)
        {
            if (n == 2)
            {
                double ar = re[0], ai = im[0], br = re[1], bi = im[1];
                re[0] = ar + br;
                im[0] = ai + bi;
                re[1] = ar - br;
                im[1] = ai - bi;
            }
            return;
        }
        // Stages h = 1 and h = 2 together: a 4-point DFT on each consecutive quadruple.
        for (int i = 0; i < n; i += 4)
        {
            double a0r = re[i], a0i = im[i], a1r = re[i + 1], a1i = im[i + 1];
            double a2r = re[i + 2], a2i = im[i + 2], a3r = re[i + 3], a3i = im[i + 3];
            double b0r = a0r + a1r, b0i = a0i + a1i, b1r = a0r - a1r, b1i = a0i - a1i;
            double b2r = a2r + a3r, b2i = a2i + a3i, b3r = a2r - a3r, b3i = a2i - a3i;
            re[i] = b0r + b2r;
            im[i] = b0i + b2i;
            re[i + 2] = b0r - b2r;
            im[i + 2] = b0i - b2i;
            re[i + 1] = b1r + b3i;
            im[i + 1] = b1i - b3r;
            re[i + 3] = b1r - b3i;
            im[i + 3] = b1i + b3r;
        }
        int h = 4;
        // Two radix-2 stages (h and 2h) per pass over the data.
        for (; 4 * h <= n; h *= 4)
        {
            Radix22(re, im, h);
        }
        if (h < n)
        {
            Radix2(re, im, h);
        }
    }

    /// <summary>Stages h and 2h fused (radix-2^2): elements j, j+h, j+2h, j+3h of each block of 4h.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Radix22(Span<double> re, Span<double> im, int h)
    {
        int n = re.Length;
        ReadOnlySpan<double> w1r = _twRe.AsSpan(h - 1, h), w1i = _twIm.AsSpan(h - 1, h);
        ReadOnlySpan<double> w2r = _twRe.AsSpan(2 * h - 1, h), w2i = _twIm.AsSpan(2 * h - 1, h);
        for (int s = 0; s < n; s += 4 * h)
        {
            Span<double> r0 = re.Slice(s, h), i0 = im.Slice(s, h);
            Span<double> r1 = re.Slice(s + h, h), i1 = im.Slice(s + h, h);
            Span<double> r2 = re.Slice(s + 2 * h, h), i2 = im.Slice(s + 2 * h, h);
            Span<double> r3 = re.Slice(s + 3 * h, h), i3 = im.Slice(s + 3 * h, h);
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j <= h - 4; j += 4)
                {
                    Vector256<double> c1r = Vector256.Create(w1r.Slice(j, 4)), c1i = Vector256.Create(w1i.Slice(j, 4));
                    Vector256<double> c2r = Vector256.Create(w2r.Slice(j, 4)), c2i = Vector256.Create(w2i.Slice(j, 4));
                    Vector256<double> a0r = Vector256.Create(r0.Slice(j, 4)), a0i = Vector256.Create(i0.Slice(j, 4));
                    Vector256<double> a1r = Vector256.Create(r1.Slice(j, 4)), a1i = Vector256.Create(i1.Slice(j, 4));
                    Vector256<double> a2r = Vector256.Create(r2.Slice(j, 4)), a2i = Vector256.Create(i2.Slice(j, 4));
                    Vector256<double> a3r = Vector256.Create(r3.Slice(j, 4)), a3i = Vector256.Create(i3.Slice(j, 4));
                    Vector256<double> t1r = a1r * c1r - a1i * c1i, t1i = a1r * c1i + a1i * c1r;
                    Vector256<double> t3r = a3r * c1r - a3i * c1i, t3i = a3r * c1i + a3i * c1r;
                    Vector256<double> b0r = a0r + t1r, b0i = a0i + t1i, b1r = a0r - t1r, b1i = a0i - t1i;
                    Vector256<double> b2r = a2r + t3r, b2i = a2i + t3i, b3r = a2r - t3r, b3i = a2i - t3i;
                    Vector256<double> t2r = b2r * c2r - b2i * c2i, t2i = b2r * c2i + b2i * c2r;
                    Vector256<double> t4r = b3r * c2r - b3i * c2i, t4i = b3r * c2i + b3i * c2r;
                    (b0r + t2r).CopyTo(r0.Slice(j, 4));
                    (b0i + t2i).CopyTo(i0.Slice(j, 4));
                    (b0r - t2r).CopyTo(r2.Slice(j, 4));
                    (b0i - t2i).CopyTo(i2.Slice(j, 4));
                    (b1r + t4i).CopyTo(r1.Slice(j, 4));
                    (b1i - t4r).CopyTo(i1.Slice(j, 4));
                    (b1r - t4i).CopyTo(r3.Slice(j, 4));
                    (b1i + t4r).CopyTo(i3.Slice(j, 4));
                }
            }
            for (; j < h; j++)
            {
                double c1r = w1r[j], c1i = w1i[j], c2r = w2r[j], c2i = w2i[j];
                double a0r = r0[j], a0i = i0[j], a1r = r1[j], a1i = i1[j];
                double a2r = r2[j], a2i = i2[j], a3r = r3[j], a3i = i3[j];
                double t1r = a1r * c1r - a1i * c1i, t1i = a1r * c1i + a1i * c1r;
                double t3r = a3r * c1r - a3i * c1i, t3i = a3r * c1i + a3i * c1r;
                double b0r = a0r + t1r, b0i = a0i + t1i, b1r = a0r - t1r, b1i = a0i - t1i;
                double b2r = a2r + t3r, b2i = a2i + t3i, b3r = a2r - t3r, b3i = a2i - t3i;
                double t2r = b2r * c2r - b2i * c2i, t2i = b2r * c2i + b2i * c2r;
                double t4r = b3r * c2r - b3i * c2i, t4i = b3r * c2i + b3i * c2r;
                r0[j] = b0r + t2r;
                i0[j] = b0i + t2i;
                r2[j] = b0r - t2r;
                i2[j] = b0i - t2i;
                r1[j] = b1r + t4i;
                i1[j] = b1i - t4r;
                r3[j] = b1r - t4i;
                i3[j] = b1i + t4r;
            }
        }
    }

    /// <summary>One radix-2 stage of half-size h.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Radix2(Span<double> re, Span<double> im, int h)
    {
        int n = re.Length;
        ReadOnlySpan<double> wr = _twRe.AsSpan(h - 1, h), wi = _twIm.AsSpan(h - 1, h);
        for (int s = 0; s < n; s += 2 * h)
        {
            Span<double> r0 = re.Slice(s, h), i0 = im.Slice(s, h);
            Span<double> r1 = re.Slice(s + h, h), i1 = im.Slice(s + h, h);
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j <= h - 4; j += 4)
                {
                    Vector256<double> cr = Vector256.Create(wr.Slice(j, 4)), ci = Vector256.Create(wi.Slice(j, 4));
                    Vector256<double> xr = Vector256.Create(r1.Slice(j, 4)), xi = Vector256.Create(i1.Slice(j, 4));
                    Vector256<double> tr = xr * cr - xi * ci, ti = xr * ci + xi * cr;
                    Vector256<double> ar = Vector256.Create(r0.Slice(j, 4)), ai = Vector256.Create(i0.Slice(j, 4));
                    (ar + tr).CopyTo(r0.Slice(j, 4));
                    (ai + ti).CopyTo(i0.Slice(j, 4));
                    (ar - tr).CopyTo(r1.Slice(j, 4));
                    (ai - ti).CopyTo(i1.Slice(j, 4));
                }
            }
            for (; j < h; j++)
            {
                double cr = wr[j], ci = wi[j];
                double xr = r1[j], xi = i1[j];
                double tr = xr * cr - xi * ci, ti = xr * ci + xi * cr;
                double ar = r0[j], ai = i0[j];
                r0[j] = ar + tr;
                i0[j] = ai + ti;
                r1[j] = ar - tr;
                i1[j] = ai - ti;
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
