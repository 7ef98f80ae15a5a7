namespace SerMlNet.Audio;

/// <summary>
/// A mono audio signal: float samples nominally in [-1, 1] and their sample rate. Multi-channel files are down-mixed to
/// this form when read (<see cref="Wav.WavFile.Read(string)"/>). The sample array is shared, not copied: treat it as
/// read-only once handed over. Thread-safe for reading.
/// </summary>
public sealed class AudioSignal
{
    /// <summary>Creates a signal over <paramref name="samples"/> (not copied).</summary>
    /// <param name="samples">Mono samples.</param>
    /// <param name="sampleRate">Sample rate in Hz; must be positive.</param>
    public AudioSignal(float[] samples, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        Samples = samples;
        SampleRate = sampleRate;
    }

    /// <summary>The mono samples.</summary>
    public float[] Samples { get; }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Duration in seconds (<c>Samples.Length / SampleRate</c>).</summary>
    public double DurationSeconds => Samples.Length / (double)SampleRate;
}
