using System.Buffers.Binary;
using System.Text;

namespace SerMlNet.Audio.Tests.Wav;

/// <summary>Builds RIFF/WAVE images chunk by chunk, including malformed ones.</summary>
internal sealed class WavBytes
{
    private readonly MemoryStream _body = new();
    private uint? _riffSize;
    private string _riff = "RIFF";
    private string _wave = "WAVE";

    public static byte[] Fmt(ushort tag, int channels, int rate, int bits, int? blockAlign = null, int extraBytes = 0)
    {
        var b = new byte[16 + extraBytes];
        int align = blockAlign ?? channels * bits / 8;
        BinaryPrimitives.WriteUInt16LittleEndian(b, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), (uint)(rate * align));
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(12), (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(14), (ushort)bits);
        return b;
    }

    /// <summary>A WAVE_FORMAT_EXTENSIBLE fmt chunk with PCM (1) or float (3) sub-format.</summary>
    public static byte[] FmtExtensible(ushort subFormat, int channels, int rate, int bits)
    {
        byte[] b = Fmt(0xFFFE, channels, rate, bits, extraBytes: 24);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(18), (ushort)bits);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(20), channels == 1 ? 4u : 3u);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(24), subFormat);
        // KSDATAFORMAT_SUBTYPE GUID tail: 0000-0010-8000-00AA00389B71.
        byte[] tail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
        tail.CopyTo(b, 26);
        return b;
    }

    public WavBytes Magic(string riff, string wave)
    {
        _riff = riff;
        _wave = wave;
        return this;
    }

    public WavBytes RiffSize(uint size)
    {
        _riffSize = size;
        return this;
    }

    /// <summary>Adds a chunk; <paramref name="declaredSize"/> overrides the size field; odd sizes get a pad byte.</summary>
    public WavBytes Chunk(string id, byte[] content, uint? declaredSize = null, bool pad = true)
    {
        _body.Write(Encoding.ASCII.GetBytes(id));
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, declaredSize ?? (uint)content.Length);
        _body.Write(size);
        _body.Write(content);
        if (pad && content.Length % 2 == 1)
        {
            _body.WriteByte(0);
        }
        return this;
    }

    public byte[] ToArray()
    {
        var all = new MemoryStream();
        all.Write(Encoding.ASCII.GetBytes(_riff));
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, _riffSize ?? (uint)(4 + _body.Length));
        all.Write(size);
        all.Write(Encoding.ASCII.GetBytes(_wave));
        _body.Position = 0;
        _body.CopyTo(all);
        return all.ToArray();
    }

    public static byte[] Pcm16(params short[] samples)
    {
        var b = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(2 * i), samples[i]);
        }
        return b;
    }

    /// <summary>A valid mono 16-bit 16 kHz file of the given samples.</summary>
    public static byte[] ValidMono16(params short[] samples) =>
        new WavBytes().Chunk("fmt ", Fmt(1, 1, 16000, 16)).Chunk("data", Pcm16(samples)).ToArray();
}
