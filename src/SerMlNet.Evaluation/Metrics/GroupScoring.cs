using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.Evaluation.Metrics;

/// <summary>
/// Metrics of one group of predictions with bootstrap 95 % intervals (the group resampled within itself), and the gap
/// between two groups from their paired replicates: what the gender, intensity and pitch audits share.
/// </summary>
internal static class GroupScoring
{
    /// <summary>Scores a non-empty group.</summary>
    /// <param name="members">The group's predictions.</param>
    /// <param name="classCount">Number of classes.</param>
    /// <param name="resamples">Bootstrap replicates.</param>
    /// <param name="random">The group's own resampling generator (derive it from the seed and a key naming the group).</param>
    /// <returns>The metrics and the replicates behind their intervals (for <see cref="Gap"/>).</returns>
    public static (GroupMetrics Metrics, (double[] Accuracy, double[] MacroF1) Draws) Score(
        IReadOnlyList<Prediction> members, int classCount, int resamples, SeededRandom random)
    {
        int[] truth = [.. members.Select(p => p.TrueClass)];
        int[] predicted = [.. members.Select(p => p.PredictedClass)];
        var matrix = ConfusionMatrix.From(classCount, truth, predicted);
        var draws = new Bootstrap(truth, predicted, classCount, random).Replicates(resamples);
        return (new GroupMetrics(truth.Length, matrix.Accuracy, Bootstrap.Percentile95(draws.Accuracy), matrix.MacroF1, Bootstrap.Percentile95(draws.MacroF1)), draws);
    }

    /// <summary>First group minus second, with intervals from the replicate-by-replicate differences.</summary>
    /// <param name="first">The first group's metrics.</param>
    /// <param name="second">The second group's metrics.</param>
    /// <param name="firstDraws">The first group's replicates.</param>
    /// <param name="secondDraws">The second group's replicates (as many).</param>
    /// <returns>The gap.</returns>
    public static GapMetrics Gap(GroupMetrics first, GroupMetrics second, (double[] Accuracy, double[] MacroF1) firstDraws, (double[] Accuracy, double[] MacroF1) secondDraws)
    {
        var accuracy = new double[firstDraws.Accuracy.Length];
        var macroF1 = new double[accuracy.Length];
        for (int r = 0; r < accuracy.Length; r++)
        {
            accuracy[r] = firstDraws.Accuracy[r] - secondDraws.Accuracy[r];
            macroF1[r] = firstDraws.MacroF1[r] - secondDraws.MacroF1[r];
        }
        return new GapMetrics(first.Accuracy - second.Accuracy, Bootstrap.Percentile95(accuracy), first.MacroF1 - second.MacroF1, Bootstrap.Percentile95(macroF1));
    }
}
