namespace SerMlNet.Torch;

/// <summary>Kind of device a tensor lives on.</summary>
public enum DeviceType
{
    /// <summary>Host memory, libtorch's CPU kernels.</summary>
    Cpu = 0,

    /// <summary>An NVIDIA GPU (needs a libtorch built with CUDA).</summary>
    Cuda = 1,
}

/// <summary>
/// Where a tensor lives: <see cref="Cpu"/> or <c>cuda:N</c>. Immutable and thread-safe. Asking for CUDA from a
/// libtorch built without it (Debian's <c>libtorch-dev</c>) throws <see cref="CudaUnavailableException"/> when the
/// device is used.
/// </summary>
public readonly record struct Device
{
    private Device(DeviceType type, int index)
    {
        Type = type;
        Index = index;
    }

    /// <summary>The CPU.</summary>
    public static Device Cpu => new(DeviceType.Cpu, 0);

    /// <summary>The kind of device.</summary>
    public DeviceType Type { get; }

    /// <summary>Device ordinal for CUDA (0 = first GPU); always 0 for the CPU.</summary>
    public int Index { get; }

    /// <summary>The first CUDA device when <see cref="LibTorch.IsCudaAvailable"/>, else the CPU.</summary>
    public static Device Best => LibTorch.IsCudaAvailable ? Cuda(0) : Cpu;

    /// <summary>A CUDA device.</summary>
    /// <param name="index">Device ordinal, ≥ 0 (default 0).</param>
    /// <returns>The device; whether it exists is checked when it is used.</returns>
    public static Device Cuda(int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new Device(DeviceType.Cuda, index);
    }

    /// <summary><c>cpu</c> or <c>cuda:N</c>.</summary>
    /// <returns>The device name as PyTorch writes it.</returns>
    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Index}";

    /// <summary>Throws unless this device can be used by the loaded libtorch.</summary>
    /// <exception cref="CudaUnavailableException">CUDA is not built in, or there is no such GPU.</exception>
    internal void EnsureAvailable()
    {
        if (Type != DeviceType.Cuda)
        {
            return;
        }
        if (!LibTorch.IsCudaBuilt)
        {
            throw new CudaUnavailableException(
                $"{this} was requested but the loaded libtorch was built without CUDA (Debian's libtorch-dev is CPU-only); use Device.Cpu or a CUDA build of libtorch",
                builtWithCuda: false);
        }
        if (Index >= LibTorch.CudaDeviceCount)
        {
            throw new CudaUnavailableException(
                $"{this} was requested but libtorch sees {LibTorch.CudaDeviceCount} CUDA device(s)",
                builtWithCuda: true);
        }
    }
}
