using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SerMlNet.Audio.Wav;

/// <summary>Sample decoding and down-mixing shared by the whole-file and the stream WAV readers. Stateless; thread-safe.</summary>
internal static class WavDecoder
{
    /// <summary>Decodes interleaved samples to float (libsndfile's conversion: <c>int16 / 32768</c> for 16-bit PCM).</summary>
    /// <param name="f">The format.</param>
    /// <param name="bytes">Whole frames.</param>
    /// <param name="dst">One value per sample (frames × channels).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Decode(WavFormat f, ReadOnlySpan<byte> bytes, Span<float> dst)
    {
        switch (f.Kind, f.BitsPerSample)
        {
            case (WavSampleKind.Pcm, 8):
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = (bytes[i] - 128) / 128f;
                }
                break;
            case (WavSampleKind.Pcm, 16):
                if (BitConverter.IsLittleEndian)
                {
                    ReadOnlySpan<short> s = MemoryMarshal.Cast<byte, short>(bytes);
                    for (int i = 0; i < dst.Length; i++)
                    {
                        dst[i] = s[i] / 32768f;
                    }
                }
                else
                {
                    for (int i = 0; i < dst.Length; i++)
                    {
                        dst[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.Slice(2 * i)) / 32768f;
                    }
                }
                break;
            case (WavSampleKind.Pcm, 24):
                for (int i = 0; i < dst.Length; i++)
                {
                    int b = 3 * i;
                    int v = (bytes[b] << 8) | (bytes[b + 1] << 16) | (bytes[b + 2] << 24);
                    dst[i] = (v >> 8) / 8388608f;
                }
                break;
            case (WavSampleKind.Pcm, 32):
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = (float)BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(4 * i)) / 2147483648f;
                }
                break;
            case (WavSampleKind.Float, 32):
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * i));
                }
                break;
            case (WavSampleKind.Float, 64):
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(8 * i));
                }
                break;
            default:
                throw new InvalidOperationException($"unreachable sample format {f.Kind}/{f.BitsPerSample}");
        }
    }

    /// <summary>Mean over channels in float32, summed in channel order (numpy's <c>mean(axis=0)</c>).</summary>
    /// <param name="interleaved">Interleaved samples.</param>
    /// <param name="channels">Channels per frame.</param>
    /// <param name="mono">One value per frame.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DownMix(ReadOnlySpan<float> interleaved, int channels, Span<float> mono)
    {
        float count = channels;
        for (int i = 0, j = 0; i < mono.Length; i++, j += channels)
        {
            float sum = interleaved[j];
            for (int c = 1; c < channels; c++)
            {
                sum += interleaved[j + c];
            }
            mono[i] = sum / count;
        }
    }
}
