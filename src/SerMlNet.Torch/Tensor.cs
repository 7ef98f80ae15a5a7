using SerMlNet.Torch.Interop;

namespace SerMlNet.Torch;

/// <summary>
/// An n-dimensional array owned by libtorch (one <c>at::Tensor</c>), with autograd. The native handle is held by a
/// <see cref="System.Runtime.InteropServices.SafeHandle"/>: <see cref="Dispose"/> frees it at once, a
/// <see cref="DisposeScope"/> frees every tensor made inside it, and a dropped tensor is freed by its finaliser.
/// </summary>
/// <remarks>
/// Not thread-safe for concurrent mutation (in-place copies, gradients); concurrent reads of different tensors are
/// fine. Operations return new tensors and never take ownership of their arguments. Split by concern over
/// <c>Tensor.*.cs</c>: factories, data access, math, autograd.
/// </remarks>
public sealed partial class Tensor : IDisposable
{
    private readonly TensorHandle _handle;
    private long[]? _shape;

    internal Tensor(TensorHandle handle)
    {
        _handle = handle;
        DisposeScope.Register(this);
    }

    /// <summary>Number of native tensor handles alive in the process (made and not yet freed), for leak checks.</summary>
    public static long LiveCount
    {
        get
        {
            NativeStatus.Check(NativeMethods.ser_live_tensor_count(out long count));
            return count;
        }
    }

    /// <summary>Sizes of the dimensions, outermost first (a copy; <c>[]</c> for a scalar).</summary>
    public long[] Shape => (long[])CachedShape.Clone();

    /// <summary>Number of dimensions (0 for a scalar).</summary>
    public int Rank => CachedShape.Length;

    /// <summary>Number of elements (product of <see cref="Shape"/>).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long size in CachedShape)
            {
                count *= size;
            }
            return count;
        }
    }

    /// <summary>Element type.</summary>
    public ScalarType ScalarType
    {
        get
        {
            NativeStatus.Check(NativeMethods.ser_tensor_dtype(Handle, out int dtype));
            return (ScalarType)dtype;
        }
    }

    /// <summary>Device holding the data.</summary>
    public Device Device
    {
        get
        {
            NativeStatus.Check(NativeMethods.ser_tensor_device(Handle, out int type, out int index));
            return type == (int)DeviceType.Cuda ? Device.Cuda(index) : Device.Cpu;
        }
    }

    /// <summary>Whether <see cref="Dispose"/> has run (or the owning scope ended).</summary>
    public bool IsDisposed => _handle.IsClosed;

    /// <summary>The scope that will dispose this tensor, if any.</summary>
    internal DisposeScope? Scope { get; set; }

    /// <summary>The native handle; throws once disposed.</summary>
    internal TensorHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    private unsafe long[] CachedShape
    {
        get
        {
            if (_shape is null)
            {
                NativeStatus.Check(NativeMethods.ser_tensor_ndim(Handle, out int ndim));
                long[] shape = new long[ndim];
                fixed (long* p = shape)
                {
                    NativeStatus.Check(NativeMethods.ser_tensor_shape(Handle, p, ndim));
                }
                _shape = shape;
            }
            return _shape;
        }
    }

    /// <summary>Frees the native handle now (idempotent) and leaves any <see cref="DisposeScope"/>.</summary>
    public void Dispose()
    {
        Scope?.Forget(this);
        _handle.Dispose();
    }

    /// <summary>Moves this tensor from its dispose scope to the enclosing one (or to none), so it outlives the
    /// current scope.</summary>
    /// <returns>This tensor.</returns>
    public Tensor MoveToOuterDisposeScope()
    {
        Scope?.MoveToOuter(this);
        return this;
    }

    /// <summary>Removes this tensor from every dispose scope; the caller now disposes it.</summary>
    /// <returns>This tensor.</returns>
    public Tensor DetachFromDisposeScope()
    {
        Scope?.Forget(this);
        return this;
    }

    /// <summary>A new handle to the same tensor (same storage and autograd identity).</summary>
    /// <returns>The alias; disposing it leaves this tensor alive.</returns>
    public Tensor Alias() => NativeStatus.ToTensor(NativeMethods.ser_tensor_alias(Handle, out TensorHandle result), result);

    /// <summary>A copy with its own storage, recorded by autograd.</summary>
    /// <returns>The copy.</returns>
    public Tensor Clone() => NativeStatus.ToTensor(NativeMethods.ser_tensor_clone(Handle, out TensorHandle result), result);

    /// <summary>This tensor on <paramref name="device"/> (a copy unless it is already there).</summary>
    /// <param name="device">Target device.</param>
    /// <returns>The tensor on that device.</returns>
    /// <exception cref="CudaUnavailableException">CUDA was requested and cannot be used.</exception>
    public Tensor To(Device device)
    {
        device.EnsureAvailable();
        return ToCore(device, ScalarType);
    }

    /// <summary>This tensor converted to <paramref name="type"/> (a copy unless it already has that type).</summary>
    /// <param name="type">Target element type.</param>
    /// <returns>The converted tensor.</returns>
    public Tensor To(ScalarType type) => ToCore(Device, type);

    /// <summary>Shape, type and device, e.g. <c>Tensor[32, 1, 128, 300] Float32 cpu</c>.</summary>
    /// <returns>A one-line description (no values).</returns>
    public override string ToString() =>
        IsDisposed ? "Tensor (disposed)" : $"Tensor[{string.Join(", ", CachedShape)}] {ScalarType} {Device}";

    private Tensor ToCore(Device device, ScalarType type) =>
        NativeStatus.ToTensor(NativeMethods.ser_tensor_to(Handle, (int)device.Type, device.Index, (int)type, out TensorHandle result), result);
}
