using System.Collections.Concurrent;
using System.Numerics.Tensors;

namespace SerMlNet.Audio.Resampling;

/// <summary>
/// Band-limited sample-rate conversion between any two integer rates: a linear-phase polyphase FIR (windowed sinc,
/// Kaiser window) for the rational ratio <c>L / M</c> = <c>outputRate / inputRate</c> reduced by their gcd. The filter
/// follows SoX's <c>rate -v</c> design: response 3 dB down at <see cref="Bandwidth"/> (95 %) of the lower Nyquist
/// frequency, flat (0 dB) to about 91 %, stop band from the lower Nyquist frequency on, designed for
/// <see cref="DesignAttenuationDb"/> of rejection. The filter is centred (zero delay): output sample j is the
/// band-limited input evaluated at input time <c>j * M / L</c>; the signal is taken as zero outside its ends; the
/// output has <c>round(n * L / M)</c> samples, as SoX produces. Filtering runs in double precision. Coefficient tables
/// are built once per ratio and cached; instances are immutable and thread-safe.
/// </summary>
public sealed class Resampler
{
    /// <summary>The -3 dB point as a fraction of the lower of the two Nyquist frequencies (SoX's default 95 %).</summary>
    public const double Bandwidth = 0.95;

    /// <summary>Stop-band rejection the Kaiser window is designed for, in dB (SoX <c>-v</c>: 28-bit, ≈ 170 dB).</summary>
    public const double DesignAttenuationDb = 170;

    /// <summary>Largest polyphase table (L phases) built exactly; larger L interpolate a finely sampled kernel.</summary>
    private const int MaxExactPhases = 2048;

    private const int KernelOversampling = 4096;

    private static readonly ConcurrentDictionary<(int L, int M), Design> Designs = new();

    private readonly Design _design;

    /// <summary>Creates a resampler.</summary>
    /// <param name="inputRate">Input sample rate in Hz; positive.</param>
    /// <param name="outputRate">Output sample rate in Hz; positive.</param>
    public Resampler(int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        InputRate = inputRate;
        OutputRate = outputRate;
        int g = Gcd(inputRate, outputRate);
        UpFactor = outputRate / g;
        DownFactor = inputRate / g;
        _design = Designs.GetOrAdd((UpFactor, DownFactor), static key => new Design(key.L, key.M));
    }

    /// <summary>Input sample rate in Hz.</summary>
    public int InputRate { get; }

    /// <summary>Output sample rate in Hz.</summary>
    public int OutputRate { get; }

    /// <summary>Interpolation factor L = outputRate / gcd.</summary>
    public int UpFactor { get; }

    /// <summary>Decimation factor M = inputRate / gcd.</summary>
    public int DownFactor { get; }

    /// <summary>Input samples each output sample is computed from.</summary>
    public int TapsPerOutput => _design.Taps;

    /// <summary>Upper edge of the flat (0 dB) pass band in Hz (about 91 % of the lower Nyquist frequency).</summary>
    public double PassbandEdgeHz => _design.PassEdge * Math.Min(InputRate, OutputRate) / 2;

    /// <summary>The -3 dB frequency in Hz (<see cref="Bandwidth"/> of the lower Nyquist frequency).</summary>
    public double Minus3DbHz => Bandwidth * Math.Min(InputRate, OutputRate) / 2;

    /// <summary>Start of the stop band in Hz: the lower Nyquist frequency.</summary>
    public double StopbandEdgeHz => Math.Min(InputRate, OutputRate) / 2.0;

    /// <summary>Output length for <paramref name="inputLength"/> input samples: <c>round(inputLength * L / M)</c>.</summary>
    /// <param name="inputLength">Input samples; non-negative.</param>
    /// <returns>Output samples.</returns>
    public int GetOutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        long n = ((long)inputLength * UpFactor + DownFactor / 2) / DownFactor;
        return checked((int)n);
    }

    /// <summary>Resamples a whole signal.</summary>
    /// <param name="input">Samples at <see cref="InputRate"/>.</param>
    /// <returns><see cref="GetOutputLength"/> samples at <see cref="OutputRate"/>.</returns>
    public float[] Process(ReadOnlySpan<float> input)
    {
        var output = new float[GetOutputLength(input.Length)];
        Process(input, output);
        return output;
    }

    /// <summary>Resamples a whole signal into caller-owned memory.</summary>
    /// <param name="input">Samples at <see cref="InputRate"/>.</param>
    /// <param name="destination">At least <see cref="GetOutputLength"/> samples.</param>
    /// <returns>The number of samples written.</returns>
    public int Process(ReadOnlySpan<float> input, Span<float> destination)
    {
        int outLength = GetOutputLength(input.Length);
        if (destination.Length < outLength)
        {
            throw new ArgumentException($"destination holds {destination.Length} samples, needs {outLength}", nameof(destination));
        }
        if (UpFactor == 1 && DownFactor == 1)
        {
            input.CopyTo(destination);
            return outLength;
        }
        int d = _design.Reach;
        // Zero-padded double copy so every tap window is in range.
        var x = new double[input.Length + 2 * d + 1];
        for (int i = 0; i < input.Length; i++)
        {
            x[d + i] = input[i];
        }
        int taps = _design.Taps;
        double[]? scratch = _design.Exact ? null : new double[taps];
        long l = UpFactor, m = DownFactor;
        for (int j = 0; j < outLength; j++)
        {
            long p = j * m;
            int i0 = (int)(p / l);
            int phase = (int)(p % l);
            ReadOnlySpan<double> coefficients = _design.Exact
                ? _design.Phase(phase)
                : _design.Interpolate((double)phase / l, scratch!);
            // Taps cover input indices i0 - d .. i0 + d, i.e. x[i0 .. i0 + 2d] in the padded copy.
            destination[j] = (float)TensorPrimitives.Dot(coefficients, x.AsSpan(i0, taps));
        }
        return outLength;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }
        return a;
    }

    /// <summary>Filter tables for one ratio L / M.</summary>
    private sealed class Design
    {
        private readonly double[] _table;
        private readonly KaiserSinc _kernel;

        public Design(int l, int m)
        {
            // Frequencies as fractions of the lower Nyquist frequency; times in input samples.
            double rej = DesignAttenuationDb;
            double to3Db = (1.6e-6 * rej - 7.5e-4) * rej + 0.646; // SoX's -3 dB to 0 dB transition ratio.
            PassEdge = 1 - (1 - Bandwidth) / to3Db;
            const double stopEdge = 1.0;
            double lowerNyquistOverInputRate = Math.Min(1.0, (double)l / m) / 2; // lower Nyquist / input rate
            double cutoff = (PassEdge + stopEdge) / 2 * lowerNyquistOverInputRate;
            double transition = (stopEdge - PassEdge) * lowerNyquistOverInputRate; // cycles per input sample
            double halfWidth = (rej - 7.95) / (14.36 * transition) / 2;
            _kernel = new KaiserSinc(cutoff, halfWidth, rej);
            Reach = (int)Math.Ceiling(halfWidth) + 1;
            Taps = 2 * Reach + 1;
            L = l;
            Exact = l <= MaxExactPhases;
            if (Exact)
            {
                _table = new double[l * Taps];
                for (int phase = 0; phase < l; phase++)
                {
                    double frac = (double)phase / l;
                    for (int k = 0; k < Taps; k++)
                    {
                        int e = k - Reach;
                        _table[phase * Taps + k] = _kernel.Evaluate(frac - e);
                    }
                }
            }
            else
            {
                int samples = (int)Math.Ceiling((Reach + 1) * (double)KernelOversampling) + 2;
                _table = new double[samples];
                for (int s = 0; s < samples; s++)
                {
                    _table[s] = _kernel.Evaluate(s / (double)KernelOversampling);
                }
            }
        }

        public int L { get; }

        public int Reach { get; }

        public int Taps { get; }

        public bool Exact { get; }

        public double PassEdge { get; }

        public ReadOnlySpan<double> Phase(int phase) => _table.AsSpan(phase * Taps, Taps);

        /// <summary>Coefficients for a fractional position, linearly interpolated from the oversampled kernel.</summary>
        public ReadOnlySpan<double> Interpolate(double frac, double[] scratch)
        {
            for (int k = 0; k < Taps; k++)
            {
                double tau = Math.Abs(frac - (k - Reach)) * KernelOversampling;
                int s = (int)tau;
                double f = tau - s;
                scratch[k] = s + 1 < _table.Length ? _table[s] + f * (_table[s + 1] - _table[s]) : 0;
            }
            return scratch;
        }
    }
}
