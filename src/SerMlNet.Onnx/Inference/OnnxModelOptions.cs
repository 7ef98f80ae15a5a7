namespace SerMlNet.Onnx;

/// <summary>How <see cref="OnnxModel.Load"/> sets up its ONNX Runtime session. Validated by <see cref="OnnxModel.Load"/>.</summary>
public sealed class OnnxModelOptions
{
    /// <summary>Execution provider; default <see cref="ExecutionProvider.Cpu"/>.</summary>
    public ExecutionProvider ExecutionProvider { get; init; } = ExecutionProvider.Cpu;

    /// <summary>CUDA device ordinal for <see cref="ExecutionProvider.Cuda"/> / <see cref="ExecutionProvider.Auto"/>; default 0. Non-negative.</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>
    /// Threads of ONNX Runtime's intra-op pool (parallelism inside one operator); default 0 = ONNX Runtime's choice (one
    /// per physical core). 1 runs each call on the calling thread only, the steadiest latency on a shared 2-core box.
    /// </summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads of the inter-op pool (only used by parallel execution, which SerMlNet does not enable); default 0 = ONNX Runtime's choice.</summary>
    public int InterOpThreads { get; init; }

    /// <summary>
    /// Whether idle intra-op threads spin waiting for work; default true (ONNX Runtime's default: lowest latency, but it
    /// burns CPU between calls). Set false when other work shares the cores.
    /// </summary>
    public bool AllowThreadSpinning { get; init; } = true;

    /// <summary>Receives one-line notes about the session (the provider in use, a fallback to the CPU); default null (silent).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Checks every field and reports all problems at once.</summary>
    /// <exception cref="OnnxValidationException">One or more fields are invalid.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(OnnxModelOptions));
        errors.Require(Enum.IsDefined(ExecutionProvider), $"ExecutionProvider {(int)ExecutionProvider} is not defined");
        errors.Require(CudaDeviceId >= 0, $"CudaDeviceId must be non-negative (was {CudaDeviceId})");
        errors.Require(IntraOpThreads >= 0, $"IntraOpThreads must be non-negative (was {IntraOpThreads})");
        errors.Require(InterOpThreads >= 0, $"InterOpThreads must be non-negative (was {InterOpThreads})");
        errors.ThrowIfAny();
    }
}
