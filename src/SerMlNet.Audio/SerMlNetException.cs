namespace SerMlNet;

/// <summary>
/// Base of every exception SerMlNet throws on purpose: a bad WAV file, a bad pipeline, job or dataset, an unusable
/// model, a missing execution provider or training engine, invalid options, a wrong command line. Catch this type to
/// handle every failure the library reports by design; its message is one line that names the thing at fault and, where
/// there is one, what to do. Anything else that escapes SerMlNet (besides the BCL's file-system errors such as
/// <see cref="FileNotFoundException"/> and <see cref="UnauthorizedAccessException"/>, and argument checks) is a bug.
/// </summary>
/// <remarks>
/// <para>
/// The type is abstract so that every throw names its case with a subtype (<c>WavFormatException</c>,
/// <c>InvalidModelException</c>, <c>OptionsValidationException</c>, ...) that callers can catch on its own; there is no
/// "generic SerMlNet error" to throw. A new exception type in any SerMlNet assembly derives from this one, directly or
/// through its family base (e.g. <c>OnnxModelException</c>); a test in SerMlNet.Cli.Tests enforces it.
/// </para>
/// <para>Defined in SerMlNet.Audio, the lowest layer, so that every other assembly can derive from it.</para>
/// </remarks>
public abstract class SerMlNetException : Exception
{
    /// <summary>Creates the exception with the default message.</summary>
    protected SerMlNetException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, in one line.</param>
    protected SerMlNetException(string? message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What went wrong, in one line.</param>
    /// <param name="innerException">The underlying error, or null.</param>
    protected SerMlNetException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
