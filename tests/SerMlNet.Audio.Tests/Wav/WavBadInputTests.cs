using System.Buffers.Binary;
using SerMlNet.Audio.Wav;
using SerMlNet.Tests;

namespace SerMlNet.Audio.Tests.Wav;

/// <summary>Each malformed input gives a <see cref="WavFormatException"/> naming the file and the reason.</summary>
public sealed class WavBadInputTests
{
    private static WavFormatException ReadFails(byte[] bytes, string expectedReasonPart)
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string path = Path.Combine(folder.Path, "bad.wav");
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<WavFormatException>(() => WavFile.Read(path));
        Assert.Equal(path, ex.FilePath);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(expectedReasonPart, ex.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.IsAssignableFrom<SerMlNetException>(ex);
        return ex;
    }

    [Fact]
    public void Wrong_riff_magic()
    {
        byte[] bytes = WavBytes.ValidMono16(1, 2, 3);
        "RIFX"u8.CopyTo(bytes);
        ReadFails(bytes, "instead of 'RIFF'");
    }

    [Fact]
    public void Wrong_wave_form_type()
    {
        byte[] bytes = new WavBytes().Magic("RIFF", "AVI ").Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).Chunk("data", WavBytes.Pcm16(1, 2)).ToArray();
        ReadFails(bytes, "expected 'WAVE'");
    }

    [Fact]
    public void Truncated_header_shorter_than_riff_header() => ReadFails("RIFF\x10\0\0\0WA"u8.ToArray(), "truncated header");

    [Fact]
    public void Truncated_header_inside_fmt_chunk()
    {
        byte[] full = WavBytes.ValidMono16(1, 2, 3);
        ReadFails(full[..30], "truncated header");
    }

    [Fact]
    public void Truncated_header_nothing_after_riff_header() => ReadFails(WavBytes.ValidMono16(1)[..12], "truncated header");

    [Fact]
    public void Truncated_data()
    {
        short[] samples = Enumerable.Range(0, 1000).Select(i => (short)i).ToArray();
        byte[] full = WavBytes.ValidMono16(samples);
        // Cut the file half way through its data; the RIFF size still describes the full file.
        ReadFails(full[..(full.Length - 1000)], "truncated data");
    }

    [Fact]
    public void Data_size_past_end_of_file()
    {
        byte[] bytes = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).Chunk("data", WavBytes.Pcm16(1, 2, 3), declaredSize: 4000).ToArray();
        ReadFails(bytes, "past end of file");
    }

    [Fact]
    public void Gigabyte_data_claim_is_rejected_without_allocating_it()
    {
        byte[] bytes = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 2, 48000, 16)).Chunk("data", WavBytes.Pcm16(1, 2, 3, 4), declaredSize: 0xFFFF_FFF0).ToArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        ReadFails(bytes, "past end of file");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 10_000_000, $"allocated {allocated} bytes for a 4 GB claim");
    }

    [Fact]
    public void Gigabyte_chunk_claim_before_data_is_rejected()
    {
        byte[] bytes = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).Chunk("LIST", [1, 2, 3, 4], declaredSize: 0x7FFF_FFFF).Chunk("data", WavBytes.Pcm16(1)).ToArray();
        ReadFails(bytes, "claims");
    }

    [Fact]
    public void Zero_channels() =>
        ReadFails(new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 0, 16000, 16, blockAlign: 2)).Chunk("data", WavBytes.Pcm16(1, 2)).ToArray(), "zero channels");

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    [InlineData(2_000_000_000)]
    public void Absurd_sample_rate(int rate) =>
        ReadFails(new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, rate, 16)).Chunk("data", WavBytes.Pcm16(1, 2)).ToArray(), "absurd sample rate");

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(60000)]
    public void Absurd_block_align(int blockAlign) =>
        ReadFails(new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16, blockAlign: blockAlign)).Chunk("data", WavBytes.Pcm16(1, 2)).ToArray(), "absurd block align");

    [Fact]
    public void Absurd_channel_count() =>
        ReadFails(new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 5000, 16000, 16)).Chunk("data", WavBytes.Pcm16(1, 2)).ToArray(), "absurd channel count");

    [Fact]
    public void Empty_audio() =>
        ReadFails(new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).Chunk("data", []).ToArray(), "empty audio");

    [Fact]
    public void Data_smaller_than_one_frame_is_empty_audio() =>
        ReadFails(new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 2, 16000, 16)).Chunk("data", [1, 2]).ToArray(), "empty audio");

    [Fact]
    public void Non_wav_file_text() => ReadFails("hello, this is not audio at all\n"u8.ToArray(), "not a WAV file");

    [Fact]
    public void Non_wav_file_png()
    {
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];
        ReadFails(png, "not a WAV file");
    }

    [Fact]
    public void Empty_file() => ReadFails([], "truncated header");

    [Fact]
    public void Missing_data_chunk() => ReadFails(new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).ToArray(), "no 'data' chunk");

    [Fact]
    public void Missing_fmt_chunk() => ReadFails(new WavBytes().Chunk("data", WavBytes.Pcm16(1, 2)).ToArray(), "no 'fmt ' chunk");

    [Fact]
    public void Unsupported_format_tag() =>
        ReadFails(new WavBytes().Chunk("fmt ", WavBytes.Fmt(2, 1, 16000, 4)).Chunk("data", [1, 2]).ToArray(), "unsupported format tag");

    [Fact]
    public void Unsupported_bit_depth() =>
        ReadFails(new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 12, blockAlign: 2)).Chunk("data", [1, 2]).ToArray(), "unsupported PCM sample size");

    [Fact]
    public void Fmt_chunk_too_small() =>
        ReadFails(new WavBytes().Chunk("fmt ", new byte[8]).Chunk("data", [1, 2]).ToArray(), "needs at least 16");

    [Fact]
    public void Stream_overload_names_the_source()
    {
        using var stream = new MemoryStream("not audio"u8.ToArray());
        var ex = Assert.Throws<WavFormatException>(() => WavFile.Read(stream, "upload #7"));
        Assert.Equal("upload #7", ex.FilePath);
        Assert.StartsWith("upload #7: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_file_not_found() =>
        Assert.Throws<FileNotFoundException>(() => WavFile.Read(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.wav")));

    [Fact]
    public void Huge_riff_size_field_alone_is_tolerated()
    {
        // Many writers leave the RIFF size wrong; only chunk sizes are checked against the real length.
        byte[] bytes = WavBytes.ValidMono16(100, -100);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 0xFFFF_FFFF);
        Assert.Equal([100 / 32768f, -100 / 32768f], WavFile.Read(new MemoryStream(bytes), "x").Samples);
    }
}
