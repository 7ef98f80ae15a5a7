namespace SerMlNet.Torch.NN;

/// <summary>
/// Fully connected layer y = x·Wᵀ + b (PyTorch's <c>nn.Linear</c>): <c>weight</c> [out, in], optional <c>bias</c>
/// [out], initialised as PyTorch does (U(−b, b), b = 1/√in).
/// </summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="inFeatures">Input size, ≥ 1.</param>
    /// <param name="outFeatures">Output size, ≥ 1.</param>
    /// <param name="bias">Whether to learn a bias (default true).</param>
    public Linear(long inFeatures, long outFeatures, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        double bound = 1.0 / Math.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.Empty([outFeatures, inFeatures]));
        Weight.FillUniform(-bound, bound);
        if (bias)
        {
            Bias = RegisterParameter("bias", Tensor.Empty([outFeatures]));
            Bias.FillUniform(-bound, bound);
        }
    }

    /// <summary>Input size.</summary>
    public long InFeatures { get; }

    /// <summary>Output size.</summary>
    public long OutFeatures { get; }

    /// <summary>[out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>[out], or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Applies the layer to the last dimension.</summary>
    /// <param name="input">[..., in].</param>
    /// <returns>[..., out].</returns>
    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);
}
