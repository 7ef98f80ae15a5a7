using SerMlNet.Torch.Interop;

namespace SerMlNet.Torch;

/// <summary>Autograd: gradient tracking, back-propagation, gradients, detaching.</summary>
public sealed partial class Tensor
{
    /// <summary>Whether autograd records operations on this tensor so that <see cref="Backward()"/> computes its
    /// gradient. Only leaf tensors (made by a factory, not by an operation) can be switched.</summary>
    /// <exception cref="TorchException">Set on a non-leaf tensor.</exception>
    public bool RequiresGrad
    {
        get
        {
            NativeStatus.Check(NativeMethods.ser_tensor_requires_grad(Handle, out int value));
            return value != 0;
        }
        set => NativeStatus.Check(NativeMethods.ser_tensor_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>Back-propagates from this one-element tensor (a loss), accumulating gradients into every leaf that
    /// requires them. The graph is freed afterwards.</summary>
    /// <exception cref="TorchException">The tensor has more than one element or does not require grad.</exception>
    public void Backward() => NativeStatus.Check(NativeMethods.ser_tensor_backward(Handle, TensorHandle.Null));

    /// <summary>Back-propagates with an explicit upstream gradient (vector-Jacobian product).</summary>
    /// <param name="gradient">Same shape as this tensor.</param>
    public void Backward(Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        NativeStatus.Check(NativeMethods.ser_tensor_backward(Handle, gradient.Handle));
    }

    /// <summary>The gradient accumulated by <see cref="Backward()"/>, or null when there is none.</summary>
    /// <returns>A new handle to the gradient (same shape as this tensor); dispose it, or let a scope do it.</returns>
    public Tensor? Grad() => NativeStatus.ToOptionalTensor(NativeMethods.ser_tensor_grad(Handle, out TensorHandle result), result);

    /// <summary>Drops the accumulated gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>).</summary>
    public void ClearGrad() => NativeStatus.Check(NativeMethods.ser_tensor_clear_grad(Handle));

    /// <summary>A tensor sharing this one's storage but outside the autograd graph.</summary>
    /// <returns>The detached tensor (RequiresGrad false).</returns>
    public Tensor Detach() => NativeStatus.ToTensor(NativeMethods.ser_tensor_detach(Handle, out TensorHandle result), result);

    /// <summary>Replaces this tensor's data by <paramref name="source"/>'s, keeping its identity (used to move
    /// parameters between devices in place).</summary>
    /// <param name="source">The new data.</param>
    internal void SetData(Tensor source) => NativeStatus.Check(NativeMethods.ser_tensor_set_data(Handle, source.Handle));
}
