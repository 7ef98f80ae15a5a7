using System.Buffers.Binary;

namespace SerMlNet.Onnx.Tests.Recognition;

/// <summary>
/// A forward-only WAV stream of any length, generated as it is read (nothing held in memory): a streaming header
/// (sizes 0xFFFFFFFF), then 16-bit stereo frames of 2-s bursts of a gliding tone with noise and 1-s pauses, seeded.
/// For showing that recognising a long stream runs in bounded memory.
/// </summary>
internal sealed class SyntheticWavStream(double seconds, int sampleRate = 48000) : Stream
{
    private const int Channels = 2;
    private readonly long _frames = (long)(seconds * sampleRate);
    private readonly byte[] _header = Header(sampleRate);
    private readonly Random _random = new(7);
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int written = 0;
        while (written < buffer.Length && _position < _header.Length)
        {
            buffer[written++] = _header[_position++];
        }
        long frame = (_position - _header.Length) / (2 * Channels);
        while (written + 2 * Channels <= buffer.Length && frame < _frames)
        {
            double t = frame / (double)sampleRate;
            double phase = t % 3.0;
            double value = phase < 2.0
                ? 0.3 * Math.Sin(2 * Math.PI * (180 + 40 * phase) * t) + 0.02 * (_random.NextDouble() - 0.5)
                : 0;
            short sample = (short)Math.Round(value * 32767);
            for (int c = 0; c < Channels; c++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(buffer.Slice(written, 2), sample);
                written += 2;
            }
            frame++;
            _position += 2 * Channels;
        }
        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static byte[] Header(int rate)
    {
        var h = new byte[44];
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4), 0xFFFF_FFFF);
        "WAVEfmt "u8.CopyTo(h.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(22), Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(24), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(28), (uint)(rate * 2 * Channels));
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(32), 2 * Channels);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(34), 16);
        "data"u8.CopyTo(h.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(40), 0xFFFF_FFFF);
        return h;
    }
}
