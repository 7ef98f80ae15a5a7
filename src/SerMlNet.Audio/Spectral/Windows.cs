using System.Collections.Concurrent;

namespace SerMlNet.Audio.Spectral;

/// <summary>Analysis windows in double precision, built once per shape and cached. Thread-safe.</summary>
public static class Windows
{
    private static readonly ConcurrentDictionary<(int Win, int NFft), double[]> Cache = new();

    /// <summary>
    /// The periodic Hann window of <paramref name="winLength"/> samples (scipy <c>get_window('hann', N, fftbins=True)</c>),
    /// zero-padded to <paramref name="nFft"/> with the window centred (librosa <c>pad_center</c>: left padding
    /// <c>(nFft - winLength) / 2</c>). The returned array is shared: do not modify it.
    /// </summary>
    /// <param name="winLength">Window length, 1 ≤ winLength ≤ nFft.</param>
    /// <param name="nFft">Total length.</param>
    /// <returns>An array of <paramref name="nFft"/> values.</returns>
    public static double[] PeriodicHann(int winLength, int nFft)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(winLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(nFft, winLength);
        return Cache.GetOrAdd((winLength, nFft), static key =>
        {
            var w = new double[key.NFft];
            int left = (key.NFft - key.Win) / 2;
            if (key.Win == 1)
            {
                w[left] = 1.0;
                return w;
            }
            // scipy: general_cosine(N + 1, [0.5, 0.5]) truncated to N, with fac = linspace(-pi, pi, N + 1).
            int m = key.Win + 1;
            double step = 2.0 * Math.PI / (m - 1);
            for (int n = 0; n < key.Win; n++)
            {
                double fac = n * step + -Math.PI;
                w[left + n] = 0.5 + 0.5 * Math.Cos(fac);
            }
            return w;
        });
    }
}
