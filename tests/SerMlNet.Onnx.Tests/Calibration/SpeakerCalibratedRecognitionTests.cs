using SerMlNet.Audio.Normalisation;
using SerMlNet.Onnx.Calibration;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Onnx.Tests.Recognition;
using SerMlNet.Pipeline.Calibration;
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
    public void Calibration_with_the_training_statistics_scores_exactly_as_the_plain_model()
    {
        BandStatistics training = models.Chain.Statistics!;
        var identity = new SpeakerCalibration("training split", 8, SpeakerCalibration.HashOfFrontEnd(models.Chain), training);
        using EmotionRecognizer plain = EmotionRecognizer.Open(models.ModelPath);
        using EmotionRecognizer calibrated = EmotionRecognizer.OpenCalibrated(models.ModelPath, identity);
        foreach (string clip in Actor03)
        {
            Assert.Equal(plain.Recognize(Wav(clip)).Probabilities, calibrated.Recognize(Wav(clip)).Probabilities);
        }
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

        SpeakerCalibration actor04 = SpeakerCalibration.Fit(models.Chain, Actor04.Select(Wav), "actor04");
        using EmotionRecognizer byHand = EmotionRecognizer.OpenCalibrated(models.ModelPath, actor04);
        using EmotionRecognizer plain = EmotionRecognizer.Open(models.ModelPath);
        Assert.Equal(byHand.Recognize(Wav(Actor04[1])).Probabilities, results[3].Probabilities);
        Assert.NotEqual(plain.Recognize(Wav(Actor04[1])).Probabilities, results[3].Probabilities);
        Assert.Equal(clips.Select(c => c.Path), results.Select(r => r.Source));
    }

    [Fact]
    public void End_to_end_models_and_anonymous_clips_are_refused()
    {
        SpeakerCalibration calibration = SpeakerCalibration.Fit(models.Chain, [Wav(Actor03[0])]);
        Assert.Throws<InvalidModelException>(() => EmotionRecognizer.OpenCalibrated(models.EndToEndPath, calibration));
        Assert.Throws<ArgumentException>(() => SpeakerCalibratedRecognition.Recognize(models.ModelPath, null, [(Wav(Actor03[0]), "")]));
    }

    private sealed class SyncProgress(Action<(int, int)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }
}
