using SerMlNet.Torch.Interop;

namespace SerMlNet.Torch.NN;

/// <summary>Activations and dropout.</summary>
public static partial class Functional
{
    /// <summary>max(0, x) elementwise.</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>Same shape.</returns>
    public static Tensor ReLU(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return NativeStatus.ToTensor(NativeMethods.ser_relu(input.Handle, out TensorHandle result), result);
    }

    /// <summary>Softmax along <paramref name="dim"/>: exp(x) / Σ exp(x).</summary>
    /// <param name="input">Any tensor, e.g. [N, C] logits.</param>
    /// <param name="dim">The dimension that sums to 1 (default -1).</param>
    /// <returns>Same shape; probabilities.</returns>
    public static Tensor Softmax(Tensor input, long dim = -1)
    {
        ArgumentNullException.ThrowIfNull(input);
        return NativeStatus.ToTensor(NativeMethods.ser_softmax(input.Handle, dim, out TensorHandle result), result);
    }

    /// <summary>log(softmax(x)) along <paramref name="dim"/>, computed stably.</summary>
    /// <param name="input">Any tensor, e.g. [N, C] logits.</param>
    /// <param name="dim">The dimension (default -1).</param>
    /// <returns>Same shape; log-probabilities.</returns>
    public static Tensor LogSoftmax(Tensor input, long dim = -1)
    {
        ArgumentNullException.ThrowIfNull(input);
        return NativeStatus.ToTensor(NativeMethods.ser_log_softmax(input.Handle, dim, out TensorHandle result), result);
    }

    /// <summary>Inverted dropout: in training, zeroes each element with probability <paramref name="p"/> and scales
    /// the rest by 1 / (1 − p); otherwise returns the input unchanged (as a new handle).</summary>
    /// <param name="input">Any tensor.</param>
    /// <param name="p">Drop probability in [0, 1]; default 0.5.</param>
    /// <param name="training">Whether to drop (default true).</param>
    /// <returns>Same shape.</returns>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1.0);
        return NativeStatus.ToTensor(NativeMethods.ser_dropout(input.Handle, p, training ? 1 : 0, out TensorHandle result), result);
    }
}
