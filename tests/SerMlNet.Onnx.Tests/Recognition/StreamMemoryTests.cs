using System.Diagnostics;
using SerMlNet.Onnx.Recognition;
using Xunit.Abstractions;

namespace SerMlNet.Onnx.Tests.Recognition;

/// <summary>Memory measurements run alone: test classes running beside them in parallel would move the working set.</summary>
[CollectionDefinition(nameof(MemoryMeasurements), DisableParallelization = true)]
public sealed class MemoryMeasurements;

[Collection(nameof(MemoryMeasurements))]
public sealed class StreamMemoryTests(RecognitionModels models, ITestOutputHelper output) : IClassFixture<RecognitionModels>
{
    private const int Rate = StreamRecognitionTests.Rate;
    private const int Window = StreamRecognitionTests.Window;
    private const int Hop = StreamRecognitionTests.Hop;

    [Fact]
    public async Task Ten_minutes_of_48k_stereo_stream_run_in_bounded_memory()
    {
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(models.ModelPath);
        long heapAtTwoMinutes = 0, heapAtEnd = 0;
        long workingSetAtTwoMinutes = 0;
        int windows = 0;
        var clock = Stopwatch.StartNew();
        await foreach (WindowResult w in recognizer.RecognizeStreamAsync(new SyntheticWavStream(600)))
        {
            windows++;
            if (heapAtTwoMinutes == 0 && w.StartSeconds >= 120)
            {
                heapAtTwoMinutes = StreamRecognitionTests.LiveHeap();
                workingSetAtTwoMinutes = Environment.WorkingSet;
            }
        }
        heapAtEnd = StreamRecognitionTests.LiveHeap();
        long workingSetGrowth = Environment.WorkingSet - workingSetAtTwoMinutes;
        output.WriteLine($"{windows} windows in {clock.Elapsed.TotalSeconds:F1} s; live heap {heapAtTwoMinutes / 1e6:F2} MB at 2 min, {heapAtEnd / 1e6:F2} MB at 10 min; working set +{workingSetGrowth / 1e6:F1} MB");
        Assert.Equal((600 * Rate - Window + Hop - 1) / Hop + 1, windows);
        // Eight more minutes of audio (320 windows) leave the live heap where it was: nothing grows with the stream.
        Assert.True(heapAtEnd - heapAtTwoMinutes < 2_000_000, $"live heap grew by {(heapAtEnd - heapAtTwoMinutes) / 1e6:F2} MB");
        Assert.True(workingSetGrowth < 64_000_000, $"working set grew by {workingSetGrowth / 1e6:F1} MB");
    }

}
