namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// Where the windows of an input start: the one windowing rule of every path (a file, a batch, a stream). An input of at
/// most <see cref="SingleWindowFactor"/> windows is one window at 0 (the fixed-length stage then crops or pads it as in
/// training); a longer one has windows every <see cref="Hop"/>, the last aligned to the end. Units are whatever the
/// caller windows: frames (log-Mel models on a whole file) or samples (PCM models, and every stream).
/// <para>For a stream, whose length is known only at its end, <see cref="SettledCount"/> says how many leading windows
/// are already certain; they are always a prefix of the final <see cref="Start"/> sequence. Immutable; thread-safe.</para>
/// </summary>
/// <param name="Length">Window length, in frames or samples; at least 1.</param>
/// <param name="Hop">Distance between window starts, same unit; at least 1.</param>
internal sealed record WindowPlan(int Length, int Hop)
{
    /// <summary>Inputs up to this many windows long are one window (see <see cref="EmotionRecognizer.SingleWindowFactor"/>).</summary>
    public const double SingleWindowFactor = 1.5;

    /// <summary>Whether an input of <paramref name="total"/> units is scored as one window.</summary>
    /// <param name="total">Input length.</param>
    /// <returns>True when <c>total ≤ 1.5 × Length</c>.</returns>
    public bool IsSingle(long total) => total <= Length * SingleWindowFactor;

    /// <summary>Number of windows of an input of <paramref name="total"/> units: 1, or <c>ceil((total − Length) / Hop) + 1</c>.</summary>
    /// <param name="total">Input length.</param>
    /// <returns>The count; at least 1.</returns>
    public long Count(long total) => IsSingle(total) ? 1 : (total - Length + Hop - 1) / Hop + 1;

    /// <summary>Start of window <paramref name="index"/> of an input of <paramref name="total"/> units: <c>min(index × Hop, total − Length)</c>.</summary>
    /// <param name="index">Window index, below <see cref="Count"/>.</param>
    /// <param name="total">Input length.</param>
    /// <returns>The start.</returns>
    public long Start(long index, long total) => IsSingle(total) ? 0 : Math.Min(index * Hop, total - Length);

    /// <summary>
    /// Windows whose start and length are already certain when <paramref name="available"/> units of a stream have
    /// arrived and more may follow: none while the stream may still turn out a single window, then every window
    /// <c>i</c> with <c>i × Hop + Length &lt; available</c> (these start at <c>i × Hop</c> whatever the final length).
    /// </summary>
    /// <param name="available">Units received so far.</param>
    /// <returns>How many leading windows are settled.</returns>
    public long SettledCount(long available) => IsSingle(available) ? 0 : (available - Length + Hop - 1) / Hop;

    /// <summary>Every window start of an input of <paramref name="total"/> units (a whole file).</summary>
    /// <param name="total">Input length.</param>
    /// <returns>The starts, in order.</returns>
    public int[] Starts(int total)
    {
        var starts = new int[Count(total)];
        for (int i = 0; i < starts.Length; i++)
        {
            starts[i] = (int)Start(i, total);
        }
        return starts;
    }
}
