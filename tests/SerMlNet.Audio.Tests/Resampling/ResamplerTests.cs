using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Wav;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Audio.Tests.Resampling;

public sealed class ResamplerTests(ITestOutputHelper output)
{
    /// <summary>The ten original 48 kHz files and their SoX-made 16 kHz versions (AA in the name is the actor).</summary>
    public static TheoryData<string> SoxPairs()
    {
        var data = new TheoryData<string>();
        string[] files = Directory.GetFiles(RepoPaths.Ravdess48kSamples, "*.wav");
        Assert.Equal(10, files.Length);
        foreach (string f in files.Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SoxPairs))]
    public void Matches_sox_rate_v_48k_to_16k_with_at_least_40_dB_snr(string file)
    {
        double snr = SoxSnr(file);
        output.WriteLine($"{file}: SNR {snr:F2} dB");
        Assert.True(snr >= 40, $"{file}: SNR {snr:F2} dB < 40");
    }

    [Theory]
    [InlineData(48000, 16000)]
    [InlineData(44100, 16000)]
    [InlineData(22050, 16000)]
    [InlineData(16000, 8000)]
    [InlineData(8000, 16000)]
    [InlineData(16000, 48000)]
    [InlineData(16000, 44100)]
    [InlineData(16000, 22050)]
    public void Stop_band_is_attenuated_by_at_least_120_dB_and_pass_band_ripple_is_below_0_01_dB(int inputRate, int outputRate)
    {
        var resampler = new Resampler(inputRate, outputRate);
        (double attenuation, double at) = ResamplerMeasurements.StopbandAttenuation(resampler);
        (double ripple, double deviation) = ResamplerMeasurements.PassbandRipple(resampler);
        output.WriteLine($"{inputRate} -> {outputRate} (L/M = {resampler.UpFactor}/{resampler.DownFactor}, {resampler.TapsPerOutput} taps): " +
            $"stop-band attenuation {attenuation:F1} dB (worst at {at:F0} Hz); pass band to {resampler.PassbandEdgeHz:F0} Hz: " +
            $"ripple {ripple:E2} dB peak-to-peak, max deviation {deviation:E2} dB");
        Assert.True(attenuation >= 120, $"attenuation {attenuation:F1} dB at {at} Hz");
        Assert.True(ripple <= 0.01, $"ripple {ripple} dB");
        Assert.True(deviation <= 0.01, $"deviation {deviation} dB");
    }

    [Fact]
    public void Minus_3_dB_point_is_at_95_percent_of_the_output_nyquist_frequency()
    {
        var resampler = new Resampler(48000, 16000);
        double gain = ResamplerMeasurements.ToneGainDb(resampler, 0.95 * 8000);
        output.WriteLine($"gain at 7600 Hz: {gain:F3} dB");
        Assert.InRange(gain, -3.5, -2.5);
        Assert.True(ResamplerMeasurements.ToneGainDb(resampler, 7000) > -0.01);
    }

    [Fact]
    public void Output_length_is_the_rounded_rate_ratio_and_identity_copies()
    {
        Assert.Equal(52853, new Resampler(48000, 16000).GetOutputLength(158558));
        Assert.Equal(57657, new Resampler(48000, 16000).GetOutputLength(172972));
        Assert.Equal(57658, new Resampler(48000, 16000).GetOutputLength(172973));
        Assert.Equal(160, new Resampler(44100, 16000).GetOutputLength(441));
        Assert.Equal(0, new Resampler(48000, 16000).GetOutputLength(0));
        float[] x = [0.1f, -0.2f, 0.3f];
        Assert.Equal(x, new Resampler(16000, 16000).Process(x));
    }

    [Fact]
    public void Is_linear_phase_with_zero_delay()
    {
        // A 1 kHz tone resampled 48k -> 16k must equal the same tone generated at 16 kHz (no delay, no phase shift).
        var x = new float[48000];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(0.5 * Math.Sin(2 * Math.PI * 1000 * i / 48000.0));
        }
        float[] y = new Resampler(48000, 16000).Process(x);
        double maxErr = 0;
        for (int j = 2000; j < y.Length - 2000; j++)
        {
            double expected = 0.5 * Math.Sin(2 * Math.PI * 1000 * j / 16000.0);
            maxErr = Math.Max(maxErr, Math.Abs(expected - y[j]));
        }
        output.WriteLine($"max error {maxErr:E2}");
        Assert.True(maxErr < 1e-5, $"max error {maxErr}");
    }

    [Fact]
    public void Non_power_rates_without_exact_table_still_filter()
    {
        // 44101 -> 16000 has L = 16000 phases: the interpolated-kernel path.
        var resampler = new Resampler(44101, 16000);
        Assert.True(ResamplerMeasurements.ToneGainDb(resampler, 1000) > -0.01);
        Assert.True(ResamplerMeasurements.ToneGainDb(resampler, 12000) < -100);
    }

    internal static double SoxSnr(string file)
    {
        AudioSignal original = WavFile.Read(Path.Combine(RepoPaths.Ravdess48kSamples, file));
        string actor = Path.GetFileNameWithoutExtension(file)[^2..];
        AudioSignal sox = WavFile.Read(Path.Combine(RepoPaths.Ravdess16k, $"Actor_{actor}", file));
        Assert.Equal(48000, original.SampleRate);
        Assert.Equal(16000, sox.SampleRate);
        float[] ours = new Resampler(48000, 16000).Process(original.Samples);
        Assert.Equal(sox.Samples.Length, ours.Length);
        return ResamplerMeasurements.SnrDb(sox.Samples, ours);
    }

    [Theory]
    [InlineData(0.9)]
    [InlineData(1.1)]
    [InlineData(0.5)]
    public void Rational_speed_changes_match_the_interpolated_kernel(double speed)
    {
        float[] x = WavFile.Read(Path.Combine(RepoPaths.Ravdess16k, "Actor_03", "03-01-05-02-02-02-03.wav")).Samples;
        int length = (int)Math.Floor(x.Length / speed);
        float[] reference = Resampler.ProcessRatio(x, 1 / speed, length);
        float[] fast = Resampler.ChangeSpeed(x, speed);
        Assert.Equal(length, fast.Length);
        double worst = 0, peak = x.Max(Math.Abs);
        for (int i = 0; i < length; i++)
        {
            worst = Math.Max(worst, Math.Abs(fast[i] - reference[i]));
        }
        output.WriteLine($"speed {speed}: max |fast - interpolated| {worst:E2} against a peak of {peak:F3}");
        Assert.True(worst < 1e-6, $"max |Δ| {worst}");
        Assert.NotEqual(reference, fast); // the fast path ran (its arithmetic differs in the last bits)
    }

    [Fact]
    public void Other_speeds_fall_back_to_the_interpolated_kernel_and_bad_speeds_are_refused()
    {
        float[] x = WavFile.Read(Path.Combine(RepoPaths.Ravdess16k, "Actor_03", "03-01-05-02-02-02-03.wav")).Samples;
        double speed = Math.Sqrt(0.8);
        Assert.Equal(Resampler.ProcessRatio(x, 1 / speed, (int)Math.Floor(x.Length / speed)), Resampler.ChangeSpeed(x, speed));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.ChangeSpeed(x, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.ChangeSpeed(x, double.NaN));
    }
}
