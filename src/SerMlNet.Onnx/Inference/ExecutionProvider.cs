namespace SerMlNet.Onnx;

/// <summary>Where ONNX Runtime runs a model.</summary>
public enum ExecutionProvider
{
    /// <summary>The CPU provider (always available).</summary>
    Cpu,

    /// <summary>
    /// The CUDA provider: needs <c>libonnxruntime_providers_cuda.so</c> beside <c>libonnxruntime.so</c>
    /// (<c>./setup.sh --cuda</c>, then rebuild), the CUDA 13 runtime, cuBLAS, cuRAND, cuDNN 9 and an NVIDIA driver and
    /// GPU. When anything is missing, loading fails with <see cref="ExecutionProviderUnavailableException"/>.
    /// </summary>
    Cuda,

    /// <summary>CUDA when it is usable, otherwise the CPU; <see cref="OnnxModel.ProviderFallbackReason"/> says why it fell back.</summary>
    Auto,
}
