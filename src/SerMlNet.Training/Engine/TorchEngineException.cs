namespace SerMlNet.Training.Engine;

/// <summary>
/// The training engine (TorchSharp over libtorch) cannot do what was asked: its native library does not load, a
/// device is not available in this build, or a weights or checkpoint file is not one this version reads. The message
/// is one line that names what is missing and how to get it.
/// </summary>
public class TorchEngineException : SerMlNetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line: what failed and what to do.</param>
    public TorchEngineException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">One line: what failed and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public TorchEngineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
