namespace SerMlNet.Pipeline.Augmentation;

/// <summary>Spectral colour of additive noise.</summary>
public enum NoiseColour
{
    /// <summary>Flat spectrum.</summary>
    White,

    /// <summary>1/f spectrum (−3 dB per octave).</summary>
    Pink,
}
