namespace SerMlNet.Onnx;

/// <summary>Options or a model description were invalid; <see cref="Errors"/> lists every problem found, not just the first.</summary>
public sealed class OnnxValidationException : OnnxModelException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="subject">What was validated (a type name).</param>
    /// <param name="errors">Every problem found; at least one.</param>
    public OnnxValidationException(string subject, IReadOnlyList<string> errors)
        : base($"invalid {subject}: {string.Join("; ", errors)}")
    {
        Subject = subject;
        Errors = errors;
    }

    /// <summary>What was validated.</summary>
    public string Subject { get; }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Errors { get; }
}
