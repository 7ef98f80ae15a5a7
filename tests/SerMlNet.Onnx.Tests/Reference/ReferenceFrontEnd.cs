using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Normalisation;
namespace SerMlNet.Onnx.Tests.Reference;

/// <summary>
/// The log-Mel front end of <see cref="FrontEndDescription"/> written the plain way in double precision: numpy-style
/// centre padding, a direct DFT per frame with the periodic Hann window, Mel projection, librosa's
/// <c>power_to_db(ref=np.max, amin, top_db)</c>, fixed length (crop by alignment / pad with the minimum) and
/// normalisation. Independent of the graph builder (its own window and DFT).
/// </summary>
internal static class ReferenceFrontEnd
{
    /// <summary>Computes the CNN input for one signal.</summary>
    /// <param name="fe">The front end.</param>
    /// <param name="signal">Mono samples.</param>
    /// <returns>[NMels, Frames] row-major.</returns>
    public static float[] Compute(FrontEndDescription fe, ReadOnlySpan<float> signal)
    {
        double[] db = LogMelDb(fe, signal, out int frames);
        double[] fixedLength = FixLength(db, fe.NMels, frames, fe.Frames, fe.CropAlignment);
        double[] normalised = Normalise(fe, fixedLength);
        return normalised.Select(v => (float)v).ToArray();
    }

    /// <summary>The dB matrix before the fixed-length step.</summary>
    /// <param name="fe">The front end.</param>
    /// <param name="signal">Mono samples.</param>
    /// <param name="frames">Frames of the result.</param>
    /// <returns>[NMels, frames] row-major.</returns>
    public static double[] LogMelDb(FrontEndDescription fe, ReadOnlySpan<float> signal, out int frames)
    {
        int nFft = fe.NFft, half = nFft / 2, bins = nFft / 2 + 1, win = fe.EffectiveWinLength;
        var padded = new double[signal.Length + 2 * half];
        for (int i = 0; i < padded.Length; i++)
        {
            int src = i - half;
            if (src >= 0 && src < signal.Length)
            {
                padded[i] = signal[src];
            }
            else if (fe.PadMode == PadMode.Reflect)
            {
                int r = src < 0 ? -src : 2 * (signal.Length - 1) - src;
                padded[i] = signal[r];
            }
        }
        var window = new double[nFft];
        int left = (nFft - win) / 2;
        for (int n = 0; n < win; n++)
        {
            window[left + n] = win == 1 ? 1.0 : 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / win);
        }
        frames = 1 + signal.Length / fe.HopLength;
        var mel = new double[fe.NMels * frames];
        var power = new double[bins];
        for (int t = 0; t < frames; t++)
        {
            int start = t * fe.HopLength;
            for (int k = 0; k < bins; k++)
            {
                double re = 0, im = 0;
                for (int n = 0; n < nFft; n++)
                {
                    double v = padded[start + n] * window[n];
                    double angle = 2 * Math.PI * ((long)k * n % nFft) / nFft;
                    re += v * Math.Cos(angle);
                    im -= v * Math.Sin(angle);
                }
                power[k] = Math.Pow(Math.Sqrt(re * re + im * im), fe.Power);
            }
            for (int m = 0; m < fe.NMels; m++)
            {
                double sum = 0;
                for (int k = 0; k < bins; k++)
                {
                    sum += fe.MelFilterbank[m * bins + k] * power[k];
                }
                mel[m * frames + t] = sum;
            }
        }
        double reference = 10 * Math.Log10(Math.Max(fe.Amin, mel.Max()));
        var db = mel.Select(v => 10 * Math.Log10(Math.Max(fe.Amin, v)) - reference).ToArray();
        if (fe.TopDb is float topDb)
        {
            double floor = db.Max() - topDb;
            for (int i = 0; i < db.Length; i++)
            {
                db[i] = Math.Max(db[i], floor);
            }
        }
        return db;
    }

    private static double[] FixLength(double[] x, int rows, int columns, int frames, CropAlignment alignment)
    {
        var y = new double[rows * frames];
        if (columns >= frames)
        {
            int offset = alignment switch
            {
                CropAlignment.Start => 0,
                CropAlignment.Center => (columns - frames) / 2,
                _ => columns - frames,
            };
            for (int r = 0; r < rows; r++)
            {
                Array.Copy(x, r * columns + offset, y, r * frames, frames);
            }
            return y;
        }
        double fill = x.Min();
        for (int r = 0; r < rows; r++)
        {
            Array.Copy(x, r * columns, y, r * frames, columns);
            Array.Fill(y, fill, r * frames + columns, frames - columns);
        }
        return y;
    }

    private static double[] Normalise(FrontEndDescription fe, double[] x)
    {
        switch (fe.Normalisation)
        {
            case FeatureNormalisation.Utterance:
            {
                double mean = x.Average();
                double std = Math.Sqrt(x.Select(v => (v - mean) * (v - mean)).Average());
                return x.Select(v => (v - mean) / (std + fe.NormalisationEpsilon)).ToArray();
            }
            case FeatureNormalisation.PerBand:
            {
                int frames = x.Length / fe.NMels;
                return x.Select((v, i) => (v - fe.BandMean![i / frames]) / (fe.BandStd![i / frames] + (double)fe.NormalisationEpsilon)).ToArray();
            }
            default:
                return x;
        }
    }
}
