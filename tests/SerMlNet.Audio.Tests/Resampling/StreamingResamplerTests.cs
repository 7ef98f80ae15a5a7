using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Wav;
using SerMlNet.Tests;

namespace SerMlNet.Audio.Tests.Resampling;

/// <summary>The streaming resampler gives the whole-signal resampler's output, bit for bit, for any piece sizes.</summary>
public sealed class StreamingResamplerTests
{
    [Theory]
    [InlineData(48000, 16000, 1)]
    [InlineData(48000, 16000, 4096)]
    [InlineData(44100, 16000, 333)]
    [InlineData(16000, 48000, 1000)]
    [InlineData(22050, 16000, 8191)]
    [InlineData(16000, 16000, 500)]
    [InlineData(11025, 16000, 257)]
    [InlineData(12345, 16000, 999)]   // L = 3200: the interpolated (non-table) design
    [InlineData(48000, 8000, 777)]    // 1,533 taps: an odd number of whole chunks (8 and 16 floats) before the tail
    [InlineData(48000, 11025, 2000)]  // L = 147: whole signal in blocks of four outputs 147 apart, pieces mostly one at a time
    [InlineData(16000, 12000, 500)]   // 343 taps: odd chunks of 16 floats, even of 8
    public void Pieces_give_the_whole_signals_output_exactly(int inputRate, int outputRate, int maxPiece)
    {
        float[] input = WavFile.Read(Path.Combine(RepoPaths.Ravdess48kSamples, "03-01-02-01-01-02-01.wav")).Samples[..40000];
        var whole = new Resampler(inputRate, outputRate).Process(input);
        var streaming = new StreamingResampler(inputRate, outputRate);
        var random = new Random(inputRate + maxPiece);
        var got = new List<float>();
        for (int at = 0; at < input.Length;)
        {
            int n = Math.Min(input.Length - at, random.Next(1, maxPiece + 1));
            var output = new float[streaming.GetMaxOutputLength(n)];
            int written = streaming.Process(input.AsSpan(at, n), output);
            got.AddRange(output[..written]);
            at += n;
        }
        got.AddRange(streaming.Flush());
        Assert.Equal(whole.Length, got.Count);
        Assert.Equal(whole, got);   // Tolerance 0: the same taps with the same arithmetic.
        Assert.Equal(input.Length, streaming.InputCount);
        Assert.Equal(whole.Length, streaming.OutputCount);
    }

    [Fact]
    public void A_very_short_signal_and_an_empty_one_come_out_as_the_whole_resampler_makes_them()
    {
        foreach (int length in new[] { 0, 1, 5, 200 })
        {
            float[] input = [.. Enumerable.Range(0, length).Select(i => MathF.Sin(i * 0.3f))];
            var streaming = new StreamingResampler(48000, 16000);
            var output = new float[streaming.GetMaxOutputLength(length)];
            int written = streaming.Process(input, output);
            float[] all = [.. output[..written], .. streaming.Flush()];
            Assert.Equal(new Resampler(48000, 16000).Process(input), all);
        }
    }
}
