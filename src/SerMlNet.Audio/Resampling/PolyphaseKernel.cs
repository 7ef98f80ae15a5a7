using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SerMlNet.Audio.Resampling;

/// <summary>
/// The inner product of the exact polyphase path: one output sample is the dot product of one phase's coefficients
/// (one row of the float32 table, <c>taps</c> values) with <c>taps</c> consecutive samples of the zero-padded input.
/// <para>
/// <see cref="Dot4"/> computes four outputs that share a phase at once (for a pure decimation, L = 1, every output
/// shares the single phase; for L &gt; 1, outputs L apart do): each chunk of coefficients (16 floats with AVX-512,
/// else 8) is loaded once and feeds four fused multiply-adds, one per output, whose input windows lie
/// <c>inputStride</c> (M) samples apart. A plain dot product loads a coefficient chunk per input chunk, two loads per
/// multiply-add; this one loads five per four, and loads are what bound a dot product of hundreds of taps (769 for
/// 48 → 16 kHz). Measured on the 2-core AMD EPYC (AVX-512, Vector512 path; load average 0.6–0.7), one 3-s 48 kHz mono
/// clip (144,000 → 48,000 samples), alternating with <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
/// per output (the resampler at commit f7fed38) in one run, 3 rounds × 100 calls: p50 1.09 ms against 2.00 ms (1.84×);
/// the Vector256 form of this kernel measured 1.76 ms against 2.49 ms (1.41×) in the same kind of run. In
/// <c>ser bench latency</c> the step <c>loadAudio</c> (read, down-mix, resample a 48 kHz stereo clip) went from p50
/// 3.83 / 3.68 ms to 2.62 / 2.47 ms and the clip end to end from 5.43 / 5.47 ms to 4.78 / 4.40 ms (two alternating rounds
/// each, load average 1.6–2.2, the single-network model of f7fed38). The clip figures come from
/// <c>dotnet run --project scripts/resampler-ab -c Release -- &lt;SerMlNet.Audio.dll of the older build&gt;</c>, which loads
/// the older resampler beside this one and alternates them (a second run: 2.16 against 1.18 ms, 1.83×).
/// </para>
/// <para>
/// Every output gets the same arithmetic whether it is computed alone (<see cref="Dot"/>) or in a block of four: two
/// vector accumulators per output (even chunks into the first, odd chunks into the second), the last
/// <c>taps mod width</c> taps as one more chunk that ends at the last tap with its overlapping lanes masked to zero,
/// then <c>Sum(first + second)</c>. So the whole-signal and the streaming resampler, which cut outputs into blocks at
/// different places, give the same bits. The width is <see cref="Vector512{T}"/> where it is hardware accelerated, else
/// <see cref="Vector256{T}"/> with FMA; where neither is, both entry points fall back to
/// <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> per output (equal to each other again,
/// as both call the same method). The width is fixed per process, so results are bit-identical within a machine and
/// agree across machines to float rounding (about 1e-7).
/// </para>
/// Stateless and thread-safe; no allocation.
/// </summary>
internal static class PolyphaseKernel
{
    /// <summary>16 zero lanes then 16 all-ones lanes: loaded from offset 16 − width + r, the last r lanes are ones.</summary>
    private static readonly uint[] TailMaskSource = [.. Enumerable.Repeat(0u, 16), .. Enumerable.Repeat(~0u, 16)];

    private static readonly Kind Path =
        Vector512.IsHardwareAccelerated ? Kind.Vector512 : Vector256.IsHardwareAccelerated && Fma.IsSupported ? Kind.Vector256 : Kind.Scalar;

    private enum Kind
    {
        Scalar,
        Vector256,
        Vector512,
    }

    /// <summary>One output sample: <c>Σ coefficients[k] × input[k]</c> over the taps.</summary>
    /// <param name="coefficients">One phase's taps; at least 16.</param>
    /// <param name="input">The output's window of the padded input, at least as long as <paramref name="coefficients"/>.</param>
    /// <returns>The output sample.</returns>
    public static float Dot(ReadOnlySpan<float> coefficients, ReadOnlySpan<float> input)
    {
        int taps = coefficients.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(taps, 16, nameof(coefficients));
        ArgumentOutOfRangeException.ThrowIfLessThan(input.Length, taps, nameof(input));
        return Path switch
        {
            Kind.Vector512 => Dot<Vector512<float>, Ops512>(coefficients, input),
            Kind.Vector256 => Dot<Vector256<float>, Ops256>(coefficients, input),
            _ => TensorPrimitives.Dot(coefficients, input[..taps]),
        };
    }

    /// <summary>
    /// Four output samples with the same coefficients: output a (0 to 3) is <c>Σ coefficients[k] × input[a × inputStride + k]</c>,
    /// written to <c>destination[a × destinationStride]</c>; each equal, bit for bit, to <see cref="Dot"/> on its window.
    /// </summary>
    /// <param name="coefficients">One phase's taps; at least 16.</param>
    /// <param name="input">The padded input from the first output's window on; covers the fourth window.</param>
    /// <param name="inputStride">Input samples between consecutive windows (M); non-negative.</param>
    /// <param name="destination">Where the outputs go, from the first one on.</param>
    /// <param name="destinationStride">Output samples between consecutive outputs (L); positive.</param>
    public static void Dot4(ReadOnlySpan<float> coefficients, ReadOnlySpan<float> input, int inputStride, Span<float> destination, int destinationStride)
    {
        int taps = coefficients.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(taps, 16, nameof(coefficients));
        ArgumentOutOfRangeException.ThrowIfNegative(inputStride);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(destinationStride);
        ArgumentOutOfRangeException.ThrowIfLessThan(input.Length, 3 * inputStride + taps, nameof(input));
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, 3 * destinationStride + 1, nameof(destination));
        switch (Path)
        {
            case Kind.Vector512:
                Dot4<Vector512<float>, Ops512>(coefficients, input, inputStride, destination, destinationStride);
                break;
            case Kind.Vector256:
                Dot4<Vector256<float>, Ops256>(coefficients, input, inputStride, destination, destinationStride);
                break;
            default:
                for (int a = 0; a < 4; a++)
                {
                    destination[a * destinationStride] = TensorPrimitives.Dot(coefficients, input.Slice(a * inputStride, taps));
                }
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot<TVector, TOps>(ReadOnlySpan<float> coefficients, ReadOnlySpan<float> input)
        where TVector : struct
        where TOps : struct, IVectorOps<TVector>
    {
        int taps = coefficients.Length, width = TOps.Width;
        ref float c = ref MemoryMarshal.GetReference(coefficients);
        ref float x = ref MemoryMarshal.GetReference(input);
        TVector even = default, odd = default;
        int i = 0;
        for (; i + 2 * width <= taps; i += 2 * width)
        {
            even = TOps.MultiplyAdd(TOps.Load(ref c, i), TOps.Load(ref x, i), even);
            odd = TOps.MultiplyAdd(TOps.Load(ref c, i + width), TOps.Load(ref x, i + width), odd);
        }
        if (i + width <= taps)
        {
            even = TOps.MultiplyAdd(TOps.Load(ref c, i), TOps.Load(ref x, i), even);
            i += width;
            (even, odd) = (odd, even); // The next chunk (the tail) is an odd one.
        }
        if (i < taps)
        {
            int last = taps - width;
            even = TOps.MultiplyAdd(TOps.TailCoefficients(ref c, last, taps - i), TOps.Load(ref x, last), even);
        }
        return TOps.Sum(even, odd);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4<TVector, TOps>(ReadOnlySpan<float> coefficients, ReadOnlySpan<float> input, int inputStride, Span<float> destination, int destinationStride)
        where TVector : struct
        where TOps : struct, IVectorOps<TVector>
    {
        int taps = coefficients.Length, width = TOps.Width;
        ref float c = ref MemoryMarshal.GetReference(coefficients);
        ref float x0 = ref MemoryMarshal.GetReference(input);
        ref float x1 = ref Unsafe.Add(ref x0, inputStride);
        ref float x2 = ref Unsafe.Add(ref x1, inputStride);
        ref float x3 = ref Unsafe.Add(ref x2, inputStride);
        TVector even0 = default, even1 = default, even2 = default, even3 = default;
        TVector odd0 = default, odd1 = default, odd2 = default, odd3 = default;
        int i = 0;
        for (; i + 2 * width <= taps; i += 2 * width)
        {
            TVector ce = TOps.Load(ref c, i);
            even0 = TOps.MultiplyAdd(ce, TOps.Load(ref x0, i), even0);
            even1 = TOps.MultiplyAdd(ce, TOps.Load(ref x1, i), even1);
            even2 = TOps.MultiplyAdd(ce, TOps.Load(ref x2, i), even2);
            even3 = TOps.MultiplyAdd(ce, TOps.Load(ref x3, i), even3);
            TVector co = TOps.Load(ref c, i + width);
            odd0 = TOps.MultiplyAdd(co, TOps.Load(ref x0, i + width), odd0);
            odd1 = TOps.MultiplyAdd(co, TOps.Load(ref x1, i + width), odd1);
            odd2 = TOps.MultiplyAdd(co, TOps.Load(ref x2, i + width), odd2);
            odd3 = TOps.MultiplyAdd(co, TOps.Load(ref x3, i + width), odd3);
        }
        if (i + width <= taps)
        {
            TVector ce = TOps.Load(ref c, i);
            even0 = TOps.MultiplyAdd(ce, TOps.Load(ref x0, i), even0);
            even1 = TOps.MultiplyAdd(ce, TOps.Load(ref x1, i), even1);
            even2 = TOps.MultiplyAdd(ce, TOps.Load(ref x2, i), even2);
            even3 = TOps.MultiplyAdd(ce, TOps.Load(ref x3, i), even3);
            i += width;
            (even0, odd0, even1, odd1, even2, odd2, even3, odd3) = (odd0, even0, odd1, even1, odd2, even2, odd3, even3);
        }
        if (i < taps)
        {
            int last = taps - width;
            TVector ct = TOps.TailCoefficients(ref c, last, taps - i);
            even0 = TOps.MultiplyAdd(ct, TOps.Load(ref x0, last), even0);
            even1 = TOps.MultiplyAdd(ct, TOps.Load(ref x1, last), even1);
            even2 = TOps.MultiplyAdd(ct, TOps.Load(ref x2, last), even2);
            even3 = TOps.MultiplyAdd(ct, TOps.Load(ref x3, last), even3);
        }
        destination[0] = TOps.Sum(even0, odd0);
        destination[destinationStride] = TOps.Sum(even1, odd1);
        destination[2 * destinationStride] = TOps.Sum(even2, odd2);
        destination[3 * destinationStride] = TOps.Sum(even3, odd3);
    }

    /// <summary>A mask whose last <paramref name="lanes"/> of <paramref name="width"/> lanes are all ones, the others zero.</summary>
    private static ref uint TailMask(int width, int lanes) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(TailMaskSource), 16 - width + lanes);

    /// <summary>The vector operations of the kernel for one width; a struct, so each width is compiled apart and inlined.</summary>
    private interface IVectorOps<TVector>
        where TVector : struct
    {
        /// <summary>Floats per vector.</summary>
        static abstract int Width { get; }

        static abstract TVector Load(ref float source, int index);

        /// <summary>a × b + c, rounded once.</summary>
        static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

        /// <summary>The chunk of coefficients from <paramref name="index"/> with all but its last <paramref name="lanes"/> lanes zeroed.</summary>
        static abstract TVector TailCoefficients(ref float source, int index, int lanes);

        /// <summary>The horizontal sum of <c>a + b</c>.</summary>
        static abstract float Sum(TVector a, TVector b);
    }

    private readonly struct Ops256 : IVectorOps<Vector256<float>>
    {
        public static int Width => Vector256<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load(ref float source, int index) => Vector256.LoadUnsafe(ref source, (nuint)index);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Fma.MultiplyAdd(a, b, c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> TailCoefficients(ref float source, int index, int lanes) =>
            Load(ref source, index) & Vector256.LoadUnsafe(ref TailMask(Width, lanes)).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Sum(Vector256<float> a, Vector256<float> b) => Vector256.Sum(a + b);
    }

    private readonly struct Ops512 : IVectorOps<Vector512<float>>
    {
        public static int Width => Vector512<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load(ref float source, int index) => Vector512.LoadUnsafe(ref source, (nuint)index);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> TailCoefficients(ref float source, int index, int lanes) =>
            Load(ref source, index) & Vector512.LoadUnsafe(ref TailMask(Width, lanes)).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Sum(Vector512<float> a, Vector512<float> b) => Vector512.Sum(a + b);
    }
}
