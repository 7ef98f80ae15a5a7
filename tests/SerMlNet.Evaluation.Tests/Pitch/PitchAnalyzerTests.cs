using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Evaluation.Pitch;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Evaluation.Tests.Pitch;

public class PitchAnalyzerTests(ITestOutputHelper output)
{
    private const int SampleRate = 16_000;

    /// <summary>F0s of the synthetic tones, spanning the default 60–500 Hz range (adult speech).</summary>
    public static readonly double[] ToneF0s = [65, 80, 100, 120, 150, 180, 220, 260, 300, 350, 400, 450];

    /// <summary>A one-second tone at <paramref name="f0"/>: a pure sine, or 10 harmonics with 1/k amplitudes (a voice-like spectrum).</summary>
    private static AudioSignal Tone(double f0, bool harmonic)
    {
        var samples = new float[SampleRate];
        int harmonics = harmonic ? 10 : 1;
        for (int i = 0; i < samples.Length; i++)
        {
            double t = i / (double)SampleRate;
            double v = 0;
            for (int k = 1; k <= harmonics && k * f0 < SampleRate / 2.0; k++)
            {
                v += Math.Sin(2 * Math.PI * k * f0 * t + 0.3 * k) / k;
            }
            samples[i] = (float)(0.3 * v);
        }
        return new AudioSignal(samples, SampleRate);
    }

    private static double Cents(double estimate, double truth) => 1200 * Math.Log2(estimate / truth);

    [Fact]
    public void NWavesYinTracksSyntheticTonesWithinOneLagStep()
    {
        // NWaves' YIN returns sampleRate / (integer lag) in whole Hz (integer division; its parabolic refinement is
        // truncated), so the error is at most one lag step, f0² / (sampleRate − f0), plus 1 Hz of rounding, always
        // upwards. Worst case in 60–500 Hz at 16 kHz: about 45 cents at 400 Hz; 0 to 16 cents for 65–260 Hz.
        double worst = TrackTones(PitchTracker.Yin, (f0, estimate) =>
            Assert.InRange(estimate, f0 - 1, f0 + f0 * f0 / (SampleRate - f0) + 1));
        Assert.InRange(worst, 0, 50);
    }

    [Fact]
    public void AutocorrelationTracksSyntheticTonesWithinFiveCents()
    {
        // The independent second estimate interpolates the correlation peak, so it is far finer than one lag step.
        double worst = TrackTones(PitchTracker.Autocorrelation, (f0, estimate) => Assert.InRange(Math.Abs(Cents(estimate, f0)), 0, 5));
        Assert.InRange(worst, 0, 5);
    }

    /// <summary>Runs a tracker on every tone (sine and 10 harmonics), checks each estimate, logs the error table.</summary>
    /// <returns>The worst |error| in cents.</returns>
    private double TrackTones(PitchTracker tracker, Action<double, double> check)
    {
        var analyzer = new PitchAnalyzer(new PitchAnalysisOptions { Tracker = tracker });
        output.WriteLine($"{tracker} at {SampleRate} Hz: | tone F0 | sine estimate (cents) | 10-harmonic estimate (cents) |");
        double worst = 0;
        foreach (double f0 in ToneF0s)
        {
            ClipPitch sine = analyzer.Analyze(Tone(f0, harmonic: false));
            ClipPitch rich = analyzer.Analyze(Tone(f0, harmonic: true));
            Assert.NotNull(sine.MedianF0);
            Assert.NotNull(rich.MedianF0);
            Assert.Equal(sine.Frames, sine.VoicedFrames);
            Assert.Equal(rich.Frames, rich.VoicedFrames);
            check(f0, sine.MedianF0!.Value);
            check(f0, rich.MedianF0!.Value);
            double sineCents = Cents(sine.MedianF0.Value, f0);
            double richCents = Cents(rich.MedianF0.Value, f0);
            output.WriteLine($"| {f0,5:F0} Hz | {sine.MedianF0,7:F2} Hz ({sineCents:+0.0;-0.0;0.0}) | {rich.MedianF0,7:F2} Hz ({richCents:+0.0;-0.0;0.0}) |");
            worst = Math.Max(worst, Math.Max(Math.Abs(sineCents), Math.Abs(richCents)));
        }
        output.WriteLine($"worst |error| {worst:F1} cents");
        return worst;
    }

    [Fact]
    public void SilenceAndNoiseHaveNoF0()
    {
        var analyzer = new PitchAnalyzer();
        Assert.Null(analyzer.Analyze(new AudioSignal(new float[SampleRate], SampleRate)).MedianF0);
        var random = new Random(5);
        var noise = new float[SampleRate];
        for (int i = 0; i < noise.Length; i++)
        {
            noise[i] = (float)(random.NextDouble() - 0.5);
        }
        ClipPitch pitch = analyzer.Analyze(new AudioSignal(noise, SampleRate));
        Assert.True(pitch.VoicedFrames < pitch.Frames / 10, $"{pitch.VoicedFrames} of {pitch.Frames} white-noise frames voiced");
        Assert.Equal(0, analyzer.Analyze(new AudioSignal(new float[100], SampleRate)).Frames);
    }

    [Fact]
    public void SilentStretchesAreNotVoiced()
    {
        // 0.5 s silence, 0.5 s of 200 Hz, 0.5 s silence: only the tone's frames are voiced.
        AudioSignal tone = Tone(200, harmonic: true);
        var samples = new float[SampleRate * 3 / 2];
        tone.Samples.AsSpan(0, SampleRate / 2).CopyTo(samples.AsSpan(SampleRate / 2));
        var (summary, track) = new PitchAnalyzer().AnalyzeTrack(new AudioSignal(samples, SampleRate));
        Assert.Equal(track.Length, summary.Frames);
        Assert.InRange(summary.VoicedFrames, 40, 55);
        Assert.Equal(0, track[10]);
        Assert.InRange(track[75], 195, 205);
        Assert.Equal(0, track[^5]);
    }

    [Fact]
    public void BadOptionsAreReportedTogether()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new PitchAnalyzer(new PitchAnalysisOptions
        {
            FMin = 100, FMax = 90, FrameDuration = 0.01, HopDuration = 0, CmdfThreshold = 1.5, MinVoicedFrames = 0,
        }));
        Assert.Equal(5, e.Errors.Count);
        Assert.Throws<ArgumentException>(() => new PitchAnalyzer().Analyze(new AudioSignal(new float[2000], 800)));
    }

    [Fact]
    public void YinAgreesWithTheAutocorrelationEstimateOnRavdessClips()
    {
        // Two RAVDESS sentences per actor for all 20 actors at 16 kHz (10 male, 10 female): the clip median F0 of
        // NWaves' YIN and of our autocorrelation tracker agree within 1 semitone (100 cents) on at least 90 % of the
        // clips, and the median |difference| is under 25 cents. Octave errors in either tracker would break both.
        var catalog = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        List<Clip> clips = catalog.Clips.GroupBy(c => c.Speaker).SelectMany(g => g.OrderBy(c => c.Id, StringComparer.Ordinal).Where((_, i) => i % 30 == 0).Take(2)).ToList();
        Assert.Equal(40, clips.Count);
        IReadOnlyList<ClipPitch> yin = new PitchAnalyzer().AnalyzeFiles(clips.Select(c => c.Path).ToList());
        IReadOnlyList<ClipPitch> acf = new PitchAnalyzer(new PitchAnalysisOptions { Tracker = PitchTracker.Autocorrelation }).AnalyzeFiles(clips.Select(c => c.Path).ToList());
        var differences = new List<double>();
        for (int i = 0; i < clips.Count; i++)
        {
            Assert.NotNull(yin[i].MedianF0);
            Assert.NotNull(acf[i].MedianF0);
            double cents = Cents(yin[i].MedianF0!.Value, acf[i].MedianF0!.Value);
            differences.Add(Math.Abs(cents));
            output.WriteLine($"{clips[i].Id} {clips[i].Gender}: YIN {yin[i].MedianF0:F1} Hz ({yin[i].VoicedFrames}/{yin[i].Frames} voiced), autocorrelation {acf[i].MedianF0:F1} Hz ({acf[i].VoicedFrames}), {cents:+0;-0} cents");
        }
        differences.Sort();
        double within = differences.Count(d => d <= 100) / (double)differences.Count;
        double median = differences[differences.Count / 2];
        output.WriteLine($"within 100 cents: {within:P0}; median |difference| {median:F1} cents; worst {differences[^1]:F0} cents");
        Assert.True(within >= 0.9, $"only {within:P0} of clips agree within 1 semitone");
        Assert.InRange(median, 0, 25);

        // Sanity: male clips are lower than female clips on median.
        double maleMedian = Median(clips.Select((c, i) => (c, i)).Where(x => x.c.Gender == Gender.Male).Select(x => yin[x.i].MedianF0!.Value));
        double femaleMedian = Median(clips.Select((c, i) => (c, i)).Where(x => x.c.Gender == Gender.Female).Select(x => yin[x.i].MedianF0!.Value));
        output.WriteLine($"median of clip F0: male {maleMedian:F1} Hz, female {femaleMedian:F1} Hz");
        Assert.True(maleMedian < femaleMedian);
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
    }
}
