using SerMlNet.Torch.Interop;

namespace SerMlNet.Torch.NN;

/// <summary>Normalisation.</summary>
public static partial class Functional
{
    /// <summary>Batch normalisation over the channel dimension (dimension 1).</summary>
    /// <param name="input">[N, C, ...].</param>
    /// <param name="runningMean">[C] running mean, or null (then batch statistics are always used).</param>
    /// <param name="runningVar">[C] running (unbiased) variance, or null.</param>
    /// <param name="weight">[C] scale γ, or null for 1.</param>
    /// <param name="bias">[C] shift β, or null for 0.</param>
    /// <param name="training">True: normalise with the batch's statistics and update the running ones in place
    /// (running = (1 − momentum)·running + momentum·batch); false: normalise with the running statistics.</param>
    /// <param name="momentum">Weight of the new batch in the running statistics; default 0.1.</param>
    /// <param name="eps">Added to the variance; default 1e-5.</param>
    /// <returns>Same shape as <paramref name="input"/>.</returns>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        IntPtr status = NativeMethods.ser_batch_norm(input.Handle, Optional(weight), Optional(bias), Optional(runningMean), Optional(runningVar),
            training ? 1 : 0, momentum, eps, out TensorHandle result);
        return NativeStatus.ToTensor(status, result);
    }
}
