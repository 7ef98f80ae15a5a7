using SerMlNet.Audio;
using SerMlNet.Onnx.Calibration;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Onnx.Tests.Recognition;
using SerMlNet.Audio.Resampling;
using SerMlNet.Pipeline.Features;
using SerMlNet.Tests;

namespace SerMlNet.Onnx.Tests.Calibration;

public sealed class SpeakerCalibratedRecognitionTests(RecognitionModels models) : IClassFixture<RecognitionModels>
{
    private static readonly string[] Actor03 =
    [
        "Actor_03/03-01-01-01-01-01-03.wav",
        "Actor_03/03-01-05-02-02-02-03.wav",
        "Actor_03/03-01-08-02-01-01-03.wav",
    ];

    private static readonly string[] Actor04 =
    [
        "Actor_04/03-01-02-01-01-01-04.wav",
        "Actor_04/03-01-06-02-02-02-04.wav",
    ];

    private static string Wav(string clip) => Path.Combine(RepoPaths.Ravdess16k, clip);

    [Fact]
    public void Fitting_takes_each_class_mean_log_probability_over_the_plain_results()
    {
        using EmotionRecognizer plain = EmotionRecognizer.Open(models.ModelPath);
        IReadOnlyList<RecognitionResult> results = plain.Recognize([.. Actor03.Select(Wav)]);
        SpeakerCalibration calibration = plain.FitCalibration(Actor03.Select(Wav), "actor03");

        Assert.Equal("actor03", calibration.Speaker);
        Assert.Equal(3, calibration.Clips);
        Assert.Equal(RecognitionModels.Emotions, calibration.Labels);
        Assert.Equal(SpeakerCalibration.HashOfModel(models.ModelPath), calibration.ModelSha256);
        for (int c = 0; c < RecognitionModels.Emotions.Length; c++)
        {
            double expected = results.Average(r => Math.Log(r.Probabilities[c]));
            Assert.Equal(expected, calibration.Offsets[c], 12);
        }
    }

    [Fact]
    public void A_calibrated_recognizer_shifts_every_logit_by_minus_the_offset_before_the_softmax()
    {
        using EmotionRecognizer plain = EmotionRecognizer.Open(models.ModelPath);
        SpeakerCalibration calibration = plain.FitCalibration(Actor03.Select(Wav), "actor03");
        using EmotionRecognizer calibrated = EmotionRecognizer.OpenCalibrated(models.ModelPath, calibration);
        Assert.Same(calibration, calibrated.Calibration);
        Assert.Null(plain.Calibration);
        bool changed = false;
        foreach (string clip in Actor03.Concat(Actor04))
        {
            RecognitionResult before = plain.Recognize(Wav(clip));
            RecognitionResult after = calibrated.Recognize(Wav(clip));
            double[] expected = Shifted(before, calibration);
            for (int c = 0; c < expected.Length; c++)
            {
                Assert.Equal(before.Prediction.Logits[c] - calibration.Offsets[c], after.Prediction.Logits[c], 4);
                Assert.Equal(expected[c], after.Probabilities[c], 5);
            }
            Assert.Equal(1.0, after.Probabilities.Sum(p => (double)p), 5);
            changed |= after.Label != before.Label;
        }
        // The random network's voice bias is large: calibration changes some answer of these five clips.
        Assert.True(changed);
    }

    [Fact]
    public void Equal_offsets_change_nothing_but_rounding()
    {
        string hash = SpeakerCalibration.HashOfModel(models.ModelPath);
        var flat = new SpeakerCalibration("flat", 1, hash, RecognitionModels.Emotions, [.. Enumerable.Repeat(-Math.Log(8), 8)]);
        using EmotionRecognizer plain = EmotionRecognizer.Open(models.ModelPath);
        using EmotionRecognizer calibrated = EmotionRecognizer.OpenCalibrated(models.ModelPath, flat);
        foreach (string clip in Actor03)
        {
            RecognitionResult a = plain.Recognize(Wav(clip)), b = calibrated.Recognize(Wav(clip));
            Assert.Equal(a.Label, b.Label);
            for (int c = 0; c < 8; c++)
            {
                Assert.Equal(a.Probabilities[c], b.Probabilities[c], 5);
            }
        }
    }

    [Fact]
    public void Streams_are_calibrated_like_files()
    {
        using EmotionRecognizer plain = EmotionRecognizer.Open(models.ModelPath);
        SpeakerCalibration calibration = plain.FitCalibration(Actor04.Select(Wav), "actor04");
        using EmotionRecognizer calibrated = EmotionRecognizer.OpenCalibrated(models.ModelPath, calibration);
        using FileStream stream = File.OpenRead(Wav(Actor03[0]));
        List<WindowResult> windows = calibrated.RecognizeStreamAsync(stream).ToBlockingEnumerable().ToList();
        WindowResult window = Assert.Single(windows);
        Assert.Equal(calibrated.Recognize(Wav(Actor03[0])).Probabilities, window.Prediction.Probabilities);
    }

    [Fact]
    public void Calibration_round_trips_through_its_file_and_refuses_old_and_broken_files()
    {
        using EmotionRecognizer plain = EmotionRecognizer.Open(models.ModelPath);
        SpeakerCalibration calibration = plain.FitCalibration(Actor03.Take(2).Select(Wav), "actor03");
        string path = Path.Combine(models.Folder, "roundtrip.calibration.json");
        calibration.Save(path);
        SpeakerCalibration loaded = SpeakerCalibration.Load(path);
        Assert.Equal("actor03", loaded.Speaker);
        Assert.Equal(2, loaded.Clips);
        Assert.Equal(calibration.ModelSha256, loaded.ModelSha256);
        Assert.Equal(calibration.Labels, loaded.Labels);
        Assert.Equal(calibration.Offsets, loaded.Offsets);

        string broken = Path.Combine(models.Folder, "broken.calibration.json");
        File.WriteAllText(broken, "{ not json");
        Assert.Contains("not a speaker-calibration JSON file", Assert.Throws<InvalidFileException>(() => SpeakerCalibration.Load(broken)).Message, StringComparison.Ordinal);
        File.WriteAllText(broken, """{ "format": "sermlnet.speaker-calibration", "version": 1, "speaker": "x", "clips": 3, "mean": [0], "std": [1] }""");
        Assert.Contains("version-1 calibration (band statistics)", Assert.Throws<InvalidFileException>(() => SpeakerCalibration.Load(broken)).Message, StringComparison.Ordinal);
        File.WriteAllText(broken, File.ReadAllText(path).Replace("\"offsets\":[", "\"offsets\":[1,", StringComparison.Ordinal));
        Assert.Contains("invalid speaker calibration", Assert.Throws<InvalidFileException>(() => SpeakerCalibration.Load(broken)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_calibration_belongs_to_the_model_file_it_was_fitted_with()
    {
        SpeakerCalibration calibration;
        using (EmotionRecognizer plain = EmotionRecognizer.Open(models.ModelPath))
        {
            calibration = plain.FitCalibration([Wav(Actor03[0])]);
            using EmotionRecognizer calibrated = EmotionRecognizer.OpenCalibrated(models.ModelPath, calibration);
            Assert.Throws<InvalidOperationException>(() => calibrated.FitCalibration([Wav(Actor03[0])]));
            Assert.Throws<ArgumentException>(() => plain.FitCalibration([]));
        }
        // Another file (the end-to-end graph of the same network) refuses it, and takes a calibration of its own.
        Assert.Contains("another model file", Assert.Throws<SchemaMismatchException>(() => EmotionRecognizer.OpenCalibrated(models.EndToEndPath, calibration)).Message, StringComparison.Ordinal);
        using EmotionRecognizer e2e = EmotionRecognizer.Open(models.EndToEndPath);
        SpeakerCalibration own = e2e.FitCalibration(Actor03.Select(Wav));
        using EmotionRecognizer e2eCalibrated = EmotionRecognizer.OpenCalibrated(models.EndToEndPath, own);
        double[] expected = Shifted(e2e.Recognize(Wav(Actor03[1])), own);
        RecognitionResult actual = e2eCalibrated.Recognize(Wav(Actor03[1]));
        for (int c = 0; c < expected.Length; c++)
        {
            Assert.Equal(expected[c], actual.Probabilities[c], 5);
        }
        // Other classes are refused too.
        var renamed = new SpeakerCalibration("x", 1, calibration.ModelSha256, [.. RecognitionModels.Emotions.Reverse()], calibration.Offsets);
        Assert.Throws<SchemaMismatchException>(() => EmotionRecognizer.OpenCalibrated(models.ModelPath, renamed));
    }

    [Fact]
    public void Per_speaker_recognition_fits_each_speaker_on_its_own_clips_and_keeps_clip_order()
    {
        (string Path, string Speaker)[] clips = [(Wav(Actor03[0]), "actor03"), (Wav(Actor04[0]), "actor04"), (Wav(Actor03[1]), "actor03"), (Wav(Actor04[1]), "actor04"), (Wav(Actor03[2]), "actor03")];
        var reports = new List<(int Done, int Total)>();
        (IReadOnlyList<RecognitionResult> results, IReadOnlyList<SpeakerCalibration> calibrations) =
            SpeakerCalibratedRecognition.Recognize(models.ModelPath, null, clips, new SyncProgress(reports.Add));
        Assert.Equal(["actor03", "actor04"], calibrations.Select(c => c.Speaker));
        Assert.Equal([3, 2], calibrations.Select(c => c.Clips));
        Assert.Equal([(3, 5), (5, 5)], reports);

        using EmotionRecognizer plain = EmotionRecognizer.Open(models.ModelPath);
        SpeakerCalibration actor04 = plain.FitCalibration(Actor04.Select(Wav), "actor04");
        Assert.Equal(actor04.Offsets, calibrations[1].Offsets);
        using EmotionRecognizer byHand = EmotionRecognizer.OpenCalibrated(models.ModelPath, actor04);
        float[] expected = [.. byHand.Recognize(Wav(Actor04[1])).Probabilities];
        for (int c = 0; c < expected.Length; c++)
        {
            Assert.Equal(expected[c], results[3].Probabilities[c], 6);
        }
        Assert.NotEqual(plain.Recognize(Wav(Actor04[1])).Probabilities, results[3].Probabilities);
        Assert.Equal(clips.Select(c => c.Path), results.Select(r => r.Source));
        Assert.Throws<ArgumentException>(() => SpeakerCalibratedRecognition.Recognize(models.ModelPath, null, [(Wav(Actor03[0]), "")]));
    }

    [Fact]
    public void Test_time_augmentation_is_calibrated_variant_by_variant()
    {
        var tta = new RecognitionOptions { TestTimeSpeeds = RecognitionOptions.TrainingSpeeds };
        SpeakerCalibration calibration;
        using (EmotionRecognizer plainTta = EmotionRecognizer.Open(models.ModelPath, null, tta))
        {
            calibration = plainTta.FitCalibration(Actor03.Select(Wav), "actor03");
            // Fitted on the augmented predictions.
            IReadOnlyList<RecognitionResult> fitted = plainTta.Recognize([.. Actor03.Select(Wav)]);
            Assert.Equal(fitted.Average(r => Math.Log(r.Probabilities[2])), calibration.Offsets[2], 12);
        }
        using EmotionRecognizer plain = EmotionRecognizer.Open(models.ModelPath);
        using EmotionRecognizer calibrated = EmotionRecognizer.OpenCalibrated(models.ModelPath, calibration, null, tta);
        AudioSignal audio = SerMlNet.Audio.Wav.WavFile.Read(Wav(Actor04[0]));
        double[][] variants = [.. new[] { audio, new AudioSignal(Resampler.ChangeSpeed(audio.Samples, 0.9), audio.SampleRate), new AudioSignal(Resampler.ChangeSpeed(audio.Samples, 1.1), audio.SampleRate) }.Select(a => Shifted(plain.Recognize(a), calibration))];
        RecognitionResult result = calibrated.Recognize(Wav(Actor04[0]));
        for (int c = 0; c < 8; c++)
        {
            Assert.Equal(variants.Average(v => v[c]), result.Probabilities[c], 5);
        }
    }

    /// <summary>softmax(logits − offsets) of a one-window result, in double.</summary>
    private static double[] Shifted(RecognitionResult plain, SpeakerCalibration calibration)
    {
        double[] shifted = [.. plain.Prediction.Logits.Select((l, c) => l - calibration.Offsets[c])];
        double max = shifted.Max();
        double sum = shifted.Sum(s => Math.Exp(s - max));
        return [.. shifted.Select(s => Math.Exp(s - max) / sum)];
    }

    private sealed class SyncProgress(Action<(int, int)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }
}
