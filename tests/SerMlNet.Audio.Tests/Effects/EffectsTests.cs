using SerMlNet.Audio.Effects;
using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Spectral;
using Xunit.Abstractions;

namespace SerMlNet.Audio.Tests.Effects;

public sealed class EffectsTests(ITestOutputHelper output)
{
    private const int Rate = 16000;

    private static float[] Tone(double hz, double seconds, double amplitude = 0.5)
    {
        var x = new float[(int)(seconds * Rate)];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / Rate));
        }
        return x;
    }

    /// <summary>Dominant frequency of the middle half: the peak of a fine least-squares sinusoid scan.</summary>
    private static double DominantHz(float[] y)
    {
        int from = y.Length / 4, to = 3 * y.Length / 4;
        double best = 0, bestPower = -1;
        for (double f = 300; f <= 700; f += 0.25)
        {
            double sc = 0, ss = 0;
            for (int i = from; i < to; i++)
            {
                (double s, double c) = Math.SinCos(2 * Math.PI * f * i / Rate);
                sc += y[i] * c;
                ss += y[i] * s;
            }
            double p = sc * sc + ss * ss;
            if (p > bestPower)
            {
                (best, bestPower) = (f, p);
            }
        }
        return best;
    }

    [Fact]
    public void Pitch_shift_up_two_semitones_moves_440_hz_to_493_9_hz()
    {
        float[] x = Tone(440, 1.0);
        float[] y = PitchShift.Apply(x, Rate, 2);
        Assert.Equal(x.Length, y.Length);
        double f = DominantHz(y);
        output.WriteLine($"440 Hz + 2 semitones -> {f} Hz (expected {440 * Math.Pow(2, 2 / 12.0):F1})");
        Assert.InRange(f, 493.88 * 0.99, 493.88 * 1.01);
        double rms = Math.Sqrt(y[(y.Length / 4)..(3 * y.Length / 4)].Average(v => (double)v * v));
        Assert.InRange(rms, 0.5 / Math.Sqrt(2) * 0.8, 0.5 / Math.Sqrt(2) * 1.2);
    }

    [Fact]
    public void Pitch_shift_down_three_semitones()
    {
        double f = DominantHz(PitchShift.Apply(Tone(440, 1.0), Rate, -3));
        Assert.InRange(f, 369.99 * 0.99, 369.99 * 1.01);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(2047)]
    [InlineData(12345)]
    public void Pitch_shift_keeps_any_length_and_zero_steps_is_a_copy(int length)
    {
        float[] x = Tone(440, length / (double)Rate);
        float[] up = PitchShift.Apply(x, Rate, 1.5);
        Assert.Equal(x.Length, up.Length);
        Assert.All(up, v => Assert.True(float.IsFinite(v)));
        float[] same = PitchShift.Apply(x, Rate, 0);
        Assert.Equal(x, same);
        Assert.NotSame(x, same);
        Assert.Throws<ArgumentOutOfRangeException>(() => PitchShift.Apply(x, Rate, double.NaN));
    }

    [Fact]
    public void Time_stretch_rate_1_25_shortens_by_1_over_1_25_and_keeps_pitch()
    {
        float[] x = Tone(440, 2.0);
        float[] y = TimeStretch.Apply(x, 1.25);
        output.WriteLine($"{x.Length} -> {y.Length} samples");
        Assert.InRange(y.Length, x.Length / 1.25 * 0.99, x.Length / 1.25 * 1.01);
        Assert.Equal((int)Math.Round(x.Length / 1.25), y.Length);
        Assert.InRange(DominantHz(y), 440 * 0.99, 440 * 1.01);
    }

    [Fact]
    public void Time_stretch_rate_1_is_nearly_identity()
    {
        float[] x = Tone(440, 1.0);
        float[] y = TimeStretch.Apply(x, 1.0);
        Assert.Equal(x.Length, y.Length);
        double maxErr = 0;
        for (int i = 2048; i < x.Length - 2048; i++)
        {
            maxErr = Math.Max(maxErr, Math.Abs(x[i] - y[i]));
        }
        Assert.True(maxErr < 1e-3, $"max error {maxErr}");
    }

    [Fact]
    public void Phase_vocoder_frame_count_is_ceil_frames_over_rate()
    {
        var stft = new Stft(TimeStretch.DefaultStft);
        ComplexSpectrogram s = stft.Forward(Tone(300, 0.5));
        Assert.Equal((int)Math.Ceiling(s.Frames / 0.8), PhaseVocoder.Stretch(s, 0.8, 512).Frames);
        Assert.Throws<ArgumentOutOfRangeException>(() => PhaseVocoder.Stretch(s, 0, 512));
    }

    [Fact]
    public void Fractional_resampling_keeps_a_tone_and_rejects_above_nyquist()
    {
        float[] x = Tone(1000, 1.0);
        double ratio = Math.Pow(2, -2 / 12.0); // down by a non-rational factor
        float[] y = Resampler.ProcessRatio(x, ratio, (int)Math.Ceiling(x.Length * ratio));
        double maxErr = 0;
        for (int j = 1000; j < y.Length - 1000; j++)
        {
            double expected = 0.5 * Math.Sin(2 * Math.PI * 1000 * (j / ratio) / Rate);
            maxErr = Math.Max(maxErr, Math.Abs(expected - y[j]));
        }
        output.WriteLine($"max error {maxErr:E2}");
        Assert.True(maxErr < 1e-4, $"max error {maxErr}");
        // A tone above the new Nyquist frequency (ratio * 8000 Hz = 7127 Hz) is removed.
        float[] high = Resampler.ProcessRatio(Tone(7700, 1.0), ratio, (int)Math.Ceiling(Rate * ratio));
        double rms = Math.Sqrt(high[1000..^1000].Average(v => (double)v * v));
        Assert.True(rms < 1e-5, $"rms {rms}");
    }
}
