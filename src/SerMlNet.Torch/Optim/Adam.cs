namespace SerMlNet.Torch.Optim;

/// <summary>Options of <see cref="Adam"/>; defaults are PyTorch's.</summary>
public sealed class AdamOptions
{
    /// <summary>Step size; default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Decay of the first-moment average, in [0, 1); default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay of the second-moment average, in [0, 1); default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the denominator for stability, ≥ 0; default 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>L2 penalty added to the gradient (g + λ·θ), ≥ 0; default 0. For decoupled decay use
    /// <see cref="AdamW"/>.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Throws if any field is out of range, listing every bad field.</summary>
    /// <exception cref="ArgumentException">One or more fields are invalid.</exception>
    public void Validate() => AdamValidation.Check(nameof(AdamOptions), LearningRate, Beta1, Beta2, Epsilon, WeightDecay);
}

/// <summary>
/// Adam (Kingma &amp; Ba), libtorch's <c>torch::optim::Adam</c>: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
/// θ ← θ − lr·(m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε), with g ← g + λθ when <see cref="AdamOptions.WeightDecay"/> is set.
/// </summary>
public sealed class Adam : Optimizer
{
    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">Tensors to update (e.g. <see cref="NN.Module.Parameters"/>); at least one.</param>
    /// <param name="options">Hyper-parameters (default PyTorch's).</param>
    public Adam(IEnumerable<Tensor> parameters, AdamOptions? options = null)
        : base(0, parameters, Hyper(options ?? new AdamOptions()))
    {
        Options = options ?? new AdamOptions();
    }

    /// <summary>The hyper-parameters given at construction (the live learning rate is
    /// <see cref="Optimizer.LearningRate"/>).</summary>
    public AdamOptions Options { get; }

    private static AdamHyperParameters Hyper(AdamOptions options)
    {
        options.Validate();
        return new(options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay);
    }
}

/// <summary>Options of <see cref="AdamW"/>; defaults are PyTorch's.</summary>
public sealed class AdamWOptions
{
    /// <summary>Step size; default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Decay of the first-moment average, in [0, 1); default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay of the second-moment average, in [0, 1); default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the denominator for stability, ≥ 0; default 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Decoupled weight decay λ (θ ← θ·(1 − lr·λ) before the Adam update), ≥ 0; default 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Throws if any field is out of range, listing every bad field.</summary>
    /// <exception cref="ArgumentException">One or more fields are invalid.</exception>
    public void Validate() => AdamValidation.Check(nameof(AdamWOptions), LearningRate, Beta1, Beta2, Epsilon, WeightDecay);
}

/// <summary>
/// AdamW (Loshchilov &amp; Hutter), libtorch's <c>torch::optim::AdamW</c>: Adam with decoupled weight decay,
/// θ ← θ·(1 − lr·λ) then the Adam update.
/// </summary>
public sealed class AdamW : Optimizer
{
    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">Tensors to update; at least one.</param>
    /// <param name="options">Hyper-parameters (default PyTorch's, weight decay 0.01).</param>
    public AdamW(IEnumerable<Tensor> parameters, AdamWOptions? options = null)
        : base(1, parameters, Hyper(options ?? new AdamWOptions()))
    {
        Options = options ?? new AdamWOptions();
    }

    /// <summary>The hyper-parameters given at construction (the live learning rate is
    /// <see cref="Optimizer.LearningRate"/>).</summary>
    public AdamWOptions Options { get; }

    private static AdamHyperParameters Hyper(AdamWOptions options)
    {
        options.Validate();
        return new(options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay);
    }
}

/// <summary>The numbers passed to the native Adam/AdamW constructor.</summary>
internal readonly record struct AdamHyperParameters(double LearningRate, double Beta1, double Beta2, double Epsilon, double WeightDecay);

internal static class AdamValidation
{
    internal static void Check(string type, double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
    {
        var errors = new List<string>();
        if (!(learningRate >= 0) || double.IsInfinity(learningRate))
        {
            errors.Add($"LearningRate must be finite and >= 0 (got {learningRate})");
        }
        if (!(beta1 is >= 0 and < 1))
        {
            errors.Add($"Beta1 must be in [0, 1) (got {beta1})");
        }
        if (!(beta2 is >= 0 and < 1))
        {
            errors.Add($"Beta2 must be in [0, 1) (got {beta2})");
        }
        if (!(epsilon >= 0))
        {
            errors.Add($"Epsilon must be >= 0 (got {epsilon})");
        }
        if (!(weightDecay >= 0))
        {
            errors.Add($"WeightDecay must be >= 0 (got {weightDecay})");
        }
        if (errors.Count > 0)
        {
            throw new ArgumentException($"invalid {type}: {string.Join("; ", errors)}");
        }
    }
}
