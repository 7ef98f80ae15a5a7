namespace SerMlNet.Audio.Wav;

/// <summary>
/// A file or stream that is not a WAV file this reader can decode, or a WAV whose header contradicts its length.
/// The message names the file and the reason; <see cref="FilePath"/> and <see cref="Reason"/> carry them separately.
/// </summary>
public sealed class WavFormatException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file (or stream source name) that failed.</param>
    /// <param name="reason">What is wrong, in one line.</param>
    public WavFormatException(string filePath, string reason)
        : base($"{filePath}: {reason}")
    {
        FilePath = filePath;
        Reason = reason;
    }

    /// <summary>The file path, or the source name given to <see cref="WavFile.Read(Stream, string)"/>.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with the file, without the path.</summary>
    public string Reason { get; }
}
