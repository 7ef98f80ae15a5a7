using System.Buffers.Binary;
using SerMlNet.Audio.Wav;
using SerMlNet.Tests;

namespace SerMlNet.Audio.Tests.Wav;

public sealed class WavReadWriteTests
{
    private static AudioSignal Read(byte[] bytes) => WavFile.Read(new MemoryStream(bytes), "test");

    [Fact]
    public void Pcm16_decodes_as_int16_over_32768()
    {
        AudioSignal s = Read(WavBytes.ValidMono16(short.MinValue, -1, 0, 1, short.MaxValue));
        Assert.Equal(16000, s.SampleRate);
        Assert.Equal([-1f, -1 / 32768f, 0f, 1 / 32768f, 32767 / 32768f], s.Samples);
    }

    [Fact]
    public void Pcm8_is_unsigned_with_offset_128()
    {
        byte[] bytes = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 8000, 8)).Chunk("data", [0, 128, 255]).ToArray();
        Assert.Equal([-1f, 0f, 127 / 128f], Read(bytes).Samples);
    }

    [Fact]
    public void Pcm24_and_pcm32()
    {
        byte[] d24 = [0x00, 0x00, 0x80, 0xFF, 0xFF, 0x7F, 0x01, 0x00, 0x00];
        Assert.Equal([-1f, 8388607 / 8388608f, 1 / 8388608f], Read(new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 24)).Chunk("data", d24).ToArray()).Samples);
        var d32 = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(d32, int.MinValue);
        BinaryPrimitives.WriteInt32LittleEndian(d32.AsSpan(4), 1 << 30);
        Assert.Equal([-1f, 0.5f], Read(new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 32)).Chunk("data", d32).ToArray()).Samples);
    }

    [Fact]
    public void Float32_and_float64()
    {
        var f32 = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(f32, 0.25f);
        BinaryPrimitives.WriteSingleLittleEndian(f32.AsSpan(4), -1.5f);
        Assert.Equal([0.25f, -1.5f], Read(new WavBytes().Chunk("fmt ", WavBytes.Fmt(3, 1, 16000, 32)).Chunk("data", f32).ToArray()).Samples);
        var f64 = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(f64, 0.125);
        BinaryPrimitives.WriteDoubleLittleEndian(f64.AsSpan(8), -0.75);
        Assert.Equal([0.125f, -0.75f], Read(new WavBytes().Chunk("fmt ", WavBytes.Fmt(3, 1, 16000, 64)).Chunk("data", f64).ToArray()).Samples);
    }

    [Fact]
    public void Extensible_pcm_and_float()
    {
        Assert.Equal([0.5f], Read(new WavBytes().Chunk("fmt ", WavBytes.FmtExtensible(1, 1, 48000, 16)).Chunk("data", WavBytes.Pcm16(16384)).ToArray()).Samples);
        var f32 = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(f32, 0.75f);
        AudioSignal s = Read(new WavBytes().Chunk("fmt ", WavBytes.FmtExtensible(3, 1, 44100, 32)).Chunk("data", f32).ToArray());
        Assert.Equal([0.75f], s.Samples);
        Assert.Equal(44100, s.SampleRate);
    }

    [Fact]
    public void Channels_are_averaged_in_float32()
    {
        // Stereo (L + R) / 2; 3 channels (a + b + c) / 3.
        Assert.Equal([(1000 / 32768f + 3000 / 32768f) / 2f], Read(new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 2, 16000, 16)).Chunk("data", WavBytes.Pcm16(1000, 3000)).ToArray()).Samples);
        float a = 1 / 32768f, b = 2 / 32768f, c = 4 / 32768f;
        Assert.Equal([(a + b + c) / 3f], Read(new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 3, 16000, 16)).Chunk("data", WavBytes.Pcm16(1, 2, 4)).ToArray()).Samples);
    }

    [Fact]
    public void Chunks_in_any_order_unknown_skipped_and_odd_sizes_padded()
    {
        byte[] bytes = new WavBytes()
            .Chunk("FLLR", new byte[3]) // odd size: one pad byte follows
            .Chunk("data", WavBytes.Pcm16(100, 200))
            .Chunk("LIST", new byte[5])
            .Chunk("fmt ", WavBytes.Fmt(1, 1, 22050, 16))
            .ToArray();
        AudioSignal s = Read(bytes);
        Assert.Equal(22050, s.SampleRate);
        Assert.Equal([100 / 32768f, 200 / 32768f], s.Samples);
    }

    [Fact]
    public void Partial_trailing_frame_is_ignored()
    {
        byte[] bytes = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 2, 16000, 16)).Chunk("data", [0, 0, 0, 0, 1, 2]).ToArray();
        Assert.Single(Read(bytes).Samples);
    }

    [Fact]
    public void Reads_ravdess_original_with_fllr_chunk()
    {
        AudioSignal s = WavFile.Read(Path.Combine(RepoPaths.Ravdess48kSamples, "03-01-05-02-01-01-03.wav"));
        Assert.Equal(48000, s.SampleRate);
        Assert.Equal(211411, s.Samples.Length);
    }

    [Fact]
    public void Pcm16_round_trip_is_exact_for_16_bit_values()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string path = Path.Combine(folder.Path, "sub", "a.wav");
        float[] samples = Enumerable.Range(-300, 601).Select(i => i * 100 / 32768f).ToArray();
        WavFile.Write(path, new AudioSignal(samples, 16000));
        AudioSignal back = WavFile.Read(path);
        Assert.Equal(16000, back.SampleRate);
        Assert.Equal(samples, back.Samples);
        Assert.Empty(Directory.GetFiles(Path.Combine(folder.Path, "sub"), "*.tmp"));
    }

    [Fact]
    public void Pcm16_write_clips_and_rounds()
    {
        var stream = new MemoryStream();
        WavFile.Write(stream, [2f, -2f, 0.5f / 32768f, 1.5f / 32768f], 8000, WavSampleFormat.Pcm16);
        AudioSignal back = Read(stream.ToArray());
        Assert.Equal([32767 / 32768f, -1f, 0f, 2 / 32768f], back.Samples);
    }

    [Fact]
    public void Float32_round_trip_is_exact()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string path = Path.Combine(folder.Path, "f.wav");
        float[] samples = [0.1f, -0.3333f, 1.5f, -7e-9f, 0f];
        WavFile.Write(path, new AudioSignal(samples, 44100), WavSampleFormat.Float32);
        AudioSignal back = WavFile.Read(path);
        Assert.Equal(44100, back.SampleRate);
        Assert.Equal(samples, back.Samples);
    }

    [Fact]
    public void Write_overwrites_atomically()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string path = Path.Combine(folder.Path, "x.wav");
        WavFile.Write(path, new AudioSignal([0.5f], 16000));
        WavFile.Write(path, new AudioSignal([0.25f, 0.125f], 16000));
        Assert.Equal([0.25f, 0.125f], WavFile.Read(path).Samples);
        Assert.Single(Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories));
    }
}
