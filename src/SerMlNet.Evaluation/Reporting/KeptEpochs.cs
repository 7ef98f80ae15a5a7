namespace SerMlNet.Evaluation.Reporting;

/// <summary>
/// Which epochs' weights a training run keeps, from its curves alone: the trainer's choice (checkpoint averaging in
/// <c>SerMlNet.Training</c>) and what the report and the notebook say about it. Stateless; thread-safe.
/// </summary>
public static class KeptEpochs
{
    /// <summary>
    /// The <paramref name="count"/> epochs of highest validation macro-F1, ties going to the earlier epoch (as the
    /// trainer's best-epoch choice, so that <paramref name="count"/> = 1 selects its best epoch). Without a validation
    /// figure (NaN in any row, an in-memory run without validation items) the last <paramref name="count"/> epochs are
    /// taken.
    /// </summary>
    /// <param name="curves">The run's finished epochs, in order.</param>
    /// <param name="count">How many epochs at most, ≥ 1 (a job's <c>training.averageBestEpochs</c>).</param>
    /// <returns>1-based epoch numbers in ascending order; fewer than <paramref name="count"/> when fewer epochs ran.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public static int[] Select(IReadOnlyList<CurveRow> curves, int count)
    {
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        IEnumerable<CurveRow> chosen = WithoutValidation(curves)
            ? curves.TakeLast(count)
            : curves.OrderByDescending(r => r.ValMacroF1).ThenBy(r => r.Epoch).Take(count);
        return [.. chosen.Select(r => r.Epoch).Order()];
    }

    /// <summary>
    /// One sentence on the kept weights, e.g. <c>the mean of epochs 12, 15, 17, 19 and 20 (the 5 of best validation
    /// macro-F1)</c> or <c>epoch 17's (the best validation macro-F1)</c>; a run without a validation figure keeps the last
    /// epochs (<c>epoch 20's (the last: no validation figure)</c>).
    /// </summary>
    /// <param name="curves">The run's epochs, at least one.</param>
    /// <param name="averageBestEpochs">The job's <c>training.averageBestEpochs</c>: 0 or 1 keeps the best epoch.</param>
    /// <returns>The phrase, without a capital or a full stop.</returns>
    /// <exception cref="ArgumentException"><paramref name="curves"/> is empty.</exception>
    public static string Describe(IReadOnlyList<CurveRow> curves, int averageBestEpochs)
    {
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentOutOfRangeException.ThrowIfNegative(averageBestEpochs);
        if (curves.Count == 0)
        {
            throw new ArgumentException("no training curves", nameof(curves));
        }
        int[] epochs = Select(curves, Math.Max(1, averageBestEpochs));
        bool blind = WithoutValidation(curves);
        if (epochs.Length == 1)
        {
            return blind ? $"epoch {epochs[0]}'s (the last: no validation figure)" : $"epoch {epochs[0]}'s (the best validation macro-F1)";
        }
        string list = string.Join(", ", epochs[..^1]) + " and " + epochs[^1];
        return blind
            ? $"the mean of epochs {list} (the last {epochs.Length}: no validation figure)"
            : $"the mean of epochs {list} (the {epochs.Length} of best validation macro-F1)";
    }

    /// <summary>Whether the run had no validation items: it writes NaN for every epoch's validation macro-F1.</summary>
    /// <param name="curves">The run's epochs.</param>
    /// <returns>True when any epoch's validation macro-F1 is NaN.</returns>
    public static bool WithoutValidation(IReadOnlyList<CurveRow> curves) => curves.Any(r => double.IsNaN(r.ValMacroF1));
}
