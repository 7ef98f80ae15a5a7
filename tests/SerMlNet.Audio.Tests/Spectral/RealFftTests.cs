using SerMlNet.Audio.Spectral;

namespace SerMlNet.Audio.Tests.Spectral;

public sealed class RealFftTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(1024)]
    [InlineData(2048)]
    [InlineData(6)] // even, non-power-of-two half (Bluestein inside)
    [InlineData(400)]
    [InlineData(1000)]
    [InlineData(7)] // odd
    [InlineData(441)]
    [InlineData(1023)]
    public void Forward_matches_naive_dft(int n)
    {
        var rng = new Random(n);
        double[] x = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var fft = RealFft.Get(n);
        var re = new double[fft.Bins];
        var im = new double[fft.Bins];
        fft.Forward(x, re, im);
        double scale = Math.Sqrt(n);
        for (int k = 0; k < fft.Bins; k++)
        {
            double sr = 0, si = 0;
            for (int t = 0; t < n; t++)
            {
                double angle = -2 * Math.PI * ((long)k * t % n) / n;
                sr += x[t] * Math.Cos(angle);
                si += x[t] * Math.Sin(angle);
            }
            Assert.True(Math.Abs(sr - re[k]) < 1e-12 * scale * 10, $"n={n} bin {k} real {re[k]} vs {sr}");
            Assert.True(Math.Abs(si - im[k]) < 1e-12 * scale * 10, $"n={n} bin {k} imag {im[k]} vs {si}");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(16)]
    [InlineData(1024)]
    [InlineData(400)]
    [InlineData(9)]
    [InlineData(1023)]
    public void Inverse_undoes_forward(int n)
    {
        var rng = new Random(100 + n);
        double[] x = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var fft = RealFft.Get(n);
        var re = new double[fft.Bins];
        var im = new double[fft.Bins];
        fft.Forward(x, re, im);
        var back = new double[n];
        fft.Inverse(re, im, back);
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(x[i] - back[i]) < 1e-13, $"n={n} sample {i}: {back[i]} vs {x[i]}");
        }
    }

    [Fact]
    public void Inverse_ignores_imaginary_parts_of_dc_and_nyquist_like_numpy()
    {
        var fft = RealFft.Get(8);
        double[] re = [1, 0, 0, 0, 1];
        double[] a = new double[8], b = new double[8];
        fft.Inverse(re, new double[5], a);
        fft.Inverse(re, [5, 0, 0, 0, -3], b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Instances_are_cached_per_size() => Assert.Same(RealFft.Get(512), RealFft.Get(512));

    [Fact]
    public void Wrong_lengths_throw()
    {
        var fft = RealFft.Get(16);
        Assert.Throws<ArgumentException>(() => fft.Forward(new double[15], new double[9], new double[9]));
        Assert.Throws<ArgumentException>(() => fft.Forward(new double[16], new double[8], new double[9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RealFft.Get(0));
    }
}
