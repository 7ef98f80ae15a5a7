namespace SerMlNet.Onnx;

/// <summary>Base of every error SerMlNet.Onnx raises on purpose (export, model loading, execution providers).</summary>
public class OnnxModelException : SerMlNetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public OnnxModelException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
