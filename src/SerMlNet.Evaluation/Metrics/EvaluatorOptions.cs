namespace SerMlNet.Evaluation.Metrics;

/// <summary>Options of <see cref="Evaluator"/>. Immutable; thread-safe.</summary>
public sealed class EvaluatorOptions
{
    /// <summary>Number of bootstrap replicates behind every 95 % interval; at least 100, default 2,000.</summary>
    public int BootstrapResamples { get; init; } = 2000;

    /// <summary>Seed of the bootstrap generator; the same seed and predictions give the same intervals. Default 42.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Checks every field and reports all problems together.</summary>
    /// <exception cref="ArgumentException">One or more fields are out of range; the message lists each.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (BootstrapResamples < 100)
        {
            errors.Add($"BootstrapResamples must be at least 100 (got {BootstrapResamples})");
        }
        if (errors.Count > 0)
        {
            throw new ArgumentException($"invalid evaluator options: {string.Join("; ", errors)}");
        }
    }
}
