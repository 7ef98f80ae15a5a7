using SerMlNet.Audio.Spectral;

namespace SerMlNet.Audio.Tests.Spectral;

public sealed class StftTests
{
    private static float[] Noise(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
    }

    [Fact]
    public void Frame_count_follows_librosa()
    {
        var centred = new Stft(new StftOptions());
        Assert.Equal(1 + 57657 / 160, centred.GetFrameCount(57657));
        Assert.Equal(1, centred.GetFrameCount(0));
        var plain = new Stft(new StftOptions { Center = false });
        Assert.Equal(0, plain.GetFrameCount(1000));
        Assert.Equal(1 + (5000 - 1024) / 160, plain.GetFrameCount(5000));
    }

    [Theory]
    [InlineData(1024, 160, null, PadMode.Constant)]
    [InlineData(1024, 256, null, PadMode.Reflect)]
    [InlineData(512, 128, 400, PadMode.Constant)]
    [InlineData(400, 100, null, PadMode.Reflect)] // non-power-of-two FFT
    public void Inverse_of_forward_reconstructs_the_signal(int nFft, int hop, int? win, PadMode pad)
    {
        float[] x = Noise(8000, nFft);
        var stft = new Stft(new StftOptions { NFft = nFft, HopLength = hop, WinLength = win, PadMode = pad });
        ComplexSpectrogram spectrum = stft.Forward(x);
        Assert.Equal(stft.Bins, spectrum.Bins);
        Assert.Equal(stft.GetFrameCount(x.Length), spectrum.Frames);
        float[] y = stft.Inverse(spectrum, x.Length);
        Assert.Equal(x.Length, y.Length);
        double maxErr = 0;
        for (int i = 0; i < x.Length; i++)
        {
            maxErr = Math.Max(maxErr, Math.Abs(x[i] - y[i]));
        }
        Assert.True(maxErr < 1e-5, $"max reconstruction error {maxErr}");
    }

    [Fact]
    public void Inverse_without_length_drops_the_centring_padding()
    {
        var stft = new Stft(new StftOptions { NFft = 256, HopLength = 64 });
        float[] x = Noise(6400, 3);
        float[] y = stft.Inverse(stft.Forward(x));
        Assert.Equal(256 + 64 * (stft.GetFrameCount(x.Length) - 1) - 256, y.Length);
    }

    [Fact]
    public void Power_of_a_bin_centred_sine_peaks_in_its_bin()
    {
        int n = 16000;
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)Math.Sin(2 * Math.PI * 1000 * i / 16000.0); // 1000 Hz = bin 64 of 1024 at 16 kHz
        }
        var stft = new Stft(new StftOptions());
        FeatureMatrix p = stft.ComputeSpectrogram(x);
        int mid = p.Columns / 2;
        int best = 0;
        for (int k = 1; k < p.Rows; k++)
        {
            if (p[k, mid] > p[best, mid])
            {
                best = k;
            }
        }
        Assert.Equal(64, best);
        // Periodic Hann: amplitude 1 sine gives |X| = N/4 at the peak bin.
        Assert.InRange(Math.Sqrt(p[64, mid]), 256 * 0.999, 256 * 1.001);
        // Power 1 gives the magnitude.
        FeatureMatrix mag = stft.ComputeSpectrogram(x, power: 1f);
        Assert.InRange(mag[64, mid], 255.7f, 256.3f);
    }

    [Fact]
    public void Reflect_padding_mirrors_without_repeating_the_edge()
    {
        // With reflect padding, the first frame of [a, b, c, ...] sees [..., c, b | a, b, c, ...]:
        // compare against a manually padded, non-centred STFT.
        float[] x = Noise(3000, 9);
        var centred = new Stft(new StftOptions { NFft = 64, HopLength = 16, PadMode = PadMode.Reflect });
        var padded = new float[x.Length + 64];
        for (int i = 0; i < 32; i++)
        {
            padded[31 - i] = x[i + 1];
            padded[32 + x.Length + i] = x[x.Length - 2 - i];
        }
        x.CopyTo(padded, 32);
        var plain = new Stft(new StftOptions { NFft = 64, HopLength = 16, Center = false });
        Assert.Equal(plain.ComputeSpectrogram(padded).Data, centred.ComputeSpectrogram(x).Data);
    }

    [Fact]
    public void Window_is_periodic_hann_centred_in_the_frame()
    {
        double[] w = Windows.PeriodicHann(4, 8);
        Assert.Equal([0, 0, 0, 0.5, 1, 0.5, 0, 0], w.Select(v => Math.Round(v, 12)).ToArray());
    }

    [Fact]
    public void Options_validation_reports_every_bad_field()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new StftOptions { NFft = 1, HopLength = 0, WinLength = 5 }.Validate());
        Assert.Equal(3, ex.Errors.Count);
        Assert.Equal(nameof(StftOptions), ex.OptionsType);
    }
}
