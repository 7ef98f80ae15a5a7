using SerMlNet.Audio;

namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// Options of <see cref="EmotionRecognizer.RecognizeStreamAsync"/>. Validated once when the stream starts; every bad field
/// is reported together.
/// </summary>
public sealed record StreamRecognitionOptions
{
    /// <summary>Name of the stream in error messages (a path, <c>stdin</c>); default <c>stream</c>. Not empty.</summary>
    public string SourceName { get; init; } = "stream";

    /// <summary>
    /// Sample frames asked of the stream per read, at its own rate; default 4096 (85 ms at 48 kHz). In [64, 1048576].
    /// Smaller blocks do not lower latency: a window is scored as soon as its last sample has arrived, whatever the block.
    /// </summary>
    public int BlockFrames { get; init; } = 4096;

    /// <summary>Checks every field and reports all problems at once.</summary>
    /// <exception cref="OptionsValidationException">One or more fields are out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(SourceName))
        {
            errors.Add("SourceName must not be empty");
        }
        if (BlockFrames is < 64 or > 1 << 20)
        {
            errors.Add($"BlockFrames must be in [64, 1048576] (was {BlockFrames})");
        }
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(StreamRecognitionOptions), errors);
        }
    }
}
