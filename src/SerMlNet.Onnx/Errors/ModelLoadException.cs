namespace SerMlNet.Onnx;

/// <summary>A model file could not be loaded (see <see cref="ModelFileNotFoundException"/> and <see cref="InvalidModelException"/>).</summary>
public class ModelLoadException : OnnxModelException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="modelPath">The model file.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ModelLoadException(string modelPath, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ModelPath = modelPath;
    }

    /// <summary>The model file that failed to load.</summary>
    public string ModelPath { get; }
}
