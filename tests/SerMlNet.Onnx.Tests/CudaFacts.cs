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
            Skip = "needs an NVIDIA GPU, CUDA 13, cuDNN 9 and the CUDA build of ONNX Runtime (-p:SerMlNetOrtCuda=true, as ./setup.sh --cuda builds)";
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
