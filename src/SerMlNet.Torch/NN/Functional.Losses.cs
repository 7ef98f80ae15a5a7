using SerMlNet.Torch.Interop;

namespace SerMlNet.Torch.NN;

/// <summary>How a loss combines per-sample values.</summary>
public enum LossReduction
{
    /// <summary>One value per sample, [N].</summary>
    None = 0,

    /// <summary>The (weighted) mean; with class weights, Σ wᵢ·lossᵢ / Σ wᵢ as PyTorch.</summary>
    Mean = 1,

    /// <summary>The sum.</summary>
    Sum = 2,
}

/// <summary>Losses.</summary>
public static partial class Functional
{
    /// <summary>Cross-entropy between logits and class indices (log-softmax + negative log-likelihood), as PyTorch's
    /// <c>F.cross_entropy</c>.</summary>
    /// <param name="logits">[N, C] unnormalised scores.</param>
    /// <param name="target">[N] Int64 class indices in [0, C) (see <see cref="Tensor.Labels"/>).</param>
    /// <param name="classWeights">[C] weight per class (e.g. inverse frequency), or null for equal weights.</param>
    /// <param name="labelSmoothing">In [0, 1]: the target becomes (1 − ε)·one-hot + ε / C; default 0.</param>
    /// <param name="reduction">Mean (default), sum or none.</param>
    /// <param name="ignoreIndex">Targets equal to this contribute nothing; default -100.</param>
    /// <returns>A scalar tensor, or [N] with <see cref="LossReduction.None"/>.</returns>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, Tensor? classWeights = null, double labelSmoothing = 0,
        LossReduction reduction = LossReduction.Mean, long ignoreIndex = -100)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(labelSmoothing, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(labelSmoothing, 1.0);
        IntPtr status = NativeMethods.ser_cross_entropy(logits.Handle, target.Handle, Optional(classWeights), (int)reduction, ignoreIndex, labelSmoothing,
            out TensorHandle result);
        return NativeStatus.ToTensor(status, result);
    }
}
