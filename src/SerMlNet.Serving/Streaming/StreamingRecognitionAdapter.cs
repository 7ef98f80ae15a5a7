// ============================================================================================================
// TEMPORARY ADAPTER: stands in for the streaming API of the 'stream' branch (an IAsyncEnumerable of per-window
// results from any Stream holding a possibly unbounded WAV), which had not landed on main when /v1/stream was
// written. Everything /v1/stream needs from that API goes through RecognizeWindowsAsync below; when the branch is
// merged, this file shrinks to a call of the recognizer's own streaming method and a mapping to StreamedWindow.
// ============================================================================================================
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Onnx;
using SerMlNet.Onnx.Recognition;

namespace SerMlNet.Serving.Streaming;

/// <summary>One window of a streamed input and the model's answer for it. Immutable; thread-safe.</summary>
/// <param name="Index">Position of the window, 0 first.</param>
/// <param name="StartSeconds">Start in seconds from the start of the stream.</param>
/// <param name="EndSeconds">End in seconds from the start of the stream.</param>
/// <param name="Prediction">The window's prediction.</param>
public sealed record StreamedWindow(int Index, double StartSeconds, double EndSeconds, EmotionPrediction Prediction);

/// <summary>
/// Scores a WAV stream window by window as it arrives (temporary adapter, see the banner at the top of the file). The
/// header may be a streaming one (RIFF and <c>data</c> sizes 0 or 0xFFFFFFFF: the data runs to the end of the stream).
/// Every <see cref="EmotionRecognizer.HopSeconds"/> of new audio, once a whole window
/// (<see cref="EmotionRecognizer.WindowSeconds"/>) has arrived, the last window is scored on its own with
/// <see cref="EmotionRecognizer.Recognize(AudioSignal, string)"/> (so it is trimmed and scaled on its own, unlike the
/// windows of a whole file, which share the clip's loudest frame); at the end, the audio after the last window is
/// covered by one more window aligned to the end, and a stream shorter than a window is scored whole. Memory stays at
/// about one window of samples whatever the stream's length. Stateless; thread-safe.
/// </summary>
internal static class StreamingRecognitionAdapter
{
    private const int MaxFmtBytes = 4096;
    private const int ReadBytes = 16 * 1024;

    /// <summary>Scores the windows of a WAV stream as they become complete.</summary>
    /// <param name="recognizer">The recognizer.</param>
    /// <param name="wav">The stream, read forward only, asynchronously.</param>
    /// <param name="source">Name of the input in error messages.</param>
    /// <param name="score">Runs one scoring call (the service bounds concurrency with it); receives the mono window at the stream's rate.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The windows in time order; at least one for a stream with any audio.</returns>
    /// <exception cref="WavFormatException">The header is not a WAV header this adapter decodes, or the data holds no samples.</exception>
    public static async IAsyncEnumerable<StreamedWindow> RecognizeWindowsAsync(
        EmotionRecognizer recognizer, Stream wav, string source,
        Func<AudioSignal, CancellationToken, Task<RecognitionResult>> score,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StreamFormat format = await ReadHeaderAsync(wav, source, cancellationToken).ConfigureAwait(false);
        int rate = format.SampleRate;
        int windowLength = Math.Max(1, (int)Math.Round(recognizer.WindowSeconds * rate));
        int hopLength = Math.Max(1, (int)Math.Round(recognizer.HopSeconds * rate));

        // Mono samples kept: from absolute sample 'kept' on; the next window starts at 'next'.
        float[] kept = new float[windowLength + hopLength + ReadBytes];
        int keptCount = 0;
        long keptStart = 0;
        long next = 0;
        long total = 0;
        int index = 0;
        long lastEnd = 0;

        byte[] bytes = new byte[ReadBytes];
        int carry = 0;
        long remaining = format.DataBytes ?? long.MaxValue;
        while (remaining > 0)
        {
            int want = (int)Math.Min(bytes.Length - carry, remaining);
            int n = await wav.ReadAsync(bytes.AsMemory(carry, want), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }
            remaining -= n;
            int have = carry + n;
            int frames = have / format.BlockAlign;
            // Room for the new samples: drop what no window can need any more.
            long keepFrom = Math.Min(next, total - windowLength);
            if (keepFrom > keptStart)
            {
                int drop = (int)(keepFrom - keptStart);
                kept.AsSpan(drop, keptCount - drop).CopyTo(kept);
                keptCount -= drop;
                keptStart = keepFrom;
            }
            if (keptCount + frames > kept.Length)
            {
                Array.Resize(ref kept, keptCount + frames);
            }
            Decode(format, bytes.AsSpan(0, frames * format.BlockAlign), kept.AsSpan(keptCount, frames));
            keptCount += frames;
            total += frames;
            carry = have - frames * format.BlockAlign;
            bytes.AsSpan(frames * format.BlockAlign, carry).CopyTo(bytes);

            while (next + windowLength <= total)
            {
                yield return await ScoreAsync(next, windowLength).ConfigureAwait(false);
                lastEnd = next + windowLength;
                next += hopLength;
            }
        }
        // A bounded data chunk cut short is scored as far as it came: a live stream may end at any moment.
        if (total == 0)
        {
            throw new WavFormatException(source, "the data chunk holds no samples");
        }
        if (index == 0)
        {
            yield return await ScoreAsync(0, (int)total).ConfigureAwait(false);
        }
        else if (lastEnd < total)
        {
            yield return await ScoreAsync(total - windowLength, windowLength).ConfigureAwait(false);
        }

        async Task<StreamedWindow> ScoreAsync(long start, int length)
        {
            float[] samples = kept.AsSpan((int)(start - keptStart), length).ToArray();
            RecognitionResult result = await score(new AudioSignal(samples, rate), cancellationToken).ConfigureAwait(false);
            return new StreamedWindow(index++, start / (double)rate, (start + length) / (double)rate, result.Prediction);
        }
    }

    /// <summary>What the header says: the sample layout and the data chunk's size (null: to the end of the stream).</summary>
    private sealed record StreamFormat(ushort Encoding, int Channels, int SampleRate, int BitsPerSample, long? DataBytes)
    {
        public int BlockAlign => Channels * (BitsPerSample / 8);
    }

    private static async Task<StreamFormat> ReadHeaderAsync(Stream wav, string source, CancellationToken cancellationToken)
    {
        byte[] head = new byte[12];
        await ReadExactAsync(wav, head, source, "the RIFF header", cancellationToken).ConfigureAwait(false);
        if (!head.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !head.AsSpan(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new WavFormatException(source, "not a RIFF/WAVE stream (no 'RIFF....WAVE' header)");
        }
        StreamFormat? format = null;
        byte[] chunk = new byte[8];
        while (true)
        {
            await ReadExactAsync(wav, chunk, source, format is null ? "a 'fmt ' chunk" : "a 'data' chunk", cancellationToken).ConfigureAwait(false);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(4));
            ReadOnlySpan<byte> id = chunk.AsSpan(0, 4);
            if (id.SequenceEqual("fmt "u8))
            {
                if (size is < 16 or > MaxFmtBytes)
                {
                    throw new WavFormatException(source, $"the 'fmt ' chunk is {size} bytes (expected 16 to {MaxFmtBytes})");
                }
                byte[] fmt = new byte[size + (size & 1)];
                await ReadExactAsync(wav, fmt, source, "the 'fmt ' chunk", cancellationToken).ConfigureAwait(false);
                format = ParseFormat(fmt, source);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is null)
                {
                    throw new WavFormatException(source, "the 'data' chunk comes before the 'fmt ' chunk");
                }
                // 0 and 0xFFFFFFFF are what streaming writers put before they know the length.
                return format with { DataBytes = size is 0 or uint.MaxValue ? null : size };
            }
            else
            {
                long skip = size + (size & 1);
                byte[] scratch = new byte[(int)Math.Min(skip, ReadBytes)];
                while (skip > 0)
                {
                    int n = (int)Math.Min(skip, scratch.Length);
                    await ReadExactAsync(wav, scratch.AsMemory(0, n), source, "a chunk before 'data'", cancellationToken).ConfigureAwait(false);
                    skip -= n;
                }
            }
        }
    }

    private static StreamFormat ParseFormat(ReadOnlySpan<byte> fmt, string source)
    {
        ushort encoding = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (encoding == 0xFFFE && fmt.Length >= 26)
        {
            encoding = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        }
        if (channels is < 1 or > WavFile.MaxChannels)
        {
            throw new WavFormatException(source, $"{channels} channels (expected 1 to {WavFile.MaxChannels})");
        }
        if (rate is < WavFile.MinSampleRate or > WavFile.MaxSampleRate)
        {
            throw new WavFormatException(source, $"sample rate {rate} Hz (expected {WavFile.MinSampleRate} to {WavFile.MaxSampleRate})");
        }
        bool supported = (encoding == 1 && bits is 8 or 16 or 24 or 32) || (encoding == 3 && bits == 32);
        if (!supported)
        {
            throw new WavFormatException(source, $"a stream of encoding {encoding} with {bits}-bit samples (streams take PCM 8/16/24/32-bit or 32-bit float)");
        }
        return new StreamFormat(encoding, channels, (int)rate, bits, null);
    }

    /// <summary>Decodes interleaved frames and down-mixes them to mono by the mean of the channels, in float32.</summary>
    private static void Decode(StreamFormat format, ReadOnlySpan<byte> data, Span<float> mono)
    {
        int channels = format.Channels;
        int width = format.BitsPerSample / 8;
        float scale = 1f / channels;
        for (int f = 0; f < mono.Length; f++)
        {
            ReadOnlySpan<byte> frame = data.Slice(f * format.BlockAlign, format.BlockAlign);
            float sum = 0;
            for (int c = 0; c < channels; c++)
            {
                ReadOnlySpan<byte> s = frame.Slice(c * width, width);
                sum += (format.Encoding, width) switch
                {
                    (3, 4) => BinaryPrimitives.ReadSingleLittleEndian(s),
                    (_, 1) => (s[0] - 128) / 128f,
                    (_, 2) => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768f,
                    (_, 3) => ((s[0] << 8 | s[1] << 16 | s[2] << 24) >> 8) / 8388608f,
                    _ => BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648f,
                };
            }
            mono[f] = channels == 1 ? sum : sum * scale;
        }
    }

    private static async Task ReadExactAsync(Stream wav, Memory<byte> buffer, string source, string what, CancellationToken cancellationToken)
    {
        try
        {
            await wav.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw new WavFormatException(source, $"the stream ended inside {what}");
        }
    }
}
