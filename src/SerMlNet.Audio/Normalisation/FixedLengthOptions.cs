namespace SerMlNet.Audio.Normalisation;

/// <summary>Parameters of <see cref="FixedLength"/>.</summary>
public sealed class FixedLengthOptions
{
    /// <summary>Number of frames of the output; default 300 (3 s at a 10 ms hop). At least 1.</summary>
    public int Frames { get; init; } = 300;

    /// <summary>Which frames are kept when cropping; default <see cref="CropAlignment.Start"/>.</summary>
    public CropAlignment Alignment { get; init; } = CropAlignment.Start;

    /// <summary>Checks every field and reports all problems at once.</summary>
    /// <exception cref="OptionsValidationException">One or more fields are out of range.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(FixedLengthOptions));
        errors.Require(Frames is >= 1 and <= 1 << 24, $"Frames must be in [1, 16777216] (was {Frames})");
        errors.Require(Enum.IsDefined(Alignment), $"Alignment {(int)Alignment} is not defined");
        errors.ThrowIfAny();
    }
}
