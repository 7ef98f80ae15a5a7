using SerMlNet.Audio.Spectral;

namespace SerMlNet.Audio.Effects;

/// <summary>
/// Phase-vocoder time scaling of a complex STFT, as <c>librosa.phase_vocoder</c>: output frame t reads the input at
/// fractional frame <c>t * rate</c>, interpolates the magnitudes of the two neighbouring frames linearly and advances
/// each bin's phase by its expected advance plus the measured (wrapped) deviation. Computed in double precision,
/// stored as complex64. Stateless and thread-safe.
/// </summary>
public static class PhaseVocoder
{
    /// <summary>Time-scales a spectrum by <paramref name="rate"/> (> 1 is faster/shorter, &lt; 1 slower/longer).</summary>
    /// <param name="spectrum">Complex STFT [bins, frames].</param>
    /// <param name="rate">Speed-up factor; positive.</param>
    /// <param name="hopLength">Hop of the STFT in samples (librosa's default is <c>NFft / 4</c>).</param>
    /// <returns>A spectrum of <c>ceil(frames / rate)</c> frames.</returns>
    public static ComplexSpectrogram Stretch(ComplexSpectrogram spectrum, double rate, int hopLength)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        if (!(rate > 0) || double.IsInfinity(rate))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "must be positive and finite");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hopLength);
        int bins = spectrum.Bins;
        int frames = spectrum.Frames;
        int outFrames = (int)Math.Ceiling(frames / rate);
        var re = new float[bins * outFrames];
        var im = new float[bins * outFrames];
        if (frames == 0)
        {
            return new ComplexSpectrogram(bins, 0, re, im);
        }
        // phi_advance = linspace(0, pi * hop, bins)
        var advance = new double[bins];
        for (int k = 0; k < bins; k++)
        {
            advance[k] = bins == 1 ? 0 : k * (Math.PI * hopLength / (bins - 1));
        }
        var phase = new double[bins];
        for (int k = 0; k < bins; k++)
        {
            phase[k] = Math.Atan2(spectrum.Imag[k * frames], spectrum.Real[k * frames]);
        }
        for (int t = 0; t < outFrames; t++)
        {
            double step = t * rate;
            int i = (int)step;
            double alpha = step - Math.Floor(step);
            for (int k = 0; k < bins; k++)
            {
                (double r0, double i0) = Column(spectrum, k, i);
                (double r1, double i1) = Column(spectrum, k, i + 1);
                double mag = (1 - alpha) * Math.Sqrt(r0 * r0 + i0 * i0) + alpha * Math.Sqrt(r1 * r1 + i1 * i1);
                (double s, double c) = Math.SinCos(phase[k]);
                re[k * outFrames + t] = (float)(mag * c);
                im[k * outFrames + t] = (float)(mag * s);
                double dphase = Math.Atan2(i1, r1) - Math.Atan2(i0, r0) - advance[k];
                dphase -= 2 * Math.PI * Math.Round(dphase / (2 * Math.PI), MidpointRounding.ToEven);
                phase[k] += advance[k] + dphase;
            }
        }
        return new ComplexSpectrogram(bins, outFrames, re, im);
    }

    /// <summary>Bin k of frame i, zero past the last frame (librosa pads two zero frames).</summary>
    private static (double Re, double Im) Column(ComplexSpectrogram s, int k, int i) =>
        i < s.Frames ? (s.Real[k * s.Frames + i], s.Imag[k * s.Frames + i]) : (0, 0);
}
