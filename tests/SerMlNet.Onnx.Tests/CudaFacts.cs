using SerMlNet.Onnx.Inference;

namespace SerMlNet.Onnx.Tests;

/// <summary>Whether this machine can run the CUDA provider (provider library, CUDA/cuDNN libraries and a GPU device).</summary>
internal static class CudaMachine
{
    private static readonly Lazy<bool> Usable = new(() =>
        CudaProviderProbe.Probe().Missing.Count == 0 && File.Exists("/dev/nvidiactl"));

    public static bool IsUsable => Usable.Value;
}

/// <summary>A fact that needs a usable CUDA set-up; skipped (with the reason) everywhere else.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (!CudaMachine.IsUsable)
        {
            Skip = "needs an NVIDIA GPU with the CUDA provider, CUDA 13 and cuDNN 9 (./setup.sh --cuda)";
        }
    }
}

/// <summary>A fact about machines that cannot run the CUDA provider; skipped on a working CUDA machine.</summary>
public sealed class NoCudaFactAttribute : FactAttribute
{
    public NoCudaFactAttribute()
    {
        if (CudaMachine.IsUsable)
        {
            Skip = "this machine can run the CUDA provider";
        }
    }
}
