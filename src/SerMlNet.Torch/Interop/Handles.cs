using System.Runtime.InteropServices;

namespace SerMlNet.Torch.Interop;

/// <summary>Owns one native tensor handle (<c>at::Tensor*</c>); releasing it frees the handle, and the storage when it
/// was the last reference. Thread-safe as every <see cref="SafeHandle"/>.</summary>
internal sealed class TensorHandle : SafeHandle
{
    /// <summary>The "no tensor" argument for optional parameters. Never disposed, never released.</summary>
    internal static readonly TensorHandle Null = new();

    /// <summary>Creates an empty handle (filled in by the P/Invoke marshaller).</summary>
    public TensorHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        IntPtr status = NativeMethods.ser_tensor_free(handle);
        if (status == IntPtr.Zero)
        {
            return true;
        }
        NativeMethods.ser_status_free(status);
        return false;
    }
}

/// <summary>Owns one native optimiser (Adam/AdamW over torch::optim).</summary>
internal sealed class OptimizerHandle : SafeHandle
{
    /// <summary>Creates an empty handle (filled in by the P/Invoke marshaller).</summary>
    public OptimizerHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        IntPtr status = NativeMethods.ser_optimizer_free(handle);
        if (status == IntPtr.Zero)
        {
            return true;
        }
        NativeMethods.ser_status_free(status);
        return false;
    }
}
