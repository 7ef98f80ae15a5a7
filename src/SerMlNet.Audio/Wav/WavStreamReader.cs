using System.Buffers;
using System.Buffers.Binary;

namespace SerMlNet.Audio.Wav;

/// <summary>
/// Reads a WAV stream front to back, without seeking and without holding more than one 64-KB buffer: a pipe from
/// <c>sox -d -t wav -</c> or <c>arecord -t wav</c>, standard input, a socket, or a file. The header is read up to the
/// <c>data</c> chunk (<c>fmt </c> must come before it; other chunks are skipped); then <see cref="Read"/> or
/// <see cref="ReadAsync"/> return mono samples (channels averaged, as <see cref="WavFile"/> does, bit-identical) block
/// by block until the data ends.
/// <para><b>Streaming headers.</b> A writer that cannot seek back writes a placeholder data size: 0, <c>0xFFFFFFFF</c>,
/// <c>0x7FFFFFFF</c> (arecord) or <c>0x7FFFF000</c> (SoX's <c>MS_UNSPEC</c>). With one of those (<see cref="IsPlaceholderSize"/>)
/// the data runs to the end of the stream. Any other size is the data's length: the reader stops there.</para>
/// <para><b>Truncation.</b> A stream that ends inside the header, inside a sample frame, or before its declared data size
/// gives a <see cref="TruncatedWavException"/>, raised by the call after the one that returned the last complete
/// frame. Other malformed headers give a <see cref="WavFormatException"/>. Not thread-safe (one reader per stream).</para>
/// </summary>
public sealed class WavStreamReader
{
    private const int BufferBytes = 1 << 16;

    private readonly Stream _stream;
    private readonly string _source;
    private readonly byte[] _buffer = new byte[BufferBytes];
    private int _start;
    private int _end;
    private bool _endOfStream;
    private long _consumed;
    private WavFormat _format;
    private long? _dataLeft;
    private float[] _interleaved = [];

    private WavStreamReader(Stream stream, string source)
    {
        _stream = stream;
        _source = source;
    }

    /// <summary>Sample rate of the stream, in Hz.</summary>
    public int SampleRate => _format.SampleRate;

    /// <summary>Channels per frame (averaged to one by the reads).</summary>
    public int Channels => _format.Channels;

    /// <summary>Bits per sample of one channel (8, 16, 24, 32 PCM; 32, 64 float).</summary>
    public int BitsPerSample => _format.BitsPerSample;

    /// <summary>Sample frames the header declares; null when its data size is a streaming placeholder (read to the end).</summary>
    public long? DeclaredFrames { get; private set; }

    /// <summary>Sample frames returned so far.</summary>
    public long FramesRead { get; private set; }

    /// <summary>Seconds of audio returned so far (<see cref="FramesRead"/> / <see cref="SampleRate"/>).</summary>
    public double SecondsRead => FramesRead / (double)SampleRate;

    /// <summary>Whether a declared data size is a placeholder that means "until the end of the stream".</summary>
    /// <param name="size">The <c>data</c> chunk's size field.</param>
    /// <returns>True for 0, 0x7FFFF000, 0x7FFFFFFF and 0xFFFFFFFF.</returns>
    public static bool IsPlaceholderSize(uint size) => size is 0 or 0x7FFF_F000 or 0x7FFF_FFFF or 0xFFFF_FFFF;

    /// <summary>Reads the header, blocking.</summary>
    /// <param name="stream">The stream, from its current position; not disposed by the reader.</param>
    /// <param name="sourceName">Name for error messages (a path, <c>stdin</c>).</param>
    /// <returns>A reader positioned at the first sample frame.</returns>
    /// <exception cref="WavFormatException">The header is not one this library reads.</exception>
    /// <exception cref="TruncatedWavException">The stream ended inside the header.</exception>
    public static WavStreamReader Open(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        var reader = new WavStreamReader(stream, sourceName);
        ValueTask header = reader.ReadHeaderAsync(async: false, CancellationToken.None);
        header.GetAwaiter().GetResult(); // Completed: no read awaited asynchronously.
        return reader;
    }

    /// <summary>Reads the header without blocking a thread.</summary>
    /// <param name="stream">The stream, from its current position; not disposed by the reader.</param>
    /// <param name="sourceName">Name for error messages.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>A reader positioned at the first sample frame.</returns>
    /// <exception cref="WavFormatException">The header is not one this library reads.</exception>
    /// <exception cref="TruncatedWavException">The stream ended inside the header.</exception>
    public static async Task<WavStreamReader> OpenAsync(Stream stream, string sourceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        var reader = new WavStreamReader(stream, sourceName);
        await reader.ReadHeaderAsync(async: true, cancellationToken).ConfigureAwait(false);
        return reader;
    }

    /// <summary>Reads the next mono samples, blocking until at least one frame is there or the data ends.</summary>
    /// <param name="destination">Receives up to its length of samples.</param>
    /// <returns>Samples written; 0 at the end of the data.</returns>
    /// <exception cref="TruncatedWavException">The stream ended inside a frame or before the declared data size.</exception>
    public int Read(Span<float> destination)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }
        ValueTask<int> ready = EnsureFrameAsync(async: false, CancellationToken.None);
        int frames = ready.GetAwaiter().GetResult(); // Completed: no read awaited asynchronously.
        return Decode(destination, frames);
    }

    /// <summary>Reads the next mono samples without blocking a thread.</summary>
    /// <param name="destination">Receives up to its length of samples.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Samples written; 0 at the end of the data.</returns>
    /// <exception cref="TruncatedWavException">The stream ended inside a frame or before the declared data size.</exception>
    public async ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }
        int frames = await EnsureFrameAsync(async: true, cancellationToken).ConfigureAwait(false);
        return Decode(destination.Span, frames);
    }

    /// <summary>Reads the rest of the stream into one signal (for a stream read whole).</summary>
    /// <returns>The mono signal.</returns>
    /// <exception cref="WavFormatException">The data holds no complete frame.</exception>
    /// <exception cref="TruncatedWavException">The stream ended inside a frame or before the declared data size.</exception>
    public AudioSignal ReadToEnd()
    {
        var samples = new float[(int)Math.Clamp(DeclaredFrames ?? BufferBytes, 1, Array.MaxLength)];
        int count = 0;
        while (true)
        {
            if (count == samples.Length)
            {
                if (samples.Length == Array.MaxLength)
                {
                    throw new WavFormatException(_source, "the stream holds more sample frames than the largest array this reader can return");
                }
                Array.Resize(ref samples, (int)Math.Min(Array.MaxLength, 2L * samples.Length));
            }
            int n = Read(samples.AsSpan(count));
            if (n == 0)
            {
                break;
            }
            count += n;
        }
        if (count == 0)
        {
            throw new WavFormatException(_source, "empty audio: the data chunk holds no complete sample frame");
        }
        return new AudioSignal(count == samples.Length ? samples : samples[..count], SampleRate);
    }

    /// <summary>Complete frames available in the buffer (within the data), filling it first when it holds none.</summary>
    private async ValueTask<int> EnsureFrameAsync(bool async, CancellationToken cancellationToken)
    {
        int block = _format.BlockAlign;
        if (AvailableDataBytes() < block && _dataLeft is not < 1)
        {
            if (_dataLeft is long left && left < block)
            {
                // A declared size that is not a whole number of frames: the odd bytes at its end are not audio.
                return 0;
            }
            if (!await FillAsync(block, async, cancellationToken).ConfigureAwait(false))
            {
                int partial = AvailableDataBytes();
                if (partial > 0)
                {
                    throw Truncated($"truncated data: the stream ended {partial} byte(s) into a {block}-byte sample frame, after {FramesRead} complete frame(s) ({SecondsRead:F2} s)");
                }
                if (_dataLeft is long declared)
                {
                    throw Truncated($"truncated data: the header declares {declared + FramesRead * block} data bytes but the stream ended after {FramesRead * block} ({FramesRead} frame(s), {SecondsRead:F2} s)");
                }
                return 0;
            }
        }
        return AvailableDataBytes() / block;
    }

    private int Decode(Span<float> destination, int available)
    {
        int frames = Math.Min(destination.Length, available);
        if (frames == 0)
        {
            return 0;
        }
        int block = _format.BlockAlign;
        ReadOnlySpan<byte> bytes = _buffer.AsSpan(_start, frames * block);
        if (_format.Channels == 1)
        {
            WavDecoder.Decode(_format, bytes, destination[..frames]);
        }
        else
        {
            int values = frames * _format.Channels;
            if (_interleaved.Length < values)
            {
                _interleaved = new float[Math.Max(values, BufferBytes / block * _format.Channels)];
            }
            WavDecoder.Decode(_format, bytes, _interleaved.AsSpan(0, values));
            WavDecoder.DownMix(_interleaved.AsSpan(0, values), _format.Channels, destination[..frames]);
        }
        Consume(frames * block);
        if (_dataLeft is long left)
        {
            _dataLeft = left - frames * block;
        }
        FramesRead += frames;
        return frames;
    }

    private int AvailableDataBytes()
    {
        int buffered = _end - _start;
        return _dataLeft is long left ? (int)Math.Min(buffered, left) : buffered;
    }

    private async ValueTask ReadHeaderAsync(bool async, CancellationToken cancellationToken)
    {
        if (!await FillAsync(12, async, cancellationToken).ConfigureAwait(false))
        {
            throw Truncated($"truncated header: the stream ended after {_end - _start} byte(s), a RIFF/WAVE header needs 12");
        }
        ReadOnlySpan<byte> head = _buffer.AsSpan(_start, 12);
        if (!head[..4].SequenceEqual("RIFF"u8))
        {
            throw Bad(head[..4].SequenceEqual("RF64"u8)
                ? "RF64 (64-bit RIFF) files are not supported"
                : $"not a WAV file: starts with {WavFormat.DescribeTag(head[..4])} instead of 'RIFF'");
        }
        if (!head.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw Bad($"not a WAV file: RIFF form type is {WavFormat.DescribeTag(head.Slice(8, 4))}, expected 'WAVE'");
        }
        Consume(12);
        bool haveFormat = false;
        while (true)
        {
            if (!await FillAsync(8, async, cancellationToken).ConfigureAwait(false))
            {
                throw Truncated($"truncated header: the stream ended after {_consumed + _end - _start} byte(s), before its 'data' chunk");
            }
            string id = WavFormat.DescribeTag(_buffer.AsSpan(_start, 4));
            bool isFmt = _buffer.AsSpan(_start, 4).SequenceEqual("fmt "u8);
            bool isData = _buffer.AsSpan(_start, 4).SequenceEqual("data"u8);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_start + 4, 4));
            Consume(8);
            if (isData)
            {
                if (!haveFormat)
                {
                    throw Bad("the 'data' chunk comes before the 'fmt ' chunk, which a stream cannot go back for");
                }
                if (IsPlaceholderSize(size))
                {
                    _dataLeft = null;
                    DeclaredFrames = null;
                }
                else
                {
                    _dataLeft = size;
                    DeclaredFrames = size / _format.BlockAlign;
                }
                return;
            }
            long padded = size + (size & 1);
            if (isFmt && !haveFormat)
            {
                if (size < 16)
                {
                    throw Bad($"fmt chunk is {size} bytes, needs at least 16");
                }
                if (size > WavFormat.MaxFmtChunkBytes)
                {
                    throw Bad($"fmt chunk size {size} is implausible (at most {WavFormat.MaxFmtChunkBytes})");
                }
                if (!await FillAsync((int)padded, async, cancellationToken).ConfigureAwait(false) && _end - _start < size)
                {
                    throw Truncated($"truncated header: fmt chunk claims {size} bytes but the stream ended after {_end - _start}");
                }
                _format = WavFormat.Parse(_buffer.AsSpan(_start, (int)size), _source);
                haveFormat = true;
                Consume((int)Math.Min(padded, _end - _start));
                continue;
            }
            // Any other chunk (or a second fmt): skipped, a buffer at a time.
            for (long left = padded; left > 0;)
            {
                if (_end == _start && !await FillAsync(1, async, cancellationToken).ConfigureAwait(false))
                {
                    if (left == 1 && padded != size)
                    {
                        break; // Only the pad byte is missing.
                    }
                    throw Truncated($"truncated header: chunk {id} claims {size} bytes but the stream ended {left} byte(s) short");
                }
                int skip = (int)Math.Min(left, _end - _start);
                Consume(skip);
                left -= skip;
            }
        }
    }

    /// <summary>Makes the buffer hold at least <paramref name="count"/> unread bytes; false when the stream ends first.</summary>
    private async ValueTask<bool> FillAsync(int count, bool async, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
        {
            if (_endOfStream)
            {
                return false;
            }
            if (_start > 0 && (_buffer.Length - _end < count || _start == _end))
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            Memory<byte> free = _buffer.AsMemory(_end);
            int n = async
                ? await _stream.ReadAsync(free, cancellationToken).ConfigureAwait(false)
                : _stream.Read(free.Span);
            if (n == 0)
            {
                _endOfStream = true;
                return false;
            }
            _end += n;
        }
        return true;
    }

    private void Consume(int bytes)
    {
        _start += bytes;
        _consumed += bytes;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    private WavFormatException Bad(string reason) => new(_source, reason);

    private TruncatedWavException Truncated(string reason) => new(_source, reason, FramesRead);
}
