using System.Buffers.Binary;
using System.Text;

namespace SerMlNet.Audio.Wav;

/// <summary>How a WAV file's samples are encoded.</summary>
internal enum WavSampleKind
{
    /// <summary>Integer PCM (8-bit unsigned, 16/24/32-bit signed).</summary>
    Pcm,

    /// <summary>IEEE float, 32 or 64 bits.</summary>
    Float,
}

/// <summary>
/// A parsed and checked <c>fmt </c> chunk: what the whole-file reader and the stream reader both decode. Immutable.
/// </summary>
/// <param name="Kind">Integer PCM or IEEE float.</param>
/// <param name="Channels">Channels per frame, in [1, <see cref="WavFile.MaxChannels"/>].</param>
/// <param name="SampleRate">Frames per second, in Hz.</param>
/// <param name="BlockAlign">Bytes per frame (all channels).</param>
/// <param name="BitsPerSample">Bits per sample of one channel.</param>
internal readonly record struct WavFormat(WavSampleKind Kind, int Channels, int SampleRate, int BlockAlign, int BitsPerSample)
{
    /// <summary>WAVE_FORMAT_PCM.</summary>
    public const ushort TagPcm = 1;

    /// <summary>WAVE_FORMAT_IEEE_FLOAT.</summary>
    public const ushort TagFloat = 3;

    /// <summary>WAVE_FORMAT_EXTENSIBLE.</summary>
    public const ushort TagExtensible = 0xFFFE;

    /// <summary>Largest <c>fmt </c> chunk accepted, in bytes.</summary>
    public const int MaxFmtChunkBytes = 4096;

    /// <summary>Parses and checks a <c>fmt </c> chunk body.</summary>
    /// <param name="fmt">The chunk body, at least 16 bytes.</param>
    /// <param name="source">The file or stream name for error messages.</param>
    /// <returns>The format.</returns>
    /// <exception cref="WavFormatException">The format is not one this library decodes, or is inconsistent.</exception>
    public static WavFormat Parse(ReadOnlySpan<byte> fmt, string source)
    {
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        ushort effectiveTag = tag;
        if (tag == TagExtensible)
        {
            if (fmt.Length < 40)
            {
                throw new WavFormatException(source, $"WAVE_FORMAT_EXTENSIBLE fmt chunk is {fmt.Length} bytes, needs 40");
            }
            effectiveTag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        }
        WavSampleKind kind = effectiveTag switch
        {
            TagPcm => WavSampleKind.Pcm,
            TagFloat => WavSampleKind.Float,
            _ => throw new WavFormatException(source, $"unsupported format tag 0x{effectiveTag:X4} (only PCM, IEEE float and WAVE_FORMAT_EXTENSIBLE of them are read)"),
        };
        if (channels == 0)
        {
            throw new WavFormatException(source, "zero channels");
        }
        if (channels > WavFile.MaxChannels)
        {
            throw new WavFormatException(source, $"absurd channel count {channels} (at most {WavFile.MaxChannels})");
        }
        if (rate < WavFile.MinSampleRate || rate > WavFile.MaxSampleRate)
        {
            throw new WavFormatException(source, $"absurd sample rate {rate} Hz (accepted {WavFile.MinSampleRate}..{WavFile.MaxSampleRate})");
        }
        bool bitsOk = kind == WavSampleKind.Pcm ? bits is 8 or 16 or 24 or 32 : bits is 32 or 64;
        if (!bitsOk)
        {
            throw new WavFormatException(source, $"unsupported {(kind == WavSampleKind.Pcm ? "PCM" : "float")} sample size of {bits} bits");
        }
        int expectedAlign = channels * bits / 8;
        if (blockAlign != expectedAlign)
        {
            throw new WavFormatException(source, $"absurd block align {blockAlign} for {channels} channel(s) of {bits} bits (expected {expectedAlign})");
        }
        return new WavFormat(kind, channels, (int)rate, blockAlign, bits);
    }

    /// <summary>A four-byte chunk tag for a message, non-printable bytes as <c>?</c>: <c>'RIFF'</c>.</summary>
    /// <param name="tag">The bytes.</param>
    /// <returns>The quoted tag.</returns>
    public static string DescribeTag(ReadOnlySpan<byte> tag)
    {
        var sb = new StringBuilder("'");
        foreach (byte b in tag)
        {
            sb.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        }
        return sb.Append('\'').ToString();
    }
}
