using System.Runtime.InteropServices;
using SerMlNet.Audio.Io;
using TorchSharp;
using static TorchSharp.torch;

namespace SerMlNet.Training.Engine;

/// <summary>
/// Process-wide start-up of the training engine, TorchSharp 0.107 over libtorch 2.10: the heap-kept allocator
/// setting, the oneDNN instruction-set cap, a checked load of the native library, and the device. Every entry point of this library that touches
/// TorchSharp calls <see cref="EnsureInitialized"/> first. Thread-safe.
/// </summary>
/// <remarks>
/// <para><b>Allocator.</b> glibc serves allocations above its mmap threshold (128 KiB, growing to at most 32 MiB) with
/// fresh mappings and hands them back to the kernel on free. A training step of this CNN allocates and frees activation
/// maps of tens of MB, so each step page-faults them in again: measured on the 2-core machine, TorchSharp 0.107, 2
/// threads, 2,630 ms per step against 213 ms with the heap kept. <see cref="EnsureInitialized"/> raises both the mmap
/// and the trim threshold to 1 GiB (<c>mallopt</c>), so freed tensor memory stays in the heap for the next step.
/// PyTorch gets the same with <c>MALLOC_MMAP_THRESHOLD_</c>/<c>MALLOC_TRIM_THRESHOLD_</c>.</para>
/// <para><b>Debian 12.</b> TorchSharp's <c>libLibTorchSharp.so</c> asks for <c>GLIBCXX_3.4.32</c> (one marker symbol
/// that is never called); the build marks that need weak in the output folder's copy when the system libstdc++ lacks
/// it (<c>build/WeakenGlibcxxRequirement.cs</c>).</para>
/// <para><b>oneDNN.</b> On the project's AMD EPYC machines (AVX-512 advertised), libtorch 2.10's oneDNN kernels for
/// AVX-512 return NaN weights within 3 to 28 training steps as soon as two threads run them (measured: 4 of 4 runs of a
/// two-block CNN at every AVX-512 level; never at one thread; never with AVX2 kernels). Unless the user chose otherwise,
/// <see cref="EnsureInitialized"/> sets <c>DNNL_MAX_CPU_ISA=AVX2</c> in the process environment before libtorch starts,
/// which keeps oneDNN on its AVX2 kernels (<see cref="OneDnnMaxCpuIsa"/>).</para>
/// </remarks>
public static class TorchEngine
{
    /// <summary>glibc's <c>M_TRIM_THRESHOLD</c>.</summary>
    private const int MTrimThreshold = -1;

    /// <summary>glibc's <c>M_MMAP_THRESHOLD</c>.</summary>
    private const int MMmapThreshold = -3;

    /// <summary>The mmap and trim thresholds set at start-up, in bytes: 1 GiB.</summary>
    public const int HeapKeptThreshold = 1 << 30;

    private static readonly Lazy<bool> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether the heap-kept allocator setting is in force (glibc accepted both <c>mallopt</c> calls). False
    /// on other C libraries, where the setting does not exist.</summary>
    public static bool HeapKeptAllocator { get; private set; }

    /// <summary>The oneDNN instruction-set cap in force (<c>DNNL_MAX_CPU_ISA</c>), e.g. <c>AVX2</c>; empty when none.</summary>
    public static string OneDnnMaxCpuIsa
    {
        get
        {
            EnsureInitialized();
            return NativeEnvironment.Get(OneDnnIsaVariable) ?? string.Empty;
        }
    }

    /// <summary>The libtorch version TorchSharp loaded, e.g. <c>2.10.0</c>.</summary>
    public static string LibTorchVersion
    {
        get
        {
            EnsureInitialized();
            return torch.__version__;
        }
    }

    /// <summary>Applies the allocator setting (once, before the first tensor) and loads libtorch.</summary>
    /// <exception cref="TorchEngineException">The native library does not load (the message says why and what to do).</exception>
    public static void EnsureInitialized() => _ = Started.Value;

    /// <summary>Seeds libtorch's generators (weight initialisation, dropout); with the same thread count a run is
    /// then repeatable.</summary>
    /// <param name="seed">Any value.</param>
    public static void ManualSeed(long seed)
    {
        EnsureInitialized();
        torch.manual_seed(seed);
    }

    /// <summary>Sets libtorch's intra-op threads.</summary>
    /// <param name="threads">Threads, ≥ 1; 0 means one per core.</param>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        EnsureInitialized();
        torch.set_num_threads(threads > 0 ? threads : Environment.ProcessorCount);
    }

    /// <summary>The device for a name.</summary>
    /// <param name="name"><c>cpu</c> or <c>cuda</c>.</param>
    /// <returns>The device.</returns>
    /// <exception cref="TorchEngineException"><c>cuda</c> was asked for and this build or machine cannot run it.</exception>
    /// <exception cref="ArgumentException">Another name.</exception>
    public static Device ResolveDevice(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        EnsureInitialized();
        switch (name)
        {
            case "cpu":
                return CPU;
            case "cuda":
                if (!cuda.is_available())
                {
                    throw new TorchEngineException(
                        "training on cuda needs TorchSharp's CUDA build: this build references TorchSharp-cpu (libtorch "
                        + $"{torch.__version__}, CPU only); reference TorchSharp-cuda-linux instead on a machine with an NVIDIA GPU and driver, or use --device cpu");
                }
                return CUDA;
            default:
                throw new ArgumentException($"device must be 'cpu' or 'cuda' (was '{name}')", nameof(name));
        }
    }

    private const string OneDnnIsaVariable = "DNNL_MAX_CPU_ISA";

    private static bool Start()
    {
        if (OperatingSystem.IsLinux())
        {
            // oneDNN reads it with getenv when libtorch first uses it; a value the user set is kept.
            _ = NativeEnvironment.SetIfUnset(OneDnnIsaVariable, "AVX2");
            try
            {
                HeapKeptAllocator = mallopt(MMmapThreshold, HeapKeptThreshold) == 1 & mallopt(MTrimThreshold, HeapKeptThreshold) == 1;
            }
            catch (EntryPointNotFoundException)
            {
                HeapKeptAllocator = false;
            }
        }
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            throw new TorchEngineException(
                $"TorchSharp's native library (libLibTorchSharp.so, libtorch 2.10) did not load from {AppContext.BaseDirectory}: "
                + "rebuild with 'dotnet build' so the output folder holds the libraries of the TorchSharp-cpu package "
                + "(on Debian 12 the build also marks its GLIBCXX_3.4.32 need weak; see README)", e);
        }
        return true;
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
