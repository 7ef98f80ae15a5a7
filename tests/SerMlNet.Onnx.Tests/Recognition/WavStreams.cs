using System.Buffers.Binary;
using SerMlNet.Audio;
using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Wav;
using SerMlNet.Tests;

namespace SerMlNet.Onnx.Tests.Recognition;

/// <summary>WAV images for the stream tests: streaming headers, cuts, and clips joined with pauses.</summary>
internal static class WavStreams
{
    /// <summary>A 16-bit mono WAV image whose RIFF and data sizes are a streaming placeholder (what a pipe writer leaves).</summary>
    /// <param name="signal">The samples.</param>
    /// <param name="placeholder">The size written in both fields; default 0xFFFFFFFF.</param>
    /// <returns>The bytes.</returns>
    public static byte[] StreamingImage(AudioSignal signal, uint placeholder = 0xFFFF_FFFF)
    {
        using var memory = new MemoryStream();
        WavFile.Write(memory, signal.Samples, signal.SampleRate, WavSampleFormat.Pcm16);
        byte[] bytes = memory.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), placeholder);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(40), placeholder);
        return bytes;
    }

    /// <summary>16 kHz clips joined with pauses of digital silence, then resampled to <paramref name="rate"/>.</summary>
    /// <param name="rate">Output rate in Hz.</param>
    /// <param name="pauseSeconds">Silence after each clip, in seconds.</param>
    /// <param name="clips">16 kHz WAV files.</param>
    /// <returns>The signal at <paramref name="rate"/>.</returns>
    public static AudioSignal JoinWithPauses(int rate, double pauseSeconds, params string[] clips)
    {
        var samples = new List<float>();
        foreach (string clip in clips)
        {
            samples.AddRange(WavFile.Read(clip).Samples);
            samples.AddRange(new float[(int)(pauseSeconds * 16000)]);
        }
        float[] joined = [.. samples];
        return new AudioSignal(rate == 16000 ? joined : new Resampler(16000, rate).Process(joined), rate);
    }
}
