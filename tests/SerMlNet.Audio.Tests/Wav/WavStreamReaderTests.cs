using System.Buffers.Binary;
using SerMlNet.Audio.Wav;
using SerMlNet.Tests;

namespace SerMlNet.Audio.Tests.Wav;

/// <summary>The forward-only reader: same samples as the whole-file reader, streaming headers, typed truncation.</summary>
public sealed class WavStreamReaderTests
{
    private static readonly string Stereo48k = Path.Combine(RepoPaths.Ravdess48kSamples, "03-01-02-01-01-02-01.wav");

    [Theory]
    [InlineData(1, 61)]
    [InlineData(2, 7001)]
    [InlineData(3, 65536)]
    public void A_48k_stereo_file_read_through_a_pipe_gives_the_whole_file_readers_samples_bit_for_bit(int seed, int maxPiece)
    {
        float[] expected = WavFile.Read(Stereo48k).Samples;
        WavStreamReader reader = WavStreamReader.Open(new ChunkedStream(File.ReadAllBytes(Stereo48k), seed, maxPiece), "pipe");
        Assert.Equal(48000, reader.SampleRate);
        Assert.Equal(2, reader.Channels);
        Assert.Equal(expected.Length, reader.DeclaredFrames);
        var got = new List<float>();
        var block = new float[1000 + seed];
        for (int n; (n = reader.Read(block)) > 0;)
        {
            got.AddRange(block.AsSpan(0, n).ToArray());
        }
        Assert.Equal(expected, got);
        Assert.Equal(expected.Length, reader.FramesRead);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0xFFFF_FFFFu)]
    [InlineData(0x7FFF_FFFFu)]
    [InlineData(0x7FFF_F000u)]
    public async Task Streaming_header_sizes_mean_read_to_the_end(uint placeholder)
    {
        short[] samples = [.. Enumerable.Range(0, 5000).Select(i => (short)(i * 7 - 9000))];
        byte[] bytes = new WavBytes().RiffSize(placeholder).Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).Chunk("data", WavBytes.Pcm16(samples), declaredSize: placeholder).ToArray();
        WavStreamReader reader = await WavStreamReader.OpenAsync(new ChunkedStream(bytes), "stdin");
        Assert.Null(reader.DeclaredFrames);
        var got = new List<float>();
        var block = new float[777];
        for (int n; (n = await reader.ReadAsync(block)) > 0;)
        {
            got.AddRange(block.AsSpan(0, n).ToArray());
        }
        Assert.Equal(samples.Select(s => s / 32768f), got);

        // The whole-file readers take the same bytes, from a pipe and from a seekable stream.
        Assert.Equal(got, WavFile.Read(new ChunkedStream(bytes), "pipe").Samples);
        if (placeholder != 0)
        {
            Assert.Equal(got, WavFile.Read(new MemoryStream(bytes), "file").Samples);
        }
    }

    [Fact]
    public void A_declared_data_size_is_where_reading_stops_and_chunks_before_data_are_skipped()
    {
        byte[] bytes = new WavBytes().Chunk("LIST", new byte[9999]).Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).Chunk("FLLR", new byte[3])
            .Chunk("data", WavBytes.Pcm16(1, 2, 3)).Chunk("junk", new byte[100]).ToArray();
        WavStreamReader reader = WavStreamReader.Open(new ChunkedStream(bytes, maxPiece: 5), "pipe");
        Assert.Equal(3, reader.DeclaredFrames);
        Assert.Equal([1 / 32768f, 2 / 32768f, 3 / 32768f], ReadAll(reader));
        Assert.Equal(0, reader.Read(new float[10]));
    }

    [Fact]
    public void A_stream_cut_inside_a_frame_returns_every_whole_frame_then_a_typed_error()
    {
        byte[] full = new WavBytes().RiffSize(0xFFFF_FFFF).Chunk("fmt ", WavBytes.Fmt(1, 2, 16000, 16)).Chunk("data", WavBytes.Pcm16([.. Enumerable.Range(0, 2000).Select(i => (short)i)]), declaredSize: 0xFFFF_FFFF).ToArray();
        byte[] cut = full[..(full.Length - 3)];   // 999 whole stereo frames and 1 byte of the last
        WavStreamReader reader = WavStreamReader.Open(new ChunkedStream(cut), "mic");
        var block = new float[256];
        long frames = 0;
        TruncatedWavException? error = null;
        try
        {
            for (int n; (n = reader.Read(block)) > 0;)
            {
                frames += n;
            }
        }
        catch (TruncatedWavException e)
        {
            error = e;
        }
        Assert.NotNull(error);
        Assert.Equal(999, frames);
        Assert.Equal(999, error.FramesRead);
        Assert.Equal("mic", error.FilePath);
        Assert.Contains("ended 1 byte(s) into a 4-byte sample frame", error.Reason, StringComparison.Ordinal);
        Assert.IsAssignableFrom<WavFormatException>(error);
    }

    [Fact]
    public void A_stream_that_ends_before_its_declared_data_size_is_truncated()
    {
        byte[] full = WavBytes.ValidMono16([.. Enumerable.Range(0, 1000).Select(i => (short)i)]);
        WavStreamReader reader = WavStreamReader.Open(new ChunkedStream(full[..(full.Length - 200)]), "net");
        var e = Assert.Throws<TruncatedWavException>(() => ReadAll(reader));
        Assert.Equal(900, reader.FramesRead);
        Assert.Contains("declares 2000 data bytes but the stream ended after 1800", e.Reason, StringComparison.Ordinal);
        Assert.Equal(900, e.FramesRead);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(20)]
    [InlineData(40)]
    public void A_stream_that_ends_inside_its_header_is_truncated(int length)
    {
        byte[] full = WavBytes.ValidMono16(1, 2, 3);
        var e = Assert.Throws<TruncatedWavException>(() => WavStreamReader.Open(new ChunkedStream(full[..length]), "stdin"));
        Assert.StartsWith("stdin: truncated header", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, e.FramesRead);
    }

    [Fact]
    public void Bad_headers_are_format_errors_and_data_before_fmt_cannot_be_streamed()
    {
        byte[] notWav = "RIFX\0\0\0\0WAVEfmt "u8.ToArray();
        var e = Assert.Throws<WavFormatException>(() => WavStreamReader.Open(new ChunkedStream(notWav), "stdin"));
        Assert.Contains("instead of 'RIFF'", e.Reason, StringComparison.Ordinal);
        byte[] dataFirst = new WavBytes().Chunk("data", WavBytes.Pcm16(1, 2)).Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).ToArray();
        e = Assert.Throws<WavFormatException>(() => WavStreamReader.Open(new ChunkedStream(dataFirst), "stdin"));
        Assert.Contains("before the 'fmt ' chunk", e.Reason, StringComparison.Ordinal);
        byte[] badRate = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 5, 16)).Chunk("data", WavBytes.Pcm16(1, 2)).ToArray();
        e = Assert.Throws<WavFormatException>(() => WavStreamReader.Open(new ChunkedStream(badRate), "stdin"));
        Assert.Contains("absurd sample rate", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_seekable_file_with_a_placeholder_data_size_is_read_to_its_end()
    {
        byte[] bytes = WavBytes.ValidMono16(5, 6, 7);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(40), 0x7FFF_F000);   // SoX through a pipe, saved to a file
        Assert.Equal([5 / 32768f, 6 / 32768f, 7 / 32768f], WavFile.Read(new MemoryStream(bytes), "x").Samples);
    }

    private static float[] ReadAll(WavStreamReader reader)
    {
        var all = new List<float>();
        var block = new float[100];
        for (int n; (n = reader.Read(block)) > 0;)
        {
            all.AddRange(block.AsSpan(0, n).ToArray());
        }
        return [.. all];
    }
}
