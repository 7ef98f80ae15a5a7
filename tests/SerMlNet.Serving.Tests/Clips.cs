using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Tests;

namespace SerMlNet.Serving.Tests;

/// <summary>RAVDESS clips the tests send, and WAV images made from them.</summary>
internal static class Clips
{
    /// <summary>A 48 kHz original of an angry clip (emotion code 05) that the shipped model names correctly.</summary>
    public static string Angry48k => Path.Combine(RepoPaths.Ravdess48kSamples, "03-01-05-02-01-01-03.wav");

    /// <summary>A 16 kHz surprised clip (code 08) of actor 01.</summary>
    public static string Surprised16k => Path.Combine(RepoPaths.Ravdess16k, "Actor_01", "03-01-08-02-02-01-01.wav");

    /// <summary>The 16-bit mono WAV image of a signal.</summary>
    /// <param name="samples">Mono samples in [-1, 1].</param>
    /// <param name="sampleRate">Hz.</param>
    /// <returns>The bytes.</returns>
    public static byte[] WavImage(ReadOnlySpan<float> samples, int sampleRate)
    {
        using var stream = new MemoryStream();
        WavFile.Write(stream, samples, sampleRate, WavSampleFormat.Pcm16);
        return stream.ToArray();
    }

    /// <summary>The same image with a streaming header: RIFF and data sizes 0xFFFFFFFF (written before the length is known).</summary>
    /// <param name="wav">A canonical 44-byte-header WAV image.</param>
    /// <returns>A copy with the two sizes replaced.</returns>
    public static byte[] WithStreamingHeader(byte[] wav)
    {
        byte[] copy = (byte[])wav.Clone();
        Assert.Equal("data", System.Text.Encoding.ASCII.GetString(copy, 36, 4));
        copy.AsSpan(4, 4).Fill(0xFF);
        copy.AsSpan(40, 4).Fill(0xFF);
        return copy;
    }

    /// <summary>Several 16-kHz clips of one emotion, end to end.</summary>
    /// <param name="seconds">At least this long.</param>
    /// <returns>The mono samples at 16 kHz.</returns>
    public static float[] LongAngry16k(double seconds)
    {
        var all = new List<float>();
        foreach (string file in Directory.GetFiles(Path.Combine(RepoPaths.Ravdess16k, "Actor_01"), "03-01-05-*.wav").Order(StringComparer.Ordinal))
        {
            AudioSignal clip = WavFile.Read(file);
            Assert.Equal(16000, clip.SampleRate);
            all.AddRange(clip.Samples);
            if (all.Count >= seconds * 16000)
            {
                break;
            }
        }
        return [.. all];
    }
}
