namespace SerMlNet.Audio.Normalisation;

/// <summary>Which frames <see cref="FixedLength"/> keeps when a matrix is longer than wanted.</summary>
public enum CropAlignment
{
    /// <summary>Keep the first frames (default; librosa <c>fix_length</c> behaviour).</summary>
    Start,

    /// <summary>Keep the middle frames (the extra <c>(n - frames) / 2</c> frames dropped from the start, the rest from the end).</summary>
    Center,

    /// <summary>Keep the last frames.</summary>
    End,
}
