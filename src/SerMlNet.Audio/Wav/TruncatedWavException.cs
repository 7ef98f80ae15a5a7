namespace SerMlNet.Audio.Wav;

/// <summary>
/// A WAV stream that ended too early: inside its header, inside a sample frame, or before the data size its header
/// declares. Thrown by <see cref="WavStreamReader"/> only after every complete frame before the cut has been returned, so
/// a caller has scored what could be scored; <see cref="FramesRead"/> says how much that was. A
/// <see cref="WavFormatException"/>, so code that handles bad WAV input handles this too.
/// </summary>
public sealed class TruncatedWavException : WavFormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file or stream name.</param>
    /// <param name="reason">Where the stream ended, in one line.</param>
    /// <param name="framesRead">Complete sample frames returned before the end.</param>
    public TruncatedWavException(string filePath, string reason, long framesRead)
        : base(filePath, reason)
    {
        FramesRead = framesRead;
    }

    /// <summary>Complete sample frames (one sample per channel) returned before the stream ended; 0 when it ended in the header.</summary>
    public long FramesRead { get; }
}
