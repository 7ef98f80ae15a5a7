namespace SerMlNet.Onnx;

/// <summary>Which frames the in-graph fixed-length step keeps when the spectrogram is longer than <see cref="FrontEndDescription.Frames"/>.</summary>
public enum FrameCropAlignment
{
    /// <summary>The first frames (librosa <c>fix_length</c>); the default.</summary>
    Start,

    /// <summary>The middle frames: <c>(n - Frames) / 2</c> (integer division) dropped from the start, the rest from the end.</summary>
    Center,

    /// <summary>The last frames.</summary>
    End,
}
