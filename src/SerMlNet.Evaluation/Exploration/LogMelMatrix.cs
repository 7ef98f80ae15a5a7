namespace SerMlNet.Evaluation.Exploration;

/// <summary>
/// A log-Mel spectrogram in dB, librosa's orientation: <see cref="Bands"/> rows (band 0 = lowest frequency) by
/// <see cref="Frames"/> columns, row-major, so (band b, frame t) is at <c>b * Frames + t</c>. The data array is
/// shared, not copied (an audio feature matrix maps as <c>new LogMelMatrix(m.Rows, m.Columns, m.Data)</c>).
/// Thread-safe for reading.
/// </summary>
public sealed class LogMelMatrix
{
    /// <summary>Wraps row-major dB values.</summary>
    /// <param name="bands">Number of Mel bands (rows), at least 1.</param>
    /// <param name="frames">Number of frames (columns), at least 1.</param>
    /// <param name="data">Values in dB, length <c>bands * frames</c>; not copied.</param>
    public LogMelMatrix(int bands, int frames, float[] data)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        ArgumentNullException.ThrowIfNull(data);
        if ((long)bands * frames != data.Length)
        {
            throw new ArgumentException($"data has {data.Length} values, expected {bands} x {frames} = {(long)bands * frames}", nameof(data));
        }
        Bands = bands;
        Frames = frames;
        Data = data;
    }

    /// <summary>Number of Mel bands (rows).</summary>
    public int Bands { get; }

    /// <summary>Number of frames (columns).</summary>
    public int Frames { get; }

    /// <summary>Row-major values in dB, length <c>Bands * Frames</c>.</summary>
    public float[] Data { get; }

    /// <summary>The value of one band in one frame, in dB.</summary>
    /// <param name="band">Band index in [0, Bands).</param>
    /// <param name="frame">Frame index in [0, Frames).</param>
    public float this[int band, int frame]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(band);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(band, Bands);
            ArgumentOutOfRangeException.ThrowIfNegative(frame);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, Frames);
            return Data[band * Frames + frame];
        }
    }

    /// <summary>One band over all frames.</summary>
    /// <param name="band">Band index.</param>
    /// <returns>A span of <see cref="Frames"/> values over the shared data.</returns>
    public ReadOnlySpan<float> Band(int band)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(band);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(band, Bands);
        return Data.AsSpan(band * Frames, Frames);
    }
}
