using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Audio.Resampling;
using SerMlNet.Tests;

namespace SerMlNet.Onnx.Tests.Recognition;

public sealed class TestTimeAugmentationTests(RecognitionModels models) : IClassFixture<RecognitionModels>
{
    private static readonly RecognitionOptions Tta = new() { TestTimeSpeeds = RecognitionOptions.TrainingSpeeds };

    private static string Wav(string clip) => Path.Combine(RepoPaths.Ravdess16k, clip);

    /// <summary>Two 16 kHz clips of two actors (one window each).</summary>
    private static readonly string[] Clips = ["Actor_03/03-01-05-02-02-02-03.wav", "Actor_04/03-01-06-02-02-02-04.wav"];

    [Theory]
    [InlineData("model")]
    [InlineData("e2e")]
    public void The_overall_prediction_is_the_mean_of_the_input_and_its_speed_variants(string kind)
    {
        string path = kind == "model" ? models.ModelPath : models.EndToEndPath;
        using EmotionRecognizer plain = EmotionRecognizer.Open(path);
        using EmotionRecognizer tta = EmotionRecognizer.Open(path, null, Tta);
        Assert.Equal([0.9, 1.1], tta.Options.TestTimeSpeeds);
        foreach (string clip in Clips)
        {
            AudioSignal audio = WavFile.Read(Wav(clip));
            RecognitionResult[] variants = [plain.Recognize(audio), plain.Recognize(new AudioSignal(Resampler.ChangeSpeed(audio.Samples, 0.9), audio.SampleRate)), plain.Recognize(new AudioSignal(Resampler.ChangeSpeed(audio.Samples, 1.1), audio.SampleRate))];
            RecognitionResult result = tta.Recognize(Wav(clip));
            for (int c = 0; c < 8; c++)
            {
                Assert.Equal(variants.Average(v => (double)v.Probabilities[c]), result.Probabilities[c], 5);
                Assert.Equal(variants.Average(v => (double)v.Prediction.Logits[c]), result.Prediction.Logits[c], 4);
            }
            // The windows stay those of the input as given.
            Assert.Equal(variants[0].Windows.Select(w => w.Prediction.Probabilities), result.Windows.Select(w => w.Prediction.Probabilities));
            // The variants differ from the input: the augmentation does something.
            Assert.NotEqual(variants[0].Probabilities, variants[1].Probabilities);
            Assert.NotEqual(variants[0].Probabilities, result.Probabilities);
        }
        // Batched and waveform overloads agree with the single-file one.
        IReadOnlyList<RecognitionResult> batch = tta.Recognize([.. Clips.Select(Wav)]);
        IReadOnlyList<RecognitionResult> signals = tta.Recognize([.. Clips.Select(c => WavFile.Read(Wav(c)))]);
        for (int i = 0; i < Clips.Length; i++)
        {
            float[] single = [.. tta.Recognize(Wav(Clips[i])).Probabilities];
            for (int c = 0; c < 8; c++)
            {
                Assert.Equal(single[c], batch[i].Probabilities[c], 5);
                Assert.Equal(single[c], signals[i].Probabilities[c], 5);
            }
        }
    }

    [Fact]
    public void No_speeds_scores_once_and_bad_speeds_are_refused_together()
    {
        using EmotionRecognizer plain = EmotionRecognizer.Open(models.ModelPath);
        using EmotionRecognizer none = EmotionRecognizer.Open(models.ModelPath, null, new RecognitionOptions());
        Assert.Equal(plain.Recognize(Wav(Clips[0])).Probabilities, none.Recognize(Wav(Clips[0])).Probabilities);

        var bad = new RecognitionOptions { TestTimeSpeeds = [1, 0.2, 0.9, 0.9] };
        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => EmotionRecognizer.Open(models.ModelPath, null, bad));
        Assert.Contains("was 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("was 0.2", error.Message, StringComparison.Ordinal);
        Assert.Contains("given twice", error.Message, StringComparison.Ordinal);
    }
}
