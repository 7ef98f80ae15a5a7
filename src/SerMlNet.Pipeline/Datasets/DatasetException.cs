namespace SerMlNet.Pipeline.Datasets;

/// <summary>A dataset, manifest or file name that cannot be used, with the offending source named in the message.</summary>
public sealed class DatasetException : SerMlNetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    public DatasetException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="inner">The underlying error.</param>
    public DatasetException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
