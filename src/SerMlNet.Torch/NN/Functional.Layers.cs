using SerMlNet.Torch.Interop;

namespace SerMlNet.Torch.NN;

/// <summary>
/// Stateless neural-network operations over tensors (PyTorch's <c>torch.nn.functional</c>), all recorded by autograd.
/// The modules (<see cref="Conv2d"/>, <see cref="BatchNorm2d"/>, ...) call these with their parameters. Split over
/// <c>Functional.*.cs</c>: layers with weights, normalisation, activations, pooling, losses.
/// </summary>
public static partial class Functional
{
    /// <summary>2-D convolution (cross-correlation, as PyTorch).</summary>
    /// <param name="input">[N, C_in, H, W].</param>
    /// <param name="weight">[C_out, C_in / groups, kH, kW].</param>
    /// <param name="bias">[C_out], or null for none.</param>
    /// <param name="stride">Step (height, width); default (1, 1).</param>
    /// <param name="padding">Zero padding on each side (height, width); default (0, 0).</param>
    /// <param name="dilation">Kernel dilation (height, width); default (1, 1).</param>
    /// <param name="groups">Channel groups; default 1.</param>
    /// <returns>[N, C_out, H_out, W_out], H_out = ⌊(H + 2·pad − dil·(kH − 1) − 1) / stride⌋ + 1.</returns>
    /// <exception cref="TorchException">Shapes do not agree (libtorch's message says how).</exception>
    public static unsafe Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, (long Height, long Width)? stride = null,
        (long Height, long Width)? padding = null, (long Height, long Width)? dilation = null, long groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        long* s = stackalloc long[2];
        long* p = stackalloc long[2];
        long* d = stackalloc long[2];
        Pair(s, stride ?? (1, 1));
        Pair(p, padding ?? (0, 0));
        Pair(d, dilation ?? (1, 1));
        IntPtr status = NativeMethods.ser_conv2d(input.Handle, weight.Handle, Optional(bias), s, p, d, groups, out TensorHandle result);
        return NativeStatus.ToTensor(status, result);
    }

    /// <summary>Affine map y = x·Wᵀ + b over the last dimension.</summary>
    /// <param name="input">[..., in_features].</param>
    /// <param name="weight">[out_features, in_features].</param>
    /// <param name="bias">[out_features], or null.</param>
    /// <returns>[..., out_features].</returns>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        IntPtr status = NativeMethods.ser_linear(input.Handle, weight.Handle, Optional(bias), out TensorHandle result);
        return NativeStatus.ToTensor(status, result);
    }

    /// <summary>Merges the dimensions from <paramref name="startDim"/> to <paramref name="endDim"/>
    /// (<see cref="Tensor.Flatten"/>).</summary>
    /// <param name="input">Any tensor.</param>
    /// <param name="startDim">First merged dimension (default 1).</param>
    /// <param name="endDim">Last merged dimension (default -1).</param>
    /// <returns>E.g. [N, C, H, W] → [N, C·H·W].</returns>
    public static Tensor Flatten(Tensor input, long startDim = 1, long endDim = -1)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Flatten(startDim, endDim);
    }

    internal static TensorHandle Optional(Tensor? tensor) => tensor?.Handle ?? TensorHandle.Null;

    internal static unsafe void Pair(long* destination, (long First, long Second) values)
    {
        destination[0] = values.First;
        destination[1] = values.Second;
    }
}
