namespace SerMlNet.Onnx;

/// <summary>The model file does not exist.</summary>
public sealed class ModelFileNotFoundException : ModelLoadException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="modelPath">The missing file.</param>
    public ModelFileNotFoundException(string modelPath)
        : base(modelPath, $"model file '{modelPath}' does not exist")
    {
    }
}
