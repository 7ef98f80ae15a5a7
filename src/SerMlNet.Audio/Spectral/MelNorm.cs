namespace SerMlNet.Audio.Spectral;

/// <summary>Normalisation of the Mel filters (librosa's <c>norm</c> argument of <c>filters.mel</c>).</summary>
public enum MelNorm
{
    /// <summary>No normalisation: each triangle peaks at 1 (<c>norm=None</c>).</summary>
    None,

    /// <summary>Slaney's area normalisation: each triangle scaled by <c>2 / (f[i+2] - f[i])</c> (<c>norm='slaney'</c>, the default).</summary>
    Slaney,
}
