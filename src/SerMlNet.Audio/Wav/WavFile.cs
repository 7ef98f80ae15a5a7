using System.Runtime.CompilerServices;
using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using SerMlNet.Audio.Io;

namespace SerMlNet.Audio.Wav;

/// <summary>
/// Reads and writes RIFF/WAVE files. Reading accepts PCM 8/16/24/32-bit, IEEE float 32/64-bit and
/// WAVE_FORMAT_EXTENSIBLE with either sub-format; chunks may come in any order, unknown chunks (e.g. RAVDESS'
/// <c>FLLR</c>) are skipped, odd-sized chunks are padded to even. Any channel count is down-mixed to mono by the mean of
/// the channels, as librosa's <c>to_mono</c> does, in float32. Decoding matches libsndfile's float conversion
/// (<c>int16 / 32768</c> as float32 for 16-bit PCM, bit-exact). Malformed input throws <see cref="WavFormatException"/>;
/// header sizes are checked against the real length before anything is allocated; a data size that is a streaming
/// placeholder (<see cref="WavStreamReader.IsPlaceholderSize"/>) larger than the file means "to the end of the file".
/// All members are thread-safe.
/// </summary>
public static class WavFile
{
    /// <summary>Lowest sample rate accepted when reading, in Hz.</summary>
    public const int MinSampleRate = 100;

    /// <summary>Highest sample rate accepted when reading, in Hz.</summary>
    public const int MaxSampleRate = 1_000_000;

    /// <summary>Highest channel count accepted when reading.</summary>
    public const int MaxChannels = 1024;

    private const ushort FormatPcm = WavFormat.TagPcm;
    private const ushort FormatFloat = WavFormat.TagFloat;
    private const int MaxFmtChunkBytes = WavFormat.MaxFmtChunkBytes;
    private const int ReadBlockBytes = 1 << 16;

    /// <summary>Reads a WAV file and down-mixes it to mono.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The mono signal at the file's sample rate.</returns>
    /// <exception cref="WavFormatException">The file is not a readable WAV file; the message says why.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static AudioSignal Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
        return Read(stream, path);
    }

    /// <summary>Reads a WAV image from a stream (from its current position) and down-mixes it to mono.</summary>
    /// <param name="stream">The stream; a non-seekable one (a pipe, standard input) is read front to back by
    /// <see cref="WavStreamReader"/>, so streaming headers (placeholder data sizes) are read to the end of the stream.</param>
    /// <param name="sourceName">Name used in error messages (a path or a description).</param>
    /// <returns>The mono signal.</returns>
    /// <exception cref="WavFormatException">The data is not a readable WAV image.</exception>
    public static AudioSignal Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (!stream.CanSeek)
        {
            return WavStreamReader.Open(stream, sourceName).ReadToEnd();
        }
        return new Reader(stream, sourceName).Read();
    }

    /// <summary>Writes a mono signal to a WAV file atomically (temporary file, then rename).</summary>
    /// <param name="path">Destination; its folder is created when missing.</param>
    /// <param name="signal">The signal.</param>
    /// <param name="format">Sample encoding; default 16-bit PCM.</param>
    public static void Write(string path, AudioSignal signal, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        ArgumentNullException.ThrowIfNull(signal);
        AtomicFile.Write(path, stream => Write(stream, signal.Samples, signal.SampleRate, format), flushToDisk: true);
    }

    /// <summary>Writes mono samples as a WAV image to a stream.</summary>
    /// <param name="stream">Destination stream, written from its current position.</param>
    /// <param name="samples">Mono samples, nominally in [-1, 1].</param>
    /// <param name="sampleRate">Sample rate in Hz, in [<see cref="MinSampleRate"/>, <see cref="MaxSampleRate"/>].</param>
    /// <param name="format">Sample encoding.</param>
    public static void Write(Stream stream, ReadOnlySpan<float> samples, int sampleRate, WavSampleFormat format)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, MinSampleRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRate, MaxSampleRate);
        int bytesPerSample = format switch
        {
            WavSampleFormat.Pcm16 => 2,
            WavSampleFormat.Float32 => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown sample format"),
        };
        long dataBytes = (long)samples.Length * bytesPerSample;
        bool isFloat = format == WavSampleFormat.Float32;
        int fmtSize = isFloat ? 18 : 16;
        int factSize = isFloat ? 12 : 0;
        long riffSize = 4 + (8 + fmtSize) + factSize + 8 + dataBytes + (dataBytes & 1);
        if (riffSize > uint.MaxValue)
        {
            throw new ArgumentException($"{samples.Length} samples do not fit in a RIFF file", nameof(samples));
        }
        Span<byte> header = stackalloc byte[12 + 8 + 18 + 12 + 8];
        int p = 0;
        WriteTag(header, ref p, "RIFF");
        WriteU32(header, ref p, (uint)riffSize);
        WriteTag(header, ref p, "WAVE");
        WriteTag(header, ref p, "fmt ");
        WriteU32(header, ref p, (uint)fmtSize);
        WriteU16(header, ref p, isFloat ? FormatFloat : FormatPcm);
        WriteU16(header, ref p, 1);
        WriteU32(header, ref p, (uint)sampleRate);
        WriteU32(header, ref p, (uint)(sampleRate * bytesPerSample));
        WriteU16(header, ref p, (ushort)bytesPerSample);
        WriteU16(header, ref p, (ushort)(bytesPerSample * 8));
        if (isFloat)
        {
            WriteU16(header, ref p, 0);
            WriteTag(header, ref p, "fact");
            WriteU32(header, ref p, 4);
            WriteU32(header, ref p, (uint)samples.Length);
        }
        WriteTag(header, ref p, "data");
        WriteU32(header, ref p, (uint)dataBytes);
        stream.Write(header[..p]);

        const int block = 8192;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(block * bytesPerSample);
        try
        {
            for (int start = 0; start < samples.Length; start += block)
            {
                ReadOnlySpan<float> chunk = samples.Slice(start, Math.Min(block, samples.Length - start));
                Span<byte> bytes = buffer.AsSpan(0, chunk.Length * bytesPerSample);
                if (isFloat)
                {
                    Span<float> dst = MemoryMarshal.Cast<byte, float>(bytes);
                    chunk.CopyTo(dst);
                    if (!BitConverter.IsLittleEndian)
                    {
                        Span<int> asInt = MemoryMarshal.Cast<float, int>(dst);
                        BinaryPrimitives.ReverseEndianness(asInt, asInt);
                    }
                }
                else
                {
                    for (int i = 0; i < chunk.Length; i++)
                    {
                        BinaryPrimitives.WriteInt16LittleEndian(bytes.Slice(2 * i, 2), ToPcm16(chunk[i]));
                    }
                }
                stream.Write(bytes);
            }
            if ((dataBytes & 1) != 0)
            {
                stream.WriteByte(0);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static short ToPcm16(float x)
    {
        double scaled = Math.Round(x * 32768.0, MidpointRounding.ToEven);
        if (double.IsNaN(scaled))
        {
            return 0;
        }
        return (short)Math.Clamp(scaled, short.MinValue, short.MaxValue);
    }

    private static void WriteTag(Span<byte> s, ref int p, string tag)
    {
        Encoding.ASCII.GetBytes(tag, s.Slice(p, 4));
        p += 4;
    }

    private static void WriteU32(Span<byte> s, ref int p, uint v)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(p, 4), v);
        p += 4;
    }

    private static void WriteU16(Span<byte> s, ref int p, ushort v)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(s.Slice(p, 2), v);
        p += 2;
    }

    /// <summary>One parse of one stream.</summary>
    private sealed class Reader(Stream stream, string source)
    {
        private readonly long _origin = stream.Position;
        private readonly long _length = stream.Length - stream.Position;

        public AudioSignal Read()
        {
            Span<byte> head = stackalloc byte[12];
            if (_length < 12)
            {
                throw Bad($"truncated header: {_length} bytes, a RIFF/WAVE header needs at least 12");
            }
            ReadAt(0, head);
            if (!head[..4].SequenceEqual("RIFF"u8))
            {
                throw Bad(head[..4].SequenceEqual("RF64"u8)
                    ? "RF64 (64-bit RIFF) files are not supported"
                    : $"not a WAV file: starts with {Describe(head[..4])} instead of 'RIFF'");
            }
            if (!head.Slice(8, 4).SequenceEqual("WAVE"u8))
            {
                throw Bad($"not a WAV file: RIFF form type is {Describe(head.Slice(8, 4))}, expected 'WAVE'");
            }
            long riffEnd = 8 + (long)BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(4, 4));

            WavFormat? format = null;
            long dataOffset = -1;
            long dataSize = 0;
            long pos = 12;
            Span<byte> chunkHead = stackalloc byte[8];
            while (pos + 8 <= _length)
            {
                ReadAt(pos, chunkHead);
                uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunkHead[4..]);
                long body = pos + 8;
                long remaining = _length - body;
                ReadOnlySpan<byte> id = chunkHead[..4];
                if (id.SequenceEqual("fmt "u8))
                {
                    if (size < 16)
                    {
                        throw Bad($"fmt chunk is {size} bytes, needs at least 16");
                    }
                    if (size > remaining)
                    {
                        throw Bad($"truncated header: fmt chunk claims {size} bytes but only {remaining} remain");
                    }
                    if (size > MaxFmtChunkBytes)
                    {
                        throw Bad($"fmt chunk size {size} is implausible (at most {MaxFmtChunkBytes})");
                    }
                    if (format is null)
                    {
                        byte[] fmt = new byte[size];
                        ReadAt(body, fmt);
                        format = WavFormat.Parse(fmt, source);
                    }
                }
                else if (id.SequenceEqual("data"u8))
                {
                    if (size > remaining && WavStreamReader.IsPlaceholderSize(size))
                    {
                        // A streaming writer's placeholder (the file was written through a pipe): the data runs to the end.
                        size = (uint)Math.Min(remaining, uint.MaxValue);
                    }
                    if (size > remaining)
                    {
                        throw Bad(body + size <= riffEnd
                            ? $"truncated data: data chunk declares {size} bytes but the file ends after {remaining}"
                            : $"data size past end of file: data chunk declares {size} bytes but only {remaining} remain");
                    }
                    if (dataOffset < 0)
                    {
                        dataOffset = body;
                        dataSize = size;
                    }
                }
                else if (size > remaining)
                {
                    if (format is not null && dataOffset >= 0)
                    {
                        break; // A damaged trailing chunk after the audio: ignored, as libsndfile does.
                    }
                    throw Bad($"chunk {Describe(id)} claims {size} bytes but only {remaining} remain");
                }
                pos = body + size + (size & 1);
            }

            if (format is null)
            {
                throw Bad(dataOffset < 0 && pos == 12
                    ? $"truncated header: no chunk after the 12-byte RIFF header ({_length} bytes in all)"
                    : "no 'fmt ' chunk");
            }
            if (dataOffset < 0)
            {
                throw Bad("no 'data' chunk");
            }
            WavFormat f = format.Value;
            long frames = dataSize / f.BlockAlign;
            if (frames == 0)
            {
                throw Bad($"empty audio: the data chunk holds {dataSize} bytes, no complete sample frame of {f.BlockAlign} bytes");
            }
            if (frames > Array.MaxLength)
            {
                throw Bad($"{frames} sample frames exceed the largest array this reader can return");
            }
            return new AudioSignal(Decode(f, dataOffset, (int)frames), f.SampleRate);
        }

        private float[] Decode(WavFormat f, long offset, int frames)
        {
            var output = new float[frames];
            int framesPerBlock = Math.Max(1, ReadBlockBytes / f.BlockAlign);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(framesPerBlock * f.BlockAlign);
            float[]? mix = f.Channels > 1 ? ArrayPool<float>.Shared.Rent(framesPerBlock * f.Channels) : null;
            try
            {
                stream.Position = _origin + offset;
                for (int done = 0; done < frames;)
                {
                    int n = Math.Min(framesPerBlock, frames - done);
                    Span<byte> bytes = buffer.AsSpan(0, n * f.BlockAlign);
                    stream.ReadExactly(bytes);
                    Span<float> dst = output.AsSpan(done, n);
                    if (f.Channels == 1)
                    {
                        WavDecoder.Decode(f, bytes, dst);
                    }
                    else
                    {
                        Span<float> interleaved = mix.AsSpan(0, n * f.Channels);
                        WavDecoder.Decode(f, bytes, interleaved);
                        WavDecoder.DownMix(interleaved, f.Channels, dst);
                    }
                    done += n;
                }
            }
            catch (EndOfStreamException)
            {
                throw Bad("truncated data: the stream ended inside the data chunk");
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                if (mix is not null)
                {
                    ArrayPool<float>.Shared.Return(mix);
                }
            }
            return output;
        }

        private void ReadAt(long offset, Span<byte> destination)
        {
            stream.Position = _origin + offset;
            stream.ReadExactly(destination);
        }

        private WavFormatException Bad(string reason) => new(source, reason);

        private static string Describe(ReadOnlySpan<byte> tag) => WavFormat.DescribeTag(tag);
    }
}
