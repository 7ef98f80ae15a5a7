using System.Runtime.InteropServices;
using SerMlNet.Torch.Interop;

namespace SerMlNet.Torch;

/// <summary>
/// Process-wide libtorch settings: random seed, intra-op thread count, CUDA availability. Thread-safe; the settings
/// affect every thread.
/// </summary>
public static class LibTorch
{
    private static readonly Lazy<(bool Built, int Devices)> CudaInfo = new(() =>
    {
        NativeStatus.Check(NativeMethods.ser_cuda_info(out int built, out int devices));
        return (built != 0, devices);
    });

    /// <summary>Seeds libtorch's CPU (and CUDA) generators: parameter initialisation, <see cref="Tensor.Randn"/>,
    /// dropout masks. Same seed and thread count give the same results.</summary>
    /// <param name="seed">Any value; negative values are reinterpreted as unsigned.</param>
    public static void ManualSeed(long seed) => NativeStatus.Check(NativeMethods.ser_manual_seed(seed));

    /// <summary>Number of threads libtorch uses inside one operation (convolutions, matrix products).</summary>
    /// <remarks>Defaults to <c>OMP_NUM_THREADS</c> when set, else <see cref="Environment.ProcessorCount"/> (Debian's
    /// libtorch alone would use 1). OpenMP keeps the count per OS thread: a thread picks the current setting up at its
    /// first libtorch operation, so set it before training, from the thread that trains.</remarks>
    public static int NumThreads
    {
        get
        {
            NativeStatus.Check(NativeMethods.ser_get_num_threads(out int threads));
            return threads;
        }
    }

    /// <summary>Sets <see cref="NumThreads"/>.</summary>
    /// <param name="threads">Intra-op threads, ≥ 1.</param>
    public static void SetNumThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        NativeStatus.Check(NativeMethods.ser_set_num_threads(threads));
    }

    /// <summary>Whether the loaded libtorch was compiled with CUDA.</summary>
    public static bool IsCudaBuilt => CudaInfo.Value.Built;

    /// <summary>Number of CUDA devices libtorch can use (0 without CUDA).</summary>
    public static int CudaDeviceCount => CudaInfo.Value.Devices;

    /// <summary>Whether at least one CUDA device can be used (PyTorch's <c>torch.cuda.is_available()</c>).</summary>
    public static bool IsCudaAvailable => CudaInfo.Value.Built && CudaInfo.Value.Devices > 0;

    /// <summary>Whether autograd records operations on the calling thread (false inside a <see cref="NoGradScope"/>).</summary>
    public static bool IsGradEnabled
    {
        get
        {
            NativeStatus.Check(NativeMethods.ser_is_grad_enabled(out int enabled));
            return enabled != 0;
        }
    }

    /// <summary>Version of the libtorch headers the shim was built against, e.g. <c>1.13.0</c>.</summary>
    public static unsafe string Version
    {
        get
        {
            byte* buffer = stackalloc byte[64];
            NativeStatus.Check(NativeMethods.ser_torch_version(buffer, 64));
            return Marshal.PtrToStringUTF8((IntPtr)buffer) ?? string.Empty;
        }
    }
}
