namespace SerMlNet.Pipeline.Composition;

/// <summary>
/// The shape of the samples at one point of a pipeline, known before any data flows
/// (ML.NET's <c>GetOutputSchema</c>): their kind, sample rate, and feature dimensions when fixed.
/// </summary>
/// <param name="Kind">What the samples carry.</param>
/// <param name="SampleRate">Sample rate in Hz, or null when not yet fixed (e.g. files of any rate).</param>
/// <param name="Rows">Feature rows (frequency bins or Mel bands), or null when not features.</param>
/// <param name="Columns">Feature columns (frames), or null when variable.</param>
public sealed record SampleSchema(SampleKind Kind, int? SampleRate = null, int? Rows = null, int? Columns = null)
{
    /// <summary>Clips on disk, any rate: the input of every pipeline that starts by loading audio.</summary>
    public static SampleSchema Source { get; } = new(SampleKind.Source);

    /// <summary>Throws unless this schema has the expected kind.</summary>
    /// <param name="expected">The kind a stage accepts.</param>
    /// <param name="stage">The stage's type name, for the message.</param>
    /// <exception cref="SchemaMismatchException">The kinds differ.</exception>
    public void Require(SampleKind expected, string stage)
    {
        if (Kind != expected)
        {
            throw new SchemaMismatchException($"stage '{stage}' needs {expected} input but receives {Describe()}");
        }
    }

    /// <summary>A short description, e.g. <c>Features [128 x 300] @ 16000 Hz</c>.</summary>
    /// <returns>The text.</returns>
    public string Describe()
    {
        string rate = SampleRate is int sr ? $" @ {sr} Hz" : string.Empty;
        return Kind == SampleKind.Features ? $"Features [{Rows?.ToString() ?? "?"} x {Columns?.ToString() ?? "?"}]{rate}" : $"{Kind}{rate}";
    }
}

/// <summary>Two stages that cannot be chained: the output of one is not what the next accepts.</summary>
/// <param name="message">Which stage, what it needs, what it gets.</param>
public sealed class SchemaMismatchException(string message) : SerMlNetException(message);
