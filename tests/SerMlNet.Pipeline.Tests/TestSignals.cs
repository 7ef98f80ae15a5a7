using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Tests;

namespace SerMlNet.Pipeline.Tests;

internal static class TestSignals
{
    public static string ClipPath(string actor = "Actor_03", string name = "03-01-05-01-01-01-03.wav") =>
        Path.Combine(RepoPaths.Ravdess16k, actor, name);

    public static Clip Clip(string actor = "Actor_03", string name = "03-01-05-01-01-01-03.wav")
    {
        RavdessName parsed = RavdessName.Parse(name);
        return new Clip($"{actor}/{name}", ClipPath(actor, name), parsed.Emotion, parsed.Speaker, parsed.Gender, "normal");
    }

    public static AudioSignal Speech() => WavFile.Read(ClipPath());

    public static AudioSignal Tone(double hz, double seconds, int sampleRate = 16000, double amplitude = 0.5)
    {
        var samples = new float[(int)(seconds * sampleRate)];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / sampleRate));
        }
        return new AudioSignal(samples, sampleRate);
    }
}
