namespace SerMlNet.Evaluation.Metrics;

/// <summary>
/// Counts of (true class, predicted class) pairs over <see cref="ClassCount"/> classes, and every metric derived from
/// them: accuracy, per-class precision/recall/F1/support, macro- and weighted F1, row-normalised rates.
/// Not thread-safe while <see cref="Add"/> is being called; read-only use is thread-safe.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    /// <summary>Creates an empty matrix.</summary>
    /// <param name="classCount">Number of classes (at least 2).</param>
    public ConfusionMatrix(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        ClassCount = classCount;
        _counts = new long[classCount * classCount];
    }

    /// <summary>Builds a matrix from parallel arrays of true and predicted class indices.</summary>
    /// <param name="classCount">Number of classes.</param>
    /// <param name="truth">True class index per example.</param>
    /// <param name="predicted">Predicted class index per example, same length as <paramref name="truth"/>.</param>
    /// <returns>The filled matrix.</returns>
    public static ConfusionMatrix From(int classCount, ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        if (truth.Length != predicted.Length)
        {
            throw new ArgumentException($"truth has {truth.Length} labels but predicted has {predicted.Length}.", nameof(predicted));
        }
        var matrix = new ConfusionMatrix(classCount);
        for (int i = 0; i < truth.Length; i++)
        {
            matrix.Add(truth[i], predicted[i]);
        }
        return matrix;
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Total number of examples counted.</summary>
    public long Total { get; private set; }

    /// <summary>Count of examples of true class <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    /// <param name="truth">True class index (row).</param>
    /// <param name="predicted">Predicted class index (column).</param>
    public long this[int truth, int predicted] => _counts[truth * ClassCount + predicted];

    /// <summary>Counts one example.</summary>
    /// <param name="truth">True class index in [0, ClassCount).</param>
    /// <param name="predicted">Predicted class index in [0, ClassCount).</param>
    public void Add(int truth, int predicted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(truth);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(truth, ClassCount);
        ArgumentOutOfRangeException.ThrowIfNegative(predicted);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(predicted, ClassCount);
        _counts[truth * ClassCount + predicted]++;
        Total++;
    }

    /// <summary>Fraction of examples on the diagonal; 0 when empty.</summary>
    public double Accuracy
    {
        get
        {
            long correct = 0;
            for (int c = 0; c < ClassCount; c++)
            {
                correct += this[c, c];
            }
            return Total == 0 ? 0 : (double)correct / Total;
        }
    }

    /// <summary>Number of examples whose true class is <paramref name="cls"/> (the row sum).</summary>
    /// <param name="cls">Class index.</param>
    /// <returns>The support.</returns>
    public long Support(int cls)
    {
        long sum = 0;
        for (int p = 0; p < ClassCount; p++)
        {
            sum += this[cls, p];
        }
        return sum;
    }

    /// <summary>Number of examples predicted as <paramref name="cls"/> (the column sum).</summary>
    /// <param name="cls">Class index.</param>
    /// <returns>The count.</returns>
    public long PredictedCount(int cls)
    {
        long sum = 0;
        for (int t = 0; t < ClassCount; t++)
        {
            sum += this[t, cls];
        }
        return sum;
    }

    /// <summary>Precision of one class: TP / predicted; 0 when nothing was predicted as it (scikit-learn's zero_division=0).</summary>
    /// <param name="cls">Class index.</param>
    /// <returns>Precision in [0, 1].</returns>
    public double Precision(int cls)
    {
        long predicted = PredictedCount(cls);
        return predicted == 0 ? 0 : (double)this[cls, cls] / predicted;
    }

    /// <summary>Recall of one class: TP / support; 0 when the class has no examples.</summary>
    /// <param name="cls">Class index.</param>
    /// <returns>Recall in [0, 1].</returns>
    public double Recall(int cls)
    {
        long support = Support(cls);
        return support == 0 ? 0 : (double)this[cls, cls] / support;
    }

    /// <summary>F1 of one class, the harmonic mean of precision and recall; 0 when both are 0.</summary>
    /// <param name="cls">Class index.</param>
    /// <returns>F1 in [0, 1].</returns>
    public double F1(int cls)
    {
        double p = Precision(cls);
        double r = Recall(cls);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>
    /// Unweighted mean of per-class F1 over the classes that occur in the truth or the predictions
    /// (scikit-learn's <c>f1_score(average='macro')</c> over the labels present).
    /// </summary>
    public double MacroF1
    {
        get
        {
            double sum = 0;
            int present = 0;
            for (int c = 0; c < ClassCount; c++)
            {
                if (Support(c) == 0 && PredictedCount(c) == 0)
                {
                    continue;
                }
                sum += F1(c);
                present++;
            }
            return present == 0 ? 0 : sum / present;
        }
    }

    /// <summary>Mean of per-class F1 weighted by support.</summary>
    public double WeightedF1
    {
        get
        {
            double sum = 0;
            for (int c = 0; c < ClassCount; c++)
            {
                sum += F1(c) * Support(c);
            }
            return Total == 0 ? 0 : sum / Total;
        }
    }

    /// <summary>Counts as a jagged array, rows = true class, columns = predicted class.</summary>
    /// <returns>A new array.</returns>
    public long[][] ToCounts()
    {
        var rows = new long[ClassCount][];
        for (int t = 0; t < ClassCount; t++)
        {
            rows[t] = new long[ClassCount];
            for (int p = 0; p < ClassCount; p++)
            {
                rows[t][p] = this[t, p];
            }
        }
        return rows;
    }

    /// <summary>Row-normalised matrix: each row divided by its support (a row of zeros stays zero).</summary>
    /// <returns>A new array, rows = true class.</returns>
    public double[][] ToRowNormalised()
    {
        var rows = new double[ClassCount][];
        for (int t = 0; t < ClassCount; t++)
        {
            rows[t] = new double[ClassCount];
            long support = Support(t);
            for (int p = 0; p < ClassCount && support > 0; p++)
            {
                rows[t][p] = (double)this[t, p] / support;
            }
        }
        return rows;
    }
}
