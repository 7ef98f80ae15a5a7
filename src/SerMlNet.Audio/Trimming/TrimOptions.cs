namespace SerMlNet.Audio.Trimming;

/// <summary>Silence-trimming parameters, named as in <c>librosa.effects.trim</c>.</summary>
public sealed class TrimOptions
{
    /// <summary>Frames whose RMS is more than this many dB below the loudest frame are silence; default 60. Positive.</summary>
    public double TopDb { get; init; } = 60;

    /// <summary>Samples per RMS frame; default 2048 (128 ms at 16 kHz). At least 1.</summary>
    public int FrameLength { get; init; } = 2048;

    /// <summary>Samples between RMS frames; default 512 (32 ms at 16 kHz). At least 1.</summary>
    public int HopLength { get; init; } = 512;

    /// <summary>Checks every field and reports all problems at once.</summary>
    /// <exception cref="OptionsValidationException">One or more fields are out of range.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(TrimOptions));
        errors.Require(double.IsFinite(TopDb) && TopDb > 0, $"TopDb must be a positive number of dB (was {TopDb})");
        errors.Require(FrameLength is >= 1 and <= 1 << 24, $"FrameLength must be in [1, 16777216] (was {FrameLength})");
        errors.Require(HopLength >= 1, $"HopLength must be at least 1 (was {HopLength})");
        errors.ThrowIfAny();
    }
}
