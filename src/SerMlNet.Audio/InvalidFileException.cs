namespace SerMlNet;

/// <summary>
/// A file SerMlNet reads back is not one it can use: corrupt, truncated, of another format, or of a version newer than
/// this library reads. Covers the files the project writes itself (checkpoints and weights, <c>metrics.json</c>,
/// <c>predictions.csv</c>, <c>curves.csv</c>, saved splits, band statistics, <c>.npy</c> arrays) and a WAV file that
/// decodes but holds nothing to analyse. The message names the file and what is wrong with it. WAV decoding errors
/// have their own type, <see cref="Audio.Wav.WavFormatException"/>; a missing file is the BCL's
/// <see cref="FileNotFoundException"/>.
/// </summary>
public sealed class InvalidFileException : SerMlNetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The file and what is wrong with it, in one line.</param>
    public InvalidFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">The file and what is wrong with it, in one line.</param>
    /// <param name="innerException">The underlying error (e.g. a JSON or number parsing error).</param>
    public InvalidFileException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
