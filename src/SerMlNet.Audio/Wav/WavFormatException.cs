namespace SerMlNet.Audio.Wav;

/// <summary>
/// A file or stream that is not a WAV file this reader can decode, or a WAV whose header contradicts its length.
/// The message names the file and the reason; <see cref="FilePath"/> and <see cref="Reason"/> carry them separately.
/// It is a <see cref="SerMlNetException"/>, not an <see cref="IOException"/>: a file that cannot be opened or read at all
/// still fails with the BCL's <see cref="IOException"/> types (e.g. <see cref="FileNotFoundException"/>), so code that
/// skips any bad input file catches both.
/// </summary>
public class WavFormatException : SerMlNetException
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
