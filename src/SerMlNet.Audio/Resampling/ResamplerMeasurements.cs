namespace SerMlNet.Audio.Resampling;

/// <summary>
/// Measurements of a <see cref="Resampler"/> with test tones and against reference signals: the figures
/// <c>ser bench resampler</c> prints and the tests assert. Stateless and thread-safe.
/// </summary>
public static class ResamplerMeasurements
{
    private const double ToneAmplitude = 0.5;

    /// <summary>
    /// Gain of one test tone in dB: a sine of <paramref name="toneHz"/> at the input rate is resampled and the output
    /// component at <paramref name="measureHz"/> (default: the tone itself, or its alias when it lies above the output
    /// Nyquist frequency) is fitted by least squares over the steady-state middle of the output.
    /// </summary>
    /// <param name="resampler">The resampler.</param>
    /// <param name="toneHz">Input tone frequency in Hz, below the input Nyquist frequency.</param>
    /// <param name="measureHz">Output frequency to measure, below the output Nyquist frequency; null for the tone or its alias.</param>
    /// <param name="seconds">Tone duration; default 1 s.</param>
    /// <returns>20 log10(output amplitude / input amplitude).</returns>
    public static double ToneGainDb(Resampler resampler, double toneHz, double? measureHz = null, double seconds = 1.0)
    {
        ArgumentNullException.ThrowIfNull(resampler);
        int fin = resampler.InputRate, fout = resampler.OutputRate;
        int n = (int)(seconds * fin);
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)(ToneAmplitude * Math.Sin(2 * Math.PI * toneHz * i / fin));
        }
        float[] y = resampler.Process(x);
        double f = measureHz ?? Alias(toneHz, fout);
        // Skip the edges where the filter sees the zero padding.
        int margin = (int)Math.Ceiling(resampler.TapsPerOutput * (double)fout / fin) + 2;
        int from = margin, to = y.Length - margin;
        if (to - from < 64)
        {
            throw new ArgumentException("tone too short for the filter length", nameof(seconds));
        }
        // Fit every component the output can hold (the tone, its aliases or images) jointly, so that a strong
        // component close in frequency cannot leak into the one measured.
        var frequencies = new List<double> { f / fout };
        foreach (double c in Components(toneHz, fin, fout))
        {
            if (Math.Abs(c - f) > 1e-6)
            {
                frequencies.Add(c / fout);
            }
        }
        double amplitude = FitAmplitudes(y.AsSpan(from, to - from), from, frequencies)[0];
        return 20 * Math.Log10(Math.Max(amplitude, 1e-300) / ToneAmplitude);
    }

    /// <summary>
    /// Stop-band attenuation in dB (a positive number): the smallest rejection over test tones every 50 Hz across the
    /// stop band. Downsampling: input tones from the output Nyquist frequency (+25 Hz) up to the input Nyquist
    /// frequency, measured at their aliases. Upsampling: input tones across the pass band, measured at their first
    /// image <c>inputRate - f</c>.
    /// </summary>
    /// <param name="resampler">The resampler.</param>
    /// <returns>Minimum attenuation in dB and the tone frequency where it occurs.</returns>
    public static (double AttenuationDb, double AtHz) StopbandAttenuation(Resampler resampler)
    {
        ArgumentNullException.ThrowIfNull(resampler);
        int fin = resampler.InputRate, fout = resampler.OutputRate;
        double worst = double.PositiveInfinity, at = 0;
        if (fout < fin)
        {
            for (double f = fout / 2.0 + 25; f < fin / 2.0 - 10; f += 50)
            {
                double g = -ToneGainDb(resampler, f);
                if (g < worst)
                {
                    (worst, at) = (g, f);
                }
            }
        }
        else
        {
            for (double f = 25; f < fin / 2.0 - 10; f += 50)
            {
                double g = -ToneGainDb(resampler, f, fin - f);
                if (g < worst)
                {
                    (worst, at) = (g, fin - f);
                }
            }
        }
        return (worst, at);
    }

    /// <summary>
    /// Pass-band ripple in dB: maximum minus minimum tone gain over tones every 50 Hz from 50 Hz up to the flat pass-band
    /// edge (<see cref="Resampler.PassbandEdgeHz"/>), plus the largest deviation from 0 dB.
    /// </summary>
    /// <param name="resampler">The resampler.</param>
    /// <returns>Peak-to-peak ripple and maximum absolute deviation, both in dB.</returns>
    public static (double PeakToPeakDb, double MaxDeviationDb) PassbandRipple(Resampler resampler)
    {
        ArgumentNullException.ThrowIfNull(resampler);
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity, dev = 0;
        for (double f = 50; f <= resampler.PassbandEdgeHz; f += 50)
        {
            double g = ToneGainDb(resampler, f);
            lo = Math.Min(lo, g);
            hi = Math.Max(hi, g);
            dev = Math.Max(dev, Math.Abs(g));
        }
        return (hi - lo, dev);
    }

    /// <summary>Signal-to-noise ratio of <paramref name="test"/> against <paramref name="reference"/>: 10 log10(Σ ref² / Σ (ref - test)²).</summary>
    /// <param name="reference">The reference signal.</param>
    /// <param name="test">The signal compared; same length.</param>
    /// <returns>SNR in dB (positive infinity when identical).</returns>
    public static double SnrDb(ReadOnlySpan<float> reference, ReadOnlySpan<float> test)
    {
        if (reference.Length != test.Length)
        {
            throw new ArgumentException($"lengths differ: {reference.Length} vs {test.Length}");
        }
        double signal = 0, noise = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double r = reference[i];
            double d = r - test[i];
            signal += r * r;
            noise += d * d;
        }
        return noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
    }

    private static double Alias(double f, double rate)
    {
        double m = f % rate;
        return m > rate / 2 ? rate - m : m;
    }

    /// <summary>Frequencies (Hz, below the output Nyquist frequency) at which a tone of toneHz at rate fin can appear after resampling to fout.</summary>
    private static IEnumerable<double> Components(double toneHz, int fin, int fout)
    {
        var seen = new HashSet<long>();
        for (int k = 0; k * (double)fin <= fout / 2.0 + fin; k++)
        {
            foreach (double c in new[] { k * (double)fin + toneHz, k * (double)fin - toneHz })
            {
                double a = Alias(Math.Abs(c), fout);
                if (a > 1 && a < fout / 2.0 - 1 && seen.Add((long)Math.Round(a * 1000)))
                {
                    yield return a;
                }
            }
        }
    }

    /// <summary>
    /// Joint least-squares fit of sinusoids at the given normalised frequencies (cycles per sample); returns each one's
    /// amplitude.
    /// </summary>
    private static double[] FitAmplitudes(ReadOnlySpan<float> y, int offset, IReadOnlyList<double> cycles)
    {
        int k = 2 * cycles.Count;
        var ata = new double[k, k];
        var aty = new double[k];
        var basis = new double[k];
        for (int i = 0; i < y.Length; i++)
        {
            for (int c = 0; c < cycles.Count; c++)
            {
                (double s, double co) = Math.SinCos(2 * Math.PI * cycles[c] * (i + offset));
                basis[2 * c] = co;
                basis[2 * c + 1] = s;
            }
            for (int r = 0; r < k; r++)
            {
                aty[r] += basis[r] * y[i];
                for (int q = r; q < k; q++)
                {
                    ata[r, q] += basis[r] * basis[q];
                }
            }
        }
        for (int r = 0; r < k; r++)
        {
            for (int q = 0; q < r; q++)
            {
                ata[r, q] = ata[q, r];
            }
        }
        double[] coef = Solve(ata, aty);
        var amplitudes = new double[cycles.Count];
        for (int c = 0; c < cycles.Count; c++)
        {
            amplitudes[c] = Math.Sqrt(coef[2 * c] * coef[2 * c] + coef[2 * c + 1] * coef[2 * c + 1]);
        }
        return amplitudes;
    }

    /// <summary>Gaussian elimination with partial pivoting; near-singular columns (e.g. sine at Nyquist) get 0.</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var v = (double[])b.Clone();
        double scale = 0;
        for (int i = 0; i < n; i++)
        {
            scale = Math.Max(scale, Math.Abs(m[i, i]));
        }
        var skip = new bool[n];
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
            {
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = r;
                }
            }
            if (Math.Abs(m[pivot, col]) < 1e-9 * scale)
            {
                skip[col] = true;
                continue;
            }
            if (pivot != col)
            {
                for (int q = 0; q < n; q++)
                {
                    (m[col, q], m[pivot, q]) = (m[pivot, q], m[col, q]);
                }
                (v[col], v[pivot]) = (v[pivot], v[col]);
            }
            for (int r = 0; r < n; r++)
            {
                if (r == col)
                {
                    continue;
                }
                double factor = m[r, col] / m[col, col];
                if (factor == 0)
                {
                    continue;
                }
                for (int q = col; q < n; q++)
                {
                    m[r, q] -= factor * m[col, q];
                }
                v[r] -= factor * v[col];
            }
        }
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = skip[i] ? 0 : v[i] / m[i, i];
        }
        return x;
    }
}
