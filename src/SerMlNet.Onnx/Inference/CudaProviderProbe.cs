using System.Runtime.InteropServices;

namespace SerMlNet.Onnx.Inference;

/// <summary>
/// Finds out, before ONNX Runtime tries, what the CUDA execution provider would miss: the provider library beside
/// <c>libonnxruntime.so</c>, each shared library it links against (read from its ELF <c>DT_NEEDED</c> entries and
/// probed with the dynamic loader, so the answer follows <c>LD_LIBRARY_PATH</c> and <c>ldconfig</c>), and cuDNN, which
/// it opens itself at run time. ONNX Runtime reports only the first missing library; this reports all.
/// <para>The provider comes from the NuGet package <c>Microsoft.ML.OnnxRuntime.Gpu.Linux</c> (ONNX Runtime 1.31, built
/// against CUDA 13 and cuDNN 9), referenced instead of the CPU package when the build sets
/// <c>-p:SerMlNetOrtCuda=true</c> (<c>./setup.sh --cuda</c> does); the build copies it beside
/// <c>libonnxruntime.so</c>. Thread-safe.</para>
/// </summary>
internal static class CudaProviderProbe
{
    /// <summary>ONNX Runtime's CUDA provider library (NuGet <c>Microsoft.ML.OnnxRuntime.Gpu.Linux</c>).</summary>
    public const string ProviderLibrary = "libonnxruntime_providers_cuda.so";

    /// <summary>The bridge every provider library needs beside <c>libonnxruntime.so</c>.</summary>
    public const string SharedProviderLibrary = "libonnxruntime_providers_shared.so";

    /// <summary>The NuGet package that ships the CUDA build of ONNX Runtime and its provider.</summary>
    public const string GpuPackage = "Microsoft.ML.OnnxRuntime.Gpu.Linux";

    /// <summary>The MSBuild property (SerMlNet.Onnx.csproj) that swaps the CPU package for <see cref="GpuPackage"/>.</summary>
    public const string BuildProperty = "SerMlNetOrtCuda";

    /// <summary>Opened by the provider with <c>dlopen</c> when it starts (cuDNN's front end loads it dynamically, so it is absent from its <c>DT_NEEDED</c>).</summary>
    private static readonly string[] RuntimeOpened = ["libcudnn.so.9"];

    /// <summary>Looks for every missing piece.</summary>
    /// <returns>The missing components (empty when everything loads) and one sentence explaining them and the fix.</returns>
    public static (IReadOnlyList<string> Missing, string Explanation) Probe()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return (["linux-x64"], $"the CUDA provider is set up for linux-x64 only (this is {RuntimeInformation.RuntimeIdentifier})");
        }
        string folder = OrtRuntime.NativeDirectory;
        string provider = Path.Combine(folder, ProviderLibrary);
        if (!File.Exists(provider))
        {
            return ([ProviderLibrary],
                $"{ProviderLibrary} (ONNX Runtime's CUDA provider) is not in {folder}: this build ships ONNX Runtime's CPU package; "
                + $"rebuild with -p:{BuildProperty}=true (./setup.sh --cuda does), which references {GpuPackage} and copies it beside libonnxruntime.so");
        }
        if (!File.Exists(Path.Combine(folder, SharedProviderLibrary)))
        {
            return ([SharedProviderLibrary], $"{SharedProviderLibrary} is not in {folder}: rebuild with -p:{BuildProperty}=true (./setup.sh --cuda does)");
        }
        IReadOnlyList<string> needed;
        try
        {
            needed = ElfDependencies.ReadNeeded(provider);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return ([ProviderLibrary], $"{provider} cannot be read as a shared library ({e.Message}): restore {GpuPackage} again (./setup.sh --cuda) and rebuild");
        }
        var missing = new List<string>();
        foreach (string library in needed.Concat(RuntimeOpened))
        {
            if (NativeLibrary.TryLoad(library, out IntPtr handle))
            {
                NativeLibrary.Free(handle);
            }
            else
            {
                missing.Add(library);
            }
        }
        if (missing.Count == 0)
        {
            return (missing, string.Empty);
        }
        return (missing,
            $"the dynamic loader cannot find {string.Join(", ", missing.Select(l => $"{l} ({Describe(l)})"))}; "
            + $"the CUDA provider of {GpuPackage} (ONNX Runtime 1.31) needs the NVIDIA driver, the CUDA 13 runtime, cuBLAS, cuRAND "
            + "and cuDNN 9 on the loader's path (ldconfig or LD_LIBRARY_PATH; pip's nvidia-* wheels hold them under site-packages/nvidia/*/lib)");
    }

    private static string Describe(string library) => library switch
    {
        _ when library.StartsWith("libcuda.so", StringComparison.Ordinal) => "NVIDIA driver",
        _ when library.StartsWith("libcudart.so", StringComparison.Ordinal) => "CUDA runtime",
        _ when library.StartsWith("libcublasLt.so", StringComparison.Ordinal) => "cuBLASLt, CUDA toolkit",
        _ when library.StartsWith("libcublas.so", StringComparison.Ordinal) => "cuBLAS, CUDA toolkit",
        _ when library.StartsWith("libcurand.so", StringComparison.Ordinal) => "cuRAND, CUDA toolkit",
        _ when library.StartsWith("libcufft.so", StringComparison.Ordinal) => "cuFFT, CUDA toolkit",
        _ when library.StartsWith("libcudnn.so", StringComparison.Ordinal) => "cuDNN",
        _ => "a dependency of the CUDA provider",
    };
}
