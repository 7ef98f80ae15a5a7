namespace SerMlNet.Evaluation.Metrics;

/// <summary>
/// Accuracy and macro-F1 straight from a flat row-major K×K count array, without allocation, for the bootstrap's
/// inner loop. Same definitions as <see cref="ConfusionMatrix"/> (macro-F1 over present labels, zero_division = 0).
/// </summary>
internal static class CountMetrics
{
    public static double Accuracy(ReadOnlySpan<int> counts, int k, int total)
    {
        if (total == 0)
        {
            return 0;
        }
        long correct = 0;
        for (int c = 0; c < k; c++)
        {
            correct += counts[c * k + c];
        }
        return (double)correct / total;
    }

    public static double MacroF1(ReadOnlySpan<int> counts, int k)
    {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < k; c++)
        {
            long support = 0;
            long predicted = 0;
            for (int j = 0; j < k; j++)
            {
                support += counts[c * k + j];
                predicted += counts[j * k + c];
            }
            if (support == 0 && predicted == 0)
            {
                continue;
            }
            present++;
            long tp = counts[c * k + c];
            // F1 = 2TP / (2TP + FP + FN) = 2TP / (support + predicted); equal to the harmonic mean of P and R.
            sum += tp == 0 ? 0 : 2.0 * tp / (support + predicted);
        }
        return present == 0 ? 0 : sum / present;
    }
}
