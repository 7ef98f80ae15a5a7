namespace SerMlNet.Onnx;

/// <summary>
/// The requested execution provider cannot run here. <see cref="MissingComponents"/> names each missing piece (the ONNX
/// Runtime provider library, a CUDA / cuDNN shared library, a GPU), and the message says how to get it.
/// </summary>
public sealed class ExecutionProviderUnavailableException : OnnxModelException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="provider">The provider that was requested.</param>
    /// <param name="missingComponents">Each missing component, one entry each (may be empty when ONNX Runtime refused for another reason).</param>
    /// <param name="message">The full explanation.</param>
    /// <param name="innerException">The underlying ONNX Runtime error, if any.</param>
    public ExecutionProviderUnavailableException(ExecutionProvider provider, IReadOnlyList<string> missingComponents, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Provider = provider;
        MissingComponents = missingComponents;
    }

    /// <summary>The provider that was requested.</summary>
    public ExecutionProvider Provider { get; }

    /// <summary>The missing components, e.g. <c>libonnxruntime_providers_cuda.so</c> or <c>libcudart.so.13</c>.</summary>
    public IReadOnlyList<string> MissingComponents { get; }
}
