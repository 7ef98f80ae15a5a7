namespace SerMlNet.ML.Transforms;

/// <summary>
/// An audio transform met a column it cannot use: the input column is missing, of the wrong kind (a log-Mel stage on a
/// text column, a 16 kHz log-Mel stage on 48 kHz audio), or a row breaks the shape its column declares. Raised by
/// <c>GetOutputSchema</c> before data flows wherever the schema says enough; the message is one line naming the stage,
/// the column and what it needs.
/// </summary>
public sealed class AudioColumnException : SerMlNetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The stage, the column and what is wrong, in one line.</param>
    public AudioColumnException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// An audio transformer was asked to save itself into an ML.NET model (<c>mlContext.Model.Save</c>). ML.NET's
/// <c>ModelSaveContext</c> has no public members (dotnet/machinelearning issue 4911), so a custom transformer cannot
/// write itself; the saved ML.NET model of this project is the exported <c>model.zip</c> (<c>ser export</c>).
/// </summary>
public sealed class TransformerSaveException : SerMlNetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="stage">The transform that was asked to save itself.</param>
    public TransformerSaveException(string stage)
        : base($"the {stage} transform cannot be saved with mlContext.Model.Save (ML.NET's ModelSaveContext is internal); export the model with 'ser export' and load artifacts/model.zip instead")
    {
        Stage = stage;
    }

    /// <summary>The transform that was asked to save itself.</summary>
    public string Stage { get; }
}
