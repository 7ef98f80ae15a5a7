namespace SerMlNet.Training.MlNet;

/// <summary>
/// A <see cref="SerCnnTransformer"/> was passed to <c>mlContext.Model.Save</c>: ML.NET saves custom work only through
/// its internal <c>ModelSaveContext</c> members, so the network is exported to ONNX instead. The message says how.
/// </summary>
public sealed class SerCnnSaveException : SerMlNetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line: what failed and what to do.</param>
    public SerCnnSaveException(string message)
        : base(message)
    {
    }
}
