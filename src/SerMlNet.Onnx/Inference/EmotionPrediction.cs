namespace SerMlNet.Onnx;

/// <summary>One class with its probability.</summary>
/// <param name="ClassIndex">Index into the model's labels.</param>
/// <param name="Label">The class label.</param>
/// <param name="Probability">Softmax probability in [0, 1].</param>
public readonly record struct ClassScore(int ClassIndex, string Label, float Probability);

/// <summary>The model's answer for one example. Immutable; thread-safe.</summary>
public sealed class EmotionPrediction
{
    private readonly IReadOnlyList<string> _labels;
    private readonly float[] _probabilities;
    private readonly float[] _logits;

    internal EmotionPrediction(IReadOnlyList<string> labels, float[] probabilities, float[] logits)
    {
        _labels = labels;
        _probabilities = probabilities;
        _logits = logits;
        int best = 0;
        for (int i = 1; i < probabilities.Length; i++)
        {
            if (probabilities[i] > probabilities[best])
            {
                best = i;
            }
        }
        ClassIndex = best;
    }

    /// <summary>Index of the most probable class (the first one on ties).</summary>
    public int ClassIndex { get; }

    /// <summary>Label of the most probable class.</summary>
    public string Label => _labels[ClassIndex];

    /// <summary>Probability of the most probable class, in [0, 1] (× 100 for percent).</summary>
    public float Confidence => _probabilities[ClassIndex];

    /// <summary>Every class probability, in label order; they sum to 1 up to float rounding.</summary>
    public IReadOnlyList<float> Probabilities => _probabilities;

    /// <summary>Every logit, in label order.</summary>
    public IReadOnlyList<float> Logits => _logits;

    /// <summary>The class labels, in output order.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>The <paramref name="k"/> most probable classes, most probable first (ties keep label order).</summary>
    /// <param name="k">How many; clamped to the number of classes. At least 1.</param>
    /// <returns>Up to <paramref name="k"/> scores.</returns>
    public IReadOnlyList<ClassScore> Top(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var scores = new ClassScore[_probabilities.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = new ClassScore(i, _labels[i], _probabilities[i]);
        }
        // Stable: equal probabilities keep label order.
        ClassScore[] sorted = scores.OrderByDescending(s => s.Probability).ToArray();
        return sorted.AsSpan(0, Math.Min(k, sorted.Length)).ToArray();
    }
}
