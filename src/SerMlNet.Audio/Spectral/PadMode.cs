namespace SerMlNet.Audio.Spectral;

/// <summary>How a centred STFT pads the signal by <c>NFft / 2</c> samples on each side (numpy <c>np.pad</c> modes).</summary>
public enum PadMode
{
    /// <summary>Zeros (librosa's default since 0.10, <c>pad_mode='constant'</c>).</summary>
    Constant,

    /// <summary>Mirror without repeating the edge sample (<c>pad_mode='reflect'</c>): <c>[x2, x1 | x0, x1, x2, ...]</c>.</summary>
    Reflect,
}
