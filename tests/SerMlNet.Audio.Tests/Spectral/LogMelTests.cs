using SerMlNet.Audio.Spectral;

namespace SerMlNet.Audio.Tests.Spectral;

public sealed class LogMelTests
{
    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var o = new LogMelOptions();
        Assert.Equal((16000, 1024, 160, 128, 0.0, 2f, 80f, 1e-10f), (o.SampleRate, o.NFft, o.HopLength, o.NMels, o.FMin, o.Power, o.TopDb!.Value, o.Amin));
        Assert.Null(o.WinLength);
        Assert.Null(o.FMax);
        Assert.Equal(MelNorm.Slaney, o.Norm);
        Assert.Equal(PadMode.Constant, o.PadMode);
        Assert.False(o.Htk);
        Assert.Equal(8000, o.ToMelOptions().EffectiveFMax);
    }

    [Fact]
    public void Validation_reports_every_bad_field_at_once()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new LogMelOptions { SampleRate = 0, NMels = 0, HopLength = 0, Power = -1, Amin = 0 }.Validate());
        Assert.True(ex.Errors.Count >= 5, string.Join(" | ", ex.Errors));
        Assert.Contains(ex.Errors, e => e.StartsWith("SampleRate", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Amin", StringComparison.Ordinal));
        Assert.Throws<OptionsValidationException>(() => new LogMelExtractor(new LogMelOptions { FMin = 9000 }));
    }

    [Fact]
    public void Db_output_spans_top_db_below_zero()
    {
        var rng = new Random(5);
        float[] x = Enumerable.Range(0, 16000).Select(i => (float)(Math.Sin(i * 0.3) * (i < 8000 ? 1e-6 : 0.5) + rng.NextDouble() * 1e-7)).ToArray();
        var extractor = new LogMelExtractor(new LogMelOptions());
        FeatureMatrix db = extractor.ComputeDb(x);
        Assert.Equal(128, db.Rows);
        Assert.Equal(101, db.Columns);
        Assert.InRange(db.Data.Max(), -1e-4f, 1e-4f);
        Assert.InRange(db.Data.Min(), -80.0001f, -79.9999f);
    }

    [Fact]
    public void Power_to_db_follows_librosa_formula()
    {
        float[] s = [1f, 0.1f, 1e-12f, 0f];
        var d = new float[4];
        Decibels.PowerToDb(s, d, 1e-10f, 80f);
        Assert.Equal(0f, d[0], 1e-5f);
        Assert.Equal(-10f, d[1], 1e-4f);
        Assert.Equal(-80f, d[2], 1e-4f); // -120 dB clipped to max - 80
        Assert.Equal(-80f, d[3], 1e-4f);
        Decibels.PowerToDb(s, d, 1e-10f, null);
        Assert.Equal(-100f, d[3], 1e-3f); // amin floor: 10 log10(1e-10)
    }

    [Fact]
    public void Extractor_is_thread_safe()
    {
        var rng = new Random(11);
        float[][] signals = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, 20000).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray()).ToArray();
        var extractor = new LogMelExtractor(new LogMelOptions());
        float[][] serial = signals.Select(s => extractor.ComputeDb(s).Data).ToArray();
        float[][] parallel = new float[signals.Length][];
        Parallel.For(0, signals.Length, i => parallel[i] = extractor.ComputeDb(signals[i]).Data);
        for (int i = 0; i < signals.Length; i++)
        {
            Assert.Equal(serial[i], parallel[i]);
        }
    }

    [Fact]
    public void Span_overload_rejects_a_short_destination()
    {
        var extractor = new LogMelExtractor(new LogMelOptions());
        Assert.Throws<ArgumentException>(() => extractor.ComputeMel(new float[1600], new float[128 * 10]));
    }

    [Fact]
    public void Mel_scale_conversions_round_trip()
    {
        foreach (bool htk in new[] { false, true })
        {
            foreach (double hz in new[] { 0.0, 100, 999.9, 1000, 4000, 8000 })
            {
                Assert.Equal(hz, MelFilterbank.MelToHz(MelFilterbank.HzToMel(hz, htk), htk), 9);
            }
        }
        Assert.Equal(15.0, MelFilterbank.HzToMel(1000, htk: false), 9);
    }
}
