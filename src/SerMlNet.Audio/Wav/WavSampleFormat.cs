namespace SerMlNet.Audio.Wav;

/// <summary>Sample encoding used when writing a WAV file.</summary>
public enum WavSampleFormat
{
    /// <summary>16-bit signed PCM; samples are scaled by 32768, rounded to nearest and clipped to [-32768, 32767].</summary>
    Pcm16,

    /// <summary>32-bit IEEE float (format tag 3); samples are written unchanged.</summary>
    Float32,
}
