using System.Text.Json.Nodes;
using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Pipeline.Features;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Onnx.Tests.Recognition;

public sealed class EmotionRecognizerTests(RecognitionModels models, ITestOutputHelper output) : IClassFixture<RecognitionModels>
{
    /// <summary>Clips that trim to at most 300 frames (checked by the test) from actors the pipeline was not fitted on.</summary>
    private static readonly string[] ShortClipNames =
    [
        "Actor_03/03-01-08-02-02-02-03.wav",
        "Actor_03/03-01-01-01-02-01-03.wav",
        "Actor_03/03-01-04-02-01-01-03.wav",
        "Actor_04/03-01-03-02-02-01-04.wav",
    ];

    public static TheoryData<string> ShortClips => new(ShortClipNames);

    [Theory]
    [MemberData(nameof(ShortClips))]
    public void A_clip_within_one_window_gets_exactly_the_training_features(string clip)
    {
        string path = RecognitionModels.Clip16k(clip);
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(models.ModelPath);
        int frames = VariableLengthFrames(path);
        Assert.True(frames <= 300, $"{clip} trims to {frames} frames; pick a clip within one window");

        IReadOnlyList<(float[] Input, int Start)> windows = recognizer.ComputeWindowInputs(path);
        float[] training = models.Chain.ComputeFeatures(path).Data;
        Assert.Single(windows);
        Assert.Equal(training, windows[0].Input);

        // And the answer is the model's answer for those features.
        using OnnxModel model = OnnxModel.Load(models.ModelPath);
        EmotionPrediction expected = model.Predict(training)[0];
        RecognitionResult result = recognizer.Recognize(path);
        Assert.Equal(path, result.Source);
        Assert.Single(result.Windows);
        Assert.Equal(expected.Probabilities, result.Probabilities);
        Assert.Equal(expected.Label, result.Label);
        Assert.Same(result.Windows[0].Prediction, result.Prediction);
    }

    [Fact]
    public void Stereo_48k_files_are_down_mixed_resampled_and_scored_like_the_pipeline_does()
    {
        string path = Path.Combine(RepoPaths.Ravdess48kSamples, "03-01-02-01-01-02-01.wav");
        using (var reader = new BinaryReader(File.OpenRead(path)))
        {
            reader.BaseStream.Position = 22;
            Assert.Equal(2, reader.ReadInt16());
            Assert.Equal(48000, reader.ReadInt32());
        }
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(models.ModelPath);
        FeatureMatrix features = models.Chain.ComputeFeatures(path);
        IReadOnlyList<(float[] Input, int Start)> windows = recognizer.ComputeWindowInputs(path);
        Assert.Single(windows);
        Assert.Equal(features.Data, windows[0].Input);

        RecognitionResult result = recognizer.Recognize(path);
        double seconds = WavFile.Read(path).DurationSeconds;
        Assert.InRange(result.DurationSeconds, seconds - 1e-4, seconds + 1e-4);
        Assert.InRange(result.Windows[0].StartSeconds, 0.05, result.DurationSeconds);
        Assert.InRange(result.Windows[0].EndSeconds, result.Windows[0].StartSeconds + 0.5, result.DurationSeconds + 1e-9);
        Assert.Equal(1.0, result.Probabilities.Sum(p => (double)p), 4);
    }

    [Fact]
    public void A_long_input_is_scored_in_half_overlapping_windows_and_averaged()
    {
        string path = Path.Combine(models.Folder, "long.wav");
        AudioSignal written = RecognitionModels.WriteConcatenation(path,
            "Actor_03/03-01-05-01-01-01-03.wav", "Actor_04/03-01-03-02-02-01-04.wav", "Actor_09/03-01-08-01-01-02-09.wav", "Actor_12/03-01-01-01-02-02-12.wav");
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(models.ModelPath);
        RecognitionResult result = recognizer.Recognize(path);

        // The reference: the front end's own steps, run by hand on slices of the whole clip's features.
        FeatureMatrix clip = BeforeFixedLength(path);
        int frames = clip.Columns;
        var starts = new List<int>();
        for (int s = 0; s + 300 < frames; s += 150)
        {
            starts.Add(s);
        }
        starts.Add(frames - 300);
        output.WriteLine($"{written.DurationSeconds:F2} s -> {frames} frames -> {starts.Count} windows starting at {string.Join(", ", starts)}");
        Assert.True(starts.Count >= 4, $"only {starts.Count} windows");
        Assert.Equal(starts.Count, result.Windows.Count);

        IReadOnlyList<(float[] Input, int Start)> inputs = recognizer.ComputeWindowInputs(path);
        Assert.Equal(starts, inputs.Select(w => w.Start));
        using OnnxModel model = OnnxModel.Load(models.ModelPath);
        for (int w = 0; w < starts.Count; w++)
        {
            var slice = new FeatureMatrix(clip.Rows, 300);
            for (int r = 0; r < clip.Rows; r++)
            {
                clip.Data.AsSpan(r * frames + starts[w], 300).CopyTo(slice.Row(r));
            }
            float[] expected = models.Chain.Normalize(slice).Data;
            Assert.Equal(expected, inputs[w].Input);
            float[] probabilities = [.. model.Predict(expected)[0].Probabilities];
            Assert.Equal(probabilities, result.Windows[w].Prediction.Probabilities);
        }

        // Overall = mean of the windows; windows in time order, hop 1.5 s, inside the input.
        for (int c = 0; c < RecognitionModels.Emotions.Length; c++)
        {
            double mean = result.Windows.Average(w => (double)w.Prediction.Probabilities[c]);
            Assert.Equal(mean, result.Probabilities[c], 5);
        }
        Assert.Equal(written.DurationSeconds, result.DurationSeconds, 6);
        // Times are in the input as given: the first window starts where trimming cut the leading silence.
        double trimmedSeconds = SerMlNet.Audio.Trimming.SilenceTrimmer.FindInterval(written.Samples, models.Chain.Trim!).Start / 16000.0;
        Assert.Equal(trimmedSeconds, result.Windows[0].StartSeconds, 9);
        Assert.Equal(trimmedSeconds + 1.5, result.Windows[1].StartSeconds, 9);
        for (int w = 0; w < result.Windows.Count; w++)
        {
            WindowResult window = result.Windows[w];
            Assert.Equal(w, window.Index);
            Assert.InRange(window.StartSeconds, 0, window.EndSeconds);
            Assert.InRange(window.EndSeconds, window.StartSeconds, result.DurationSeconds + 1e-9);
            if (w > 0 && w < result.Windows.Count - 1)
            {
                Assert.Equal(1.5, window.StartSeconds - result.Windows[w - 1].StartSeconds, 9);
            }
            if (w < result.Windows.Count - 1)
            {
                Assert.Equal(2.99, window.EndSeconds - window.StartSeconds, 9);
            }
        }
        Assert.Equal(2.99, recognizer.WindowSeconds, 9);
        Assert.Equal(1.5, recognizer.HopSeconds, 9);
    }

    [Fact]
    public void The_batched_overload_matches_one_call_per_input()
    {
        string longPath = Path.Combine(models.Folder, "batch-long.wav");
        RecognitionModels.WriteConcatenation(longPath, "Actor_05/03-01-02-01-01-01-05.wav", "Actor_06/03-01-04-01-02-01-06.wav", "Actor_07/03-01-06-02-01-02-07.wav");
        string[] paths =
        [
            RecognitionModels.Clip16k("Actor_03/03-01-05-01-01-01-03.wav"),
            longPath,
            Path.Combine(RepoPaths.Ravdess48kSamples, "03-01-08-01-02-02-01.wav"),
            RecognitionModels.Clip16k("Actor_04/03-01-03-02-02-01-04.wav"),
        ];
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(models.ModelPath);
        IReadOnlyList<RecognitionResult> batched = recognizer.Recognize(paths);
        Assert.Equal(paths, batched.Select(r => r.Source));
        for (int i = 0; i < paths.Length; i++)
        {
            RecognitionResult single = recognizer.Recognize(paths[i]);
            Assert.Equal(single.Windows.Count, batched[i].Windows.Count);
            AssertClose(single.Probabilities, batched[i].Probabilities, 1e-5);
            for (int w = 0; w < single.Windows.Count; w++)
            {
                Assert.Equal(single.Windows[w].StartSeconds, batched[i].Windows[w].StartSeconds);
                AssertClose(single.Windows[w].Prediction.Probabilities, batched[i].Windows[w].Prediction.Probabilities, 1e-5);
            }
        }
        Assert.True(batched[1].Windows.Count > 1);

        // Waveforms given directly go the same way (resampled by the pipeline's loadAudio stage).
        AudioSignal stereo48k = WavFile.Read(paths[2]);
        RecognitionResult fromSignal = recognizer.Recognize(stereo48k, "clip");
        Assert.Equal("clip", fromSignal.Source);
        AssertClose(batched[2].Probabilities, fromSignal.Probabilities, 1e-6);
        IReadOnlyList<RecognitionResult> signals = recognizer.Recognize([stereo48k, WavFile.Read(paths[0])]);
        Assert.Equal(["audio[0]", "audio[1]"], signals.Select(r => r.Source));
        AssertClose(batched[0].Probabilities, signals[1].Probabilities, 1e-5);
    }

    [Fact]
    public void Many_inputs_are_scored_in_parallel_groups_in_input_order_and_the_first_bad_one_is_reported()
    {
        string longPath = Path.Combine(models.Folder, "many-long.wav");
        RecognitionModels.WriteConcatenation(longPath, "Actor_05/03-01-02-01-01-01-05.wav", "Actor_06/03-01-04-01-02-01-06.wav");
        string[] distinct = [.. ShortClipNames.Select(RecognitionModels.Clip16k), longPath, Path.Combine(RepoPaths.Ravdess48kSamples, "03-01-08-01-02-02-01.wav")];
        string[] paths = [.. Enumerable.Range(0, 21).Select(i => distinct[(i * 5) % distinct.Length])];
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(models.ModelPath);
        Dictionary<string, RecognitionResult> single = distinct.ToDictionary(p => p, recognizer.Recognize);
        IReadOnlyList<RecognitionResult> batched = recognizer.Recognize(paths);
        Assert.Equal(paths, batched.Select(r => r.Source));
        for (int i = 0; i < paths.Length; i++)
        {
            Assert.Equal(single[paths[i]].Windows.Count, batched[i].Windows.Count);
            AssertClose(single[paths[i]].Probabilities, batched[i].Probabilities, 1e-5);
        }

        string bad13 = Path.Combine(models.Folder, "bad-13.wav"), bad18 = Path.Combine(models.Folder, "bad-18.wav");
        File.WriteAllText(bad13, "not audio");
        File.WriteAllText(bad18, "not audio either");
        paths[18] = bad18;
        paths[13] = bad13;
        var e = Assert.Throws<WavFormatException>(() => recognizer.Recognize(paths));
        Assert.Contains("bad-13.wav", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrent_calls_from_many_threads_give_the_same_answers()
    {
        string[] paths = [.. ShortClipNames.Select(RecognitionModels.Clip16k)];
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(models.ModelPath);
        float[][] expected = [.. paths.Select(p => recognizer.Recognize(p).Probabilities.ToArray())];
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 48, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i =>
        {
            float[] got = [.. recognizer.Recognize(paths[i % paths.Length]).Probabilities];
            if (!got.SequenceEqual(expected[i % paths.Length]))
            {
                failures.Add($"call {i} on {paths[i % paths.Length]}");
            }
        });
        Assert.Empty(failures);
    }

    [Fact]
    public void The_end_to_end_model_is_windowed_over_samples_and_agrees_with_the_log_mel_model()
    {
        using EmotionRecognizer logMel = EmotionRecognizer.Open(models.ModelPath);
        using EmotionRecognizer e2e = EmotionRecognizer.Open(models.EndToEndPath);
        Assert.Equal(ModelInputKind.Pcm, e2e.InputKind);
        Assert.Equal(2.99, e2e.WindowSeconds, 9);

        // Short clips: one window of the untrimmed samples (this graph trims them itself: trims_silence), the same
        // answer as front end + model.onnx.
        Assert.True(e2e.Model.Metadata.TrimsSilence);
        foreach (string clip in ShortClipNames)
        {
            string path = RecognitionModels.Clip16k(clip);
            (float[] input, int start) = Assert.Single(e2e.ComputeWindowInputs(path));
            Assert.Equal(0, start);
            Assert.Equal(UntrimmedAudio(path).Samples, input);
            Assert.True(input.Length > TrimmedAudio(path).Samples.Length, $"{clip}: no silence trimmed, so the test shows nothing");
            double worst = MaxDifference(logMel.Recognize(path).Probabilities, e2e.Recognize(path).Probabilities);
            output.WriteLine($"{clip}: max |e2e - log-Mel model| = {worst:E2}");
            Assert.True(worst <= 1e-3, $"{clip}: {worst:E2}");
        }

        // A long input: windows of 299 hops of samples, hop half of that, the last aligned to the end.
        string longPath = Path.Combine(models.Folder, "e2e-long.wav");
        RecognitionModels.WriteConcatenation(longPath, "Actor_03/03-01-05-01-01-01-03.wav", "Actor_04/03-01-03-02-02-01-04.wav", "Actor_09/03-01-08-01-01-02-09.wav");
        float[] trimmed = TrimmedAudio(longPath).Samples;
        IReadOnlyList<(float[] Input, int Start)> windows = e2e.ComputeWindowInputs(longPath);
        const int window = 299 * 160, hop = window / 2;
        Assert.True(windows.Count >= 3);
        for (int w = 0; w < windows.Count; w++)
        {
            int expectedStart = w == windows.Count - 1 ? trimmed.Length - window : w * hop;
            Assert.Equal(expectedStart, windows[w].Start);
            Assert.Equal(trimmed.AsSpan(expectedStart, window).ToArray(), windows[w].Input);
        }
        Assert.True(windows[^1].Start > windows[^2].Start && windows[^1].Start <= windows[^2].Start + hop);
        RecognitionResult result = e2e.Recognize(longPath);
        Assert.Equal(windows.Count, result.Windows.Count);
        Assert.Equal(window / 16000.0, result.Windows[0].EndSeconds - result.Windows[0].StartSeconds, 9);
    }

    [Fact]
    public void Models_without_a_usable_pipeline_are_rejected_with_the_reason()
    {
        // A front end that is not a pipeline (the exporter tests' placeholder JSON).
        string foreign = Path.Combine(models.Folder, "foreign-frontend.onnx");
        OnnxExporter.Export(TestModels.SerCnnLike(1), TestModels.Options(), foreign);
        var e = Assert.Throws<InvalidModelException>(() => EmotionRecognizer.Open(foreign));
        Assert.Contains("metadata 'frontend' is not a fitted SerMlNet pipeline", e.Message, StringComparison.Ordinal);

        // A pipeline whose features do not fit the network.
        string mismatch = Path.Combine(models.Folder, "mismatch.onnx");
        OnnxExporter.Export(TestModels.SerCnnLike(1, nMels: 64, frames: 300),
            new OnnxExportOptions { ClassLabels = RecognitionModels.Emotions, FrontEndJson = models.Chain.ToJson() }, mismatch);
        e = Assert.Throws<InvalidModelException>(() => EmotionRecognizer.Open(mismatch));
        Assert.Contains("Features [128 x 300] @ 16000 Hz but the network takes [64 x 300]", e.Message, StringComparison.Ordinal);

        // A pipeline without a fixed length: windows cannot be cut.
        string noFixed = Path.Combine(models.Folder, "no-fixed-length.onnx");
        JsonObject saved = models.Chain.Save();
        JsonArray stages = saved["stages"]!.AsArray();
        stages.Remove(stages.Single(s => (string?)s!["type"] == "fixedLength"));
        OnnxExporter.Export(models.Cnn, new OnnxExportOptions { ClassLabels = RecognitionModels.Emotions, FrontEndJson = saved.ToJsonString() }, noFixed);
        e = Assert.Throws<InvalidModelException>(() => EmotionRecognizer.Open(noFixed));
        Assert.Contains("'normalise' cannot come here", e.Message, StringComparison.Ordinal);

        // A stage this library does not know: a typed one-line error naming it.
        string unknown = Path.Combine(models.Folder, "unknown-stage.onnx");
        saved = models.Chain.Save();
        saved["stages"]!.AsArray().Add(new JsonObject { ["type"] = "test.scale" });
        OnnxExporter.Export(models.Cnn, new OnnxExportOptions { ClassLabels = RecognitionModels.Emotions, FrontEndJson = saved.ToJsonString() }, unknown);
        e = Assert.Throws<InvalidModelException>(() => EmotionRecognizer.Open(unknown));
        Assert.Contains("unknown stage 'test.scale'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);

        Assert.Throws<ModelFileNotFoundException>(() => EmotionRecognizer.Open(Path.Combine(models.Folder, "missing.onnx")));
    }

    [Fact]
    public void Bad_audio_fails_with_the_file_named()
    {
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(models.ModelPath);
        string text = Path.Combine(models.Folder, "not-a-wav.wav");
        File.WriteAllText(text, "hello, this is not audio");
        var e = Assert.Throws<WavFormatException>(() => recognizer.Recognize(text));
        Assert.Contains("not-a-wav.wav", e.Message, StringComparison.Ordinal);
        string good = RecognitionModels.Clip16k("Actor_03/03-01-05-01-01-01-03.wav");
        e = Assert.Throws<WavFormatException>(() => recognizer.Recognize([good, text, good]));
        Assert.Contains("not-a-wav.wav", e.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<IOException>(() => recognizer.Recognize(Path.Combine(models.Folder, "missing.wav")));
    }

    private int VariableLengthFrames(string path) => BeforeFixedLength(path).Columns;

    private FeatureMatrix BeforeFixedLength(string path) => models.Chain.ComputeLogMel(TrimmedAudio(path));

    private AudioSignal UntrimmedAudio(string path) => models.Chain.ReadAudio(path);

    private AudioSignal TrimmedAudio(string path) => models.Chain.TrimSilence(UntrimmedAudio(path), out _);

    private static double MaxDifference(IReadOnlyList<float> a, IReadOnlyList<float> b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();

    private static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, double tolerance)
    {
        double worst = MaxDifference(expected, actual);
        Assert.True(worst <= tolerance, $"max difference {worst:E2} > {tolerance:E0}");
    }
}
