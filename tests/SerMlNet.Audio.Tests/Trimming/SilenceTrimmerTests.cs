using SerMlNet.Audio.Trimming;

namespace SerMlNet.Audio.Tests.Trimming;

public sealed class SilenceTrimmerTests
{
    [Fact]
    public void Digital_silence_is_kept_whole_like_librosa_and_empty_input_gives_an_empty_interval()
    {
        // librosa: every frame is 0 dB relative to a zero maximum (both floored at amin), so nothing is trimmed.
        Assert.Equal(new TrimInterval(0, 10000), SilenceTrimmer.FindInterval(new float[10000], new TrimOptions()));
        Assert.Equal(new TrimInterval(0, 0), SilenceTrimmer.FindInterval([], new TrimOptions()));
    }

    [Fact]
    public void Tone_between_silences_is_kept_on_hop_boundaries()
    {
        var x = new float[32000];
        for (int i = 10000; i < 20000; i++)
        {
            x[i] = (float)(0.5 * Math.Sin(i * 0.2));
        }
        TrimInterval t = SilenceTrimmer.FindInterval(x, new TrimOptions { TopDb = 60 });
        Assert.Equal(0, t.Start % 512);
        Assert.True(t.Start <= 10000 && t.Start > 10000 - 2048, $"start {t.Start}");
        Assert.True(t.End >= 20000 && t.End < 20000 + 2048, $"end {t.End}");
        Assert.Equal(t.End - t.Start, SilenceTrimmer.Trim(x, new TrimOptions()).Length);
    }

    [Fact]
    public void Non_multiple_frame_and_hop_uses_the_direct_path()
    {
        var x = new float[5000];
        x[2500] = 1f;
        var rms = new double[SilenceTrimmer.GetFrameCount(x.Length, 300, 70)];
        SilenceTrimmer.ComputeRms(x, 300, 70, rms);
        // Frame t covers [t*70 - 150, t*70 + 150); the impulse at 2500 is in frames 34..37.
        for (int t = 0; t < rms.Length; t++)
        {
            bool covers = t * 70 - 150 <= 2500 && 2500 < t * 70 + 150;
            Assert.Equal(covers ? Math.Sqrt(1.0 / 300) : 0, rms[t], 12);
        }
    }

    [Fact]
    public void Options_validation_reports_every_bad_field()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new TrimOptions { TopDb = -1, FrameLength = 0, HopLength = 0 }.Validate());
        Assert.Equal(3, ex.Errors.Count);
    }
}
