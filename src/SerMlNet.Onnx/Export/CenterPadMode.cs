namespace SerMlNet.Onnx;

/// <summary>How the in-graph centred STFT pads the signal by <c>NFft / 2</c> samples on each side (numpy <c>np.pad</c> modes, as librosa).</summary>
public enum CenterPadMode
{
    /// <summary>Zeros (librosa's default since 0.10, <c>pad_mode='constant'</c>).</summary>
    Constant,

    /// <summary>Mirror without repeating the edge sample (<c>pad_mode='reflect'</c>); the signal must be longer than <c>NFft / 2</c>.</summary>
    Reflect,
}
