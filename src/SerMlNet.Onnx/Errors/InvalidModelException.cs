namespace SerMlNet.Onnx;

/// <summary>
/// The model file exists but is not a usable SerMlNet model: not parseable as ONNX (truncated, corrupt, another format),
/// rejected by ONNX Runtime, or missing the inputs, outputs or metadata SerMlNet models carry.
/// </summary>
public sealed class InvalidModelException : ModelLoadException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="modelPath">The model file.</param>
    /// <param name="reason">Why it is unusable (for ONNX Runtime failures, its message).</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public InvalidModelException(string modelPath, string reason, Exception? innerException = null)
        : base(modelPath, $"model file '{modelPath}' is not a usable SerMlNet ONNX model: {reason}", innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the model is unusable.</summary>
    public string Reason { get; }
}
