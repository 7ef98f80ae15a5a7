using System.Text.Json;
using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Evaluation.Pitch;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Tests;

namespace SerMlNet.Evaluation.Tests.Pitch;

public class PitchAuditTests
{
    private static readonly PitchAudit Audit = new(new PitchAuditOptions { Bootstrap = new EvaluatorOptions { BootstrapResamples = 500, Seed = 3 } });

    /// <summary>
    /// 8 speakers (4 male at 100–130 Hz, 4 female at 200–230 Hz) with 25 clips each; clip F0 = speaker F0 + (i % 5) Hz.
    /// Clips at or above <paramref name="errorsFromHz"/> are wrong every other time, the rest always right.
    /// </summary>
    internal static (List<Prediction> Predictions, Dictionary<string, string> Speakers) Speakers(double errorsFromHz)
    {
        var predictions = new List<Prediction>();
        var speakers = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int s = 0; s < 8; s++)
        {
            bool male = s < 4;
            double speakerF0 = (male ? 100 : 200) + 10 * (s % 4);
            for (int i = 0; i < 25; i++)
            {
                string id = $"Actor_{s + 1:D2}/clip{i:D2}.wav";
                double f0 = speakerF0 + i % 5;
                int truth = i % 8;
                int predicted = f0 >= errorsFromHz && i % 2 == 0 ? (truth + 1) % 8 : truth;
                predictions.Add(Synthetic.Make(id, truth, predicted, 8, male ? Gender.Male : Gender.Female) with { MedianF0 = f0 });
                speakers[id] = $"Actor_{s + 1:D2}";
            }
        }
        return (predictions, speakers);
    }

    [Fact]
    public void ClipQuartilesHaveEqualCountsAscendingRangesAndTheirOwnMetrics()
    {
        var (predictions, speakers) = Speakers(errorsFromHz: 200);
        F0Binning binning = Audit.BinByF0(Synthetic.Labels, predictions, speakers);

        Assert.Equal(200, binning.ClipsWithF0);
        Assert.Equal(0, binning.ClipsWithoutF0);
        Assert.Equal([1, 2, 3, 4], binning.ClipBins.Select(b => b.Bin));
        Assert.All(binning.ClipBins, b => Assert.Equal(50, b.Metrics.N));
        Assert.Equal([100.0, 120, 200, 220], binning.ClipBins.Select(b => b.F0MinHz));
        Assert.Equal([114.0, 134, 214, 234], binning.ClipBins.Select(b => b.F0MaxHz));
        Assert.Equal([50, 50, 0, 0], binning.ClipBins.Select(b => b.Male));
        // Bins 1–2 (male range) are always right; bins 3–4 wrong on even clip indices (13 of 25 per speaker).
        Assert.Equal([1.0, 1.0, 24 / 50.0, 24 / 50.0], binning.ClipBins.Select(b => b.Metrics.Accuracy));
        Assert.Equal(new ConfidenceInterval(1, 1), binning.ClipBins[0].Metrics.AccuracyCi95);
        Assert.Equal(1 - 24 / 50.0, binning.LowestMinusHighest!.Accuracy, 12);
        Assert.False(binning.LowestMinusHighest.AccuracyCi95.Contains(0));
        Assert.StartsWith("Accuracy depends on F0", binning.Conclusion);
        Assert.Contains("lowest-pitched clips are recognised better", binning.Conclusion);
        Assert.Equal("nwaves-yin", binning.Analysis.Tracker);
    }

    [Fact]
    public void SpeakerBinsGroupWholeSpeakersByTheirMedianF0()
    {
        var (predictions, speakers) = Speakers(errorsFromHz: 1000);
        // One clip without F0: out of the clip bins, still in its speaker's bin.
        predictions[0] = predictions[0] with { MedianF0 = null };
        F0Binning binning = Audit.BinByF0(Synthetic.Labels, predictions, speakers);

        Assert.Equal(199, binning.ClipsWithF0);
        Assert.Equal(1, binning.ClipsWithoutF0);
        Assert.Equal(199, binning.ClipBins.Sum(b => b.Metrics.N));
        Assert.Equal(4, binning.SpeakerBins.Count);
        Assert.Equal(["Actor_01", "Actor_02"], binning.SpeakerBins[0].Speakers!.Select(s => s.Speaker));
        Assert.Equal(["Actor_07", "Actor_08"], binning.SpeakerBins[3].Speakers!.Select(s => s.Speaker));
        Assert.Equal(50, binning.SpeakerBins[0].Metrics.N);
        Assert.Equal(102, binning.SpeakerBins[0].Speakers![0].MedianF0Hz);
        Assert.Equal(25, binning.SpeakerBins[0].Speakers![0].Clips);
        Assert.Equal(100 + 10 + 2, binning.SpeakerBins[0].F0MaxHz);
        Assert.Null(binning.ClipBins[0].Speakers);
        // Everything is right everywhere: no evidence of an F0 effect.
        Assert.StartsWith("No evidence at this sample size", binning.Conclusion);
    }

    [Fact]
    public void TooFewClipsWithAnF0IsAnError()
    {
        List<Prediction> predictions = [.. Enumerable.Range(0, 10).Select(i => Synthetic.Make($"c{i}", 0, 0, 8) with { MedianF0 = i < 3 ? 100 + i : null })];
        Assert.Throws<ArgumentException>(() => Audit.BinByF0(Synthetic.Labels, predictions, new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData(new double[0], "at least one shift")]
    [InlineData(new[] { 0.0 }, "shift 0 is not")]
    [InlineData(new[] { 12.5 }, "shift 12.5 is not")]
    [InlineData(new[] { 2.0, 2.0 }, "repeated")]
    public void BadShiftListsAreRejected(double[] shifts, string expected)
    {
        var e = Assert.Throws<OptionsValidationException>(() => PitchAuditOptions.ValidateShifts(shifts));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void PitchShiftsRescoreShiftedWaveformsWithTheBaselineFirst()
    {
        // Six 1 s voice-like tones (10 harmonics) written as WAV clips, 3 "male" at 100–140 Hz and 3 "female" at
        // 200–240 Hz. The fake model is right on unshifted audio and always answers class 0 on shifted audio, so the
        // curve is 1.0 at 0 and the class-0 share elsewhere; the median F0 moves by 2^(s/12) (within 3 %).
        using TempFolder folder = RepoPaths.NewTempFolder();
        var clips = new List<Clip>();
        for (int i = 0; i < 6; i++)
        {
            bool male = i < 3;
            double f0 = (male ? 100 : 200) + 20 * (i % 3);
            var samples = new float[16_000];
            for (int j = 0; j < samples.Length; j++)
            {
                double v = 0;
                for (int h = 1; h <= 10; h++)
                {
                    v += Math.Sin(2 * Math.PI * h * f0 * j / 16_000.0) / h;
                }
                samples[j] = (float)(0.3 * v);
            }
            string path = Path.Combine(folder.Path, $"tone{i}.wav");
            WavFile.Write(path, new AudioSignal(samples, 16_000), WavSampleFormat.Float32);
            clips.Add(new Clip($"tone{i}", path, Synthetic.Labels[i % 3], $"S{i}", male ? Gender.Male : Gender.Female, null));
        }
        int[] truth = [.. clips.Select((_, i) => i % 3)];
        var calls = new List<IReadOnlyList<AudioSignal>>();
        IReadOnlyList<float[]> Score(IReadOnlyList<AudioSignal> signals)
        {
            bool unshifted = calls.Count == 0;
            calls.Add(signals);
            return [.. signals.Select((s, i) => { var p = new float[8]; p[unshifted ? truth[i] : 0] = 1; return p; })];
        }

        IReadOnlyList<PitchShiftMetrics> curve = Audit.ScorePitchShifts(clips, truth, [4, -2], Score);

        Assert.Equal([0.0, -2, 4], curve.Select(c => c.Semitones));
        Assert.Equal(3, calls.Count);
        Assert.Equal(WavFile.Read(clips[0].Path).Samples, calls[0][0].Samples);
        Assert.Equal(16_000, calls[2][0].Samples.Length);
        Assert.Equal(1.0, curve[0].Overall.Accuracy);
        Assert.Equal(2 / 6.0, curve[1].Overall.Accuracy, 12);
        Assert.Equal(1 / 3.0, curve[2].Male!.Accuracy, 12);
        Assert.Equal(6, curve[0].Overall.N);
        Assert.Equal(3, curve[0].Male!.N);
        Assert.Equal(3, curve[0].Female!.N);
        Assert.InRange(curve[0].MedianF0Hz!.Value, 170, 172); // (140 + 200) / 2, YIN up to one lag step high
        foreach (PitchShiftMetrics shifted in curve.Skip(1))
        {
            double ratio = shifted.MedianF0Hz!.Value / curve[0].MedianF0Hz!.Value;
            double expected = Math.Pow(2, shifted.Semitones / 12);
            Assert.InRange(ratio, expected * 0.97, expected * 1.03);
        }
    }

    [Fact]
    public void PredictionsCsvCarriesTheF0ColumnOnlyWhenMeasured()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string path = Path.Combine(folder.Path, "predictions.csv");
        List<Prediction> predictions = [Synthetic.Make("a", 0, 0, 8, Gender.Male) with { MedianF0 = 123.25 }, Synthetic.Make("b", 1, 2, 8, Gender.Female)];
        PredictionsCsv.Write(path, Synthetic.Labels, predictions);
        Assert.EndsWith(",gender,intensity,f0_hz", File.ReadLines(path).First());
        var (_, read) = PredictionsCsv.Read(path);
        Assert.Equal(123.25, read[0].MedianF0);
        Assert.Null(read[1].MedianF0);

        PredictionsCsv.Write(path, Synthetic.Labels, [Synthetic.Make("a", 0, 0, 8)]);
        Assert.EndsWith(",gender,intensity", File.ReadLines(path).First());
        Assert.Null(PredictionsCsv.Read(path).Predictions[0].MedianF0);

        File.WriteAllText(path, "clip_id,true,predicted,confidence,p_a,p_b,gender,intensity,f0_hz\nx,a,a,0.5,0.5,0.5,,,abc\n");
        Assert.Contains("f0_hz 'abc'", Assert.Throws<InvalidFileException>(() => PredictionsCsv.Read(path)).Message);
    }

    [Fact]
    public void MetricsJsonRoundTripsThePitchSectionsAndStillReadsTheShippedFile()
    {
        var (predictions, speakers) = Speakers(errorsFromHz: 200);
        EvaluationResult plain = new Evaluator(new EvaluatorOptions { BootstrapResamples = 200 }).Evaluate(Synthetic.Labels, predictions);
        EvaluationResult result = plain with
        {
            ByF0 = Audit.BinByF0(Synthetic.Labels, predictions, speakers),
            PitchShift = [new PitchShiftMetrics(0, 180, plain.ByGender.Male!, plain.ByGender.Male, null)],
        };
        string json = MetricsJson.Serialize(result);
        EvaluationResult read = MetricsJson.Deserialize(json);
        Assert.Equal(json, MetricsJson.Serialize(read));
        Assert.Equal(result.ByF0!.ClipBins[2], read.ByF0!.ClipBins[2]);
        Assert.Null(read.PitchShift![0].Female);
        using JsonDocument doc = JsonDocument.Parse(json);
        Assert.Equal(["by_f0", "pitch_shift", "bootstrap"], doc.RootElement.EnumerateObject().Select(p => p.Name).TakeLast(3));
        Assert.DoesNotContain("\"speakers\"", doc.RootElement.GetProperty("by_f0").GetProperty("clip_bins").GetRawText());

        // The shipped file carries both sections; the same file without them (as written before they existed) still reads.
        string shippedPath = Path.Combine(RepoPaths.Root, "artifacts", "metrics.json");
        EvaluationResult shipped = MetricsJson.Read(shippedPath);
        Assert.NotNull(shipped.ByF0);
        Assert.NotEmpty(shipped.PitchShift!);
        var older = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(shippedPath))!.AsObject();
        Assert.True(older.Remove("by_f0") && older.Remove("pitch_shift"));
        EvaluationResult old = MetricsJson.Deserialize(older.ToJsonString());
        Assert.Null(old.ByF0);
        Assert.Null(old.PitchShift);
        Assert.Equal(shipped.MacroF1, old.MacroF1);
        Assert.DoesNotContain("by_f0", MetricsJson.Serialize(plain));
    }
}
