namespace SerMlNet.Audio.Trimming;

/// <summary>The kept part of a signal, <c>[Start, End)</c> in samples (librosa's returned index pair).</summary>
/// <param name="Start">First kept sample.</param>
/// <param name="End">One past the last kept sample; equals <paramref name="Start"/> when everything is silence.</param>
public readonly record struct TrimInterval(int Start, int End)
{
    /// <summary>Number of kept samples.</summary>
    public int Length => End - Start;
}
