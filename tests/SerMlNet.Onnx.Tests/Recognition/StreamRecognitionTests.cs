using System.Diagnostics;
using SerMlNet.Audio;
using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Tests.Wav;
using SerMlNet.Audio.Wav;
using SerMlNet.Onnx.Recognition;
using Xunit.Abstractions;

namespace SerMlNet.Onnx.Tests.Recognition;

public sealed class StreamRecognitionTests(RecognitionModels models, ITestOutputHelper output) : IClassFixture<RecognitionModels>
{
    internal const int Rate = 16000;
    internal const int Window = 299 * 160;
    internal const int Hop = Window / 2;

    private static readonly string[] Clips =
    [
        RecognitionModels.Clip16k("Actor_03/03-01-05-01-01-01-03.wav"),
        RecognitionModels.Clip16k("Actor_04/03-01-03-02-02-01-04.wav"),
        RecognitionModels.Clip16k("Actor_09/03-01-08-01-01-02-09.wav"),
        RecognitionModels.Clip16k("Actor_12/03-01-01-01-02-02-12.wav"),
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_48k_stream_is_cut_into_half_overlapping_windows_each_scored_as_a_clip_of_its_own(bool endToEnd)
    {
        AudioSignal signal48k = WavStreams.JoinWithPauses(48000, 1.0, Clips);
        byte[] image = WavStreams.StreamingImage(signal48k);
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(endToEnd ? models.EndToEndPath : models.ModelPath);
        List<WindowResult> windows = await Collect(recognizer.RecognizeStreamAsync(new ChunkedStream(image, seed: 3), new StreamRecognitionOptions { SourceName = "pipe", BlockFrames = 1000 }));

        // The reference: the whole signal decoded and resampled at once, then each window as a clip of its own.
        float[] whole = new Resampler(48000, Rate).Process(WavFile.Read(new MemoryStream(image), "x").Samples);
        int count = (whole.Length - Window + Hop - 1) / Hop + 1;
        output.WriteLine($"{whole.Length / (double)Rate:F2} s -> {windows.Count} windows");
        Assert.Equal(count, windows.Count);
        for (int w = 0; w < windows.Count; w++)
        {
            int start = Math.Min(w * Hop, whole.Length - Window);
            Assert.Equal(w, windows[w].Index);
            Assert.Equal(start / (double)Rate, windows[w].StartSeconds, 12);
            Assert.Equal((start + Window) / (double)Rate, windows[w].EndSeconds, 12);
            RecognitionResult clip = recognizer.Recognize(new AudioSignal(whole[start..(start + Window)], Rate));
            AssertClose(clip.Probabilities, windows[w].Prediction.Probabilities, 1e-6);
        }
        Assert.Equal(whole.Length / (double)Rate, windows[^1].EndSeconds, 12);
    }

    [Fact]
    public async Task A_short_stream_is_one_window_with_the_files_answer()
    {
        string clip = Clips[1];
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(models.ModelPath);
        RecognitionResult file = recognizer.Recognize(clip);
        using FileStream stream = File.OpenRead(clip);
        WindowResult window = Assert.Single(await Collect(recognizer.RecognizeStreamAsync(stream)));
        Assert.Equal(file.Probabilities, window.Prediction.Probabilities);
        Assert.Equal(0, window.StartSeconds);
        Assert.Equal(WavFile.Read(clip).DurationSeconds, window.EndSeconds, 12);

        // The summary of a stream is the mean of its windows, as for a file.
        RecognitionResult summary = RecognitionResult.FromWindows("stream", window.EndSeconds, [window]);
        Assert.Equal(file.Probabilities, summary.Probabilities);
    }

    [Fact]
    public async Task A_truncated_stream_yields_the_windows_it_completed_then_a_typed_error()
    {
        AudioSignal signal = WavStreams.JoinWithPauses(Rate, 0.5, Clips);
        byte[] image = WavStreams.StreamingImage(signal);
        int cutSamples = 5 * Hop + Window + 1234;
        byte[] cut = image[..(44 + 2 * cutSamples + 1)];   // ends one byte into a frame
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(models.ModelPath);
        var windows = new List<WindowResult>();
        var error = await Assert.ThrowsAsync<TruncatedWavException>(async () =>
        {
            await foreach (WindowResult w in recognizer.RecognizeStreamAsync(new ChunkedStream(cut), new StreamRecognitionOptions { SourceName = "stdin" }))
            {
                windows.Add(w);
            }
        });
        Assert.Equal(6, windows.Count);   // windows 0..5 end before the cut; the seventh would need samples after it
        Assert.Equal(cutSamples, error.FramesRead);
        Assert.StartsWith("stdin: truncated data", error.Message, StringComparison.Ordinal);

        // Those windows are the ones the whole stream gives.
        List<WindowResult> full = await Collect(recognizer.RecognizeStreamAsync(new MemoryStream(image)));
        for (int w = 0; w < windows.Count; w++)
        {
            Assert.Equal(full[w].StartSeconds, windows[w].StartSeconds);
            Assert.Equal(full[w].Prediction.Probabilities, windows[w].Prediction.Probabilities);
        }
    }

    [Fact]
    public async Task Bad_streams_and_options_fail_with_the_reason()
    {
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(models.ModelPath);
        var bad = await Assert.ThrowsAsync<WavFormatException>(() => Collect(recognizer.RecognizeStreamAsync(new MemoryStream("not a wav at all"u8.ToArray()), new StreamRecognitionOptions { SourceName = "stdin" })));
        Assert.StartsWith("stdin: not a WAV file", bad.Message, StringComparison.Ordinal);
        byte[] empty = WavStreams.StreamingImage(new AudioSignal([], Rate));
        bad = await Assert.ThrowsAsync<WavFormatException>(() => Collect(recognizer.RecognizeStreamAsync(new MemoryStream(empty))));
        Assert.Contains("empty audio", bad.Message, StringComparison.Ordinal);
        var options = Assert.Throws<OptionsValidationException>(() => recognizer.RecognizeStreamAsync(Stream.Null, new StreamRecognitionOptions { SourceName = "", BlockFrames = 1 }));
        Assert.Equal(2, options.Errors.Count);
    }

    internal static long LiveHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task<List<WindowResult>> Collect(IAsyncEnumerable<WindowResult> windows)
    {
        var list = new List<WindowResult>();
        await foreach (WindowResult w in windows)
        {
            list.Add(w);
        }
        return list;
    }

    private static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"class {i}: {expected[i]} vs {actual[i]}");
        }
    }
}
