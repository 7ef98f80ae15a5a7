using System.Runtime.CompilerServices;
using System.Collections.Concurrent;

namespace SerMlNet.Audio.Spectral;

/// <summary>
/// A Mel filterbank exactly as <c>librosa.filters.mel</c> builds it: triangles computed in double precision from
/// <c>mel_frequencies</c> and <c>fft_frequencies</c>, stored as float32, then (Slaney norm) multiplied by the double
/// area factor and rounded to float32 again. Applying it skips the zero ends of each row. Instances are cached per
/// parameter set, immutable and thread-safe.
/// </summary>
public sealed class MelFilterbank
{
    private static readonly ConcurrentDictionary<(int, int, int, double, double, bool, MelNorm), MelFilterbank> Cache = new();

    private readonly float[] _weights;
    private readonly int[] _first;
    private readonly int[] _count;
    private readonly int[] _packedOffset;
    private readonly float[] _packed;

    private MelFilterbank(MelOptions options)
    {
        NMels = options.NMels;
        Bins = options.NFft / 2 + 1;
        _weights = Build(options);
        _first = new int[NMels];
        _count = new int[NMels];
        for (int m = 0; m < NMels; m++)
        {
            ReadOnlySpan<float> row = _weights.AsSpan(m * Bins, Bins);
            int lo = row.IndexOfAnyExcept(0f);
            if (lo < 0)
            {
                continue;
            }
            int hi = row.LastIndexOfAnyExcept(0f);
            _first[m] = lo;
            _count[m] = hi - lo + 1;
        }
        // The non-zero span of every row, packed contiguously for the projection loop.
        _packedOffset = new int[NMels + 1];
        for (int m = 0; m < NMels; m++)
        {
            _packedOffset[m + 1] = _packedOffset[m] + _count[m];
        }
        _packed = new float[_packedOffset[NMels]];
        for (int m = 0; m < NMels; m++)
        {
            _weights.AsSpan(m * Bins + _first[m], _count[m]).CopyTo(_packed.AsSpan(_packedOffset[m]));
        }
    }

    /// <summary>Number of Mel bands (rows).</summary>
    public int NMels { get; }

    /// <summary>Number of FFT bins (columns), <c>1 + NFft / 2</c>.</summary>
    public int Bins { get; }

    /// <summary>The filterbank for <paramref name="options"/>, built once and cached.</summary>
    /// <param name="options">Parameters; validated here.</param>
    /// <returns>A shared instance.</returns>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public static MelFilterbank Get(MelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var key = (options.SampleRate, options.NFft, options.NMels, options.FMin, options.EffectiveFMax, options.Htk, options.Norm);
        return Cache.GetOrAdd(key, _ => new MelFilterbank(options));
    }

    /// <summary>The weights as a new matrix [<see cref="NMels"/>, <see cref="Bins"/>] (librosa's orientation).</summary>
    /// <returns>A copy of the weights.</returns>
    public FeatureMatrix ToMatrix() => new(NMels, Bins, (float[])_weights.Clone());

    /// <summary>Projects one spectrum column onto the Mel bands: <c>mel[m] = sum_k W[m, k] * spectrum[k]</c> (float32).</summary>
    /// <param name="spectrum"><see cref="Bins"/> power (or magnitude) values.</param>
    /// <param name="destination"><see cref="NMels"/> outputs.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(ReadOnlySpan<float> spectrum, Span<float> destination)
    {
        if (spectrum.Length != Bins)
        {
            throw new ArgumentException($"spectrum has {spectrum.Length} bins, expected {Bins}", nameof(spectrum));
        }
        if (destination.Length < NMels)
        {
            throw new ArgumentException($"destination must hold {NMels} values", nameof(destination));
        }
        ReadOnlySpan<float> packed = _packed;
        for (int m = 0; m < NMels; m++)
        {
            int offset = _packedOffset[m];
            int count = _count[m];
            ReadOnlySpan<float> w = packed.Slice(offset, count);
            ReadOnlySpan<float> s = spectrum.Slice(_first[m], count);
            float sum = 0f;
            for (int k = 0; k < w.Length; k++)
            {
                sum += w[k] * s[k];
            }
            destination[m] = sum;
        }
    }

    /// <summary>Converts Hz to Mel (librosa <c>hz_to_mel</c>).</summary>
    /// <param name="hz">Frequency in Hz.</param>
    /// <param name="htk">HTK formula instead of Slaney's.</param>
    /// <returns>Mel value.</returns>
    public static double HzToMel(double hz, bool htk)
    {
        if (htk)
        {
            return 2595.0 * Math.Log10(1.0 + hz / 700.0);
        }
        const double fSp = 200.0 / 3;
        const double minLogHz = 1000.0;
        const double minLogMel = minLogHz / fSp;
        double logStep = Math.Log(6.4) / 27.0;
        return hz >= minLogHz ? minLogMel + Math.Log(hz / minLogHz) / logStep : hz / fSp;
    }

    /// <summary>Converts Mel to Hz (librosa <c>mel_to_hz</c>).</summary>
    /// <param name="mel">Mel value.</param>
    /// <param name="htk">HTK formula instead of Slaney's.</param>
    /// <returns>Frequency in Hz.</returns>
    public static double MelToHz(double mel, bool htk)
    {
        if (htk)
        {
            return 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);
        }
        const double fSp = 200.0 / 3;
        const double minLogHz = 1000.0;
        const double minLogMel = minLogHz / fSp;
        double logStep = Math.Log(6.4) / 27.0;
        return mel >= minLogMel ? minLogHz * Math.Exp(logStep * (mel - minLogMel)) : fSp * mel;
    }

    private static float[] Build(MelOptions o)
    {
        int nMels = o.NMels;
        int bins = o.NFft / 2 + 1;
        // fft_frequencies = np.fft.rfftfreq(n_fft, d=1/sr): k * (1 / (n_fft * d)).
        double d = 1.0 / o.SampleRate;
        double val = 1.0 / (o.NFft * d);
        var fftFreqs = new double[bins];
        for (int k = 0; k < bins; k++)
        {
            fftFreqs[k] = k * val;
        }
        // mel_frequencies(n_mels + 2, fmin, fmax): np.linspace over the Mel range, then back to Hz.
        int n = nMels + 2;
        double minMel = HzToMel(o.FMin, o.Htk);
        double maxMel = HzToMel(o.EffectiveFMax, o.Htk);
        double step = (maxMel - minMel) / (n - 1);
        var melF = new double[n];
        for (int i = 0; i < n; i++)
        {
            double mel = i == n - 1 ? maxMel : i * step + minMel;
            melF[i] = MelToHz(mel, o.Htk);
        }
        var weights = new float[nMels * bins];
        for (int i = 0; i < nMels; i++)
        {
            double fdiffLo = melF[i + 1] - melF[i];
            double fdiffHi = melF[i + 2] - melF[i + 1];
            double enorm = 2.0 / (melF[i + 2] - melF[i]);
            for (int k = 0; k < bins; k++)
            {
                double lower = -(melF[i] - fftFreqs[k]) / fdiffLo;
                double upper = (melF[i + 2] - fftFreqs[k]) / fdiffHi;
                float w = (float)Math.Max(0.0, Math.Min(lower, upper));
                if (o.Norm == MelNorm.Slaney)
                {
                    w = (float)(w * enorm);
                }
                weights[i * bins + k] = w;
            }
        }
        return weights;
    }
}
