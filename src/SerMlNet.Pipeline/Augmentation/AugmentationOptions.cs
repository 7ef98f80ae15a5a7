using SerMlNet.Audio;
using SerMlNet.Pipeline.Jobs;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>
/// Which augmentations run on the training split, how often, and whether as offline copies or fresh per epoch.
/// A null stage option disables that augmentation. Validation and test data are never augmented.
/// </summary>
public sealed class AugmentationOptions
{
    /// <summary>Offline: <see cref="Copies"/> augmented copies per training clip, computed once and cached. Online: a fresh draw per clip and epoch. Default offline.</summary>
    public AugmentationMode Mode { get; init; } = AugmentationMode.Offline;

    /// <summary>Offline copies per training clip besides the original; default 3. 0 disables offline augmentation.</summary>
    public int Copies { get; init; } = 3;

    /// <summary>Seed of all augmentation draws; default 1234.</summary>
    public long Seed { get; init; } = 1234;

    /// <summary>Additive white/pink noise at a random SNR; null disables it.</summary>
    public NoiseOptions? Noise { get; init; } = new();

    /// <summary>Pitch shift in semitones; null disables it.</summary>
    public PitchShiftOptions? PitchShift { get; init; } = new();

    /// <summary>Speed perturbation (tempo and pitch together) by a rate from a list; applied first. Null (default)
    /// disables it.</summary>
    public SpeedPerturbationOptions? SpeedPerturbation { get; init; }

    /// <summary>Time stretch by a random rate; null disables it.</summary>
    public TimeStretchOptions? TimeStretch { get; init; } = new();

    /// <summary>Random time shift; null disables it.</summary>
    public TimeShiftOptions? TimeShift { get; init; } = new();

    /// <summary>Random gain; null disables it.</summary>
    public GainOptions? Gain { get; init; } = new();

    /// <summary>SpecAugment time/frequency masks on the normalised features, applied fresh every epoch; null disables them.</summary>
    public SpecAugmentOptions? SpecAugment { get; init; } = new();

    /// <summary>Checks every field, including the enabled stages', and reports all problems at once.</summary>
    /// <exception cref="OptionsValidationException">One or more fields are out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Mode))
        {
            errors.Add($"mode {(int)Mode} is not defined");
        }
        if (Copies is < 0 or > 100)
        {
            errors.Add($"copies must be in [0, 100] (was {Copies})");
        }
        OptionErrors.Collect(errors, "noise", Noise is null ? null : Noise.Validate);
        OptionErrors.Collect(errors, "pitchShift", PitchShift is null ? null : PitchShift.Validate);
        OptionErrors.Collect(errors, "speedPerturbation", SpeedPerturbation is null ? null : SpeedPerturbation.Validate);
        OptionErrors.Collect(errors, "timeStretch", TimeStretch is null ? null : TimeStretch.Validate);
        OptionErrors.Collect(errors, "timeShift", TimeShift is null ? null : TimeShift.Validate);
        OptionErrors.Collect(errors, "gain", Gain is null ? null : Gain.Validate);
        OptionErrors.Collect(errors, "specAugment", SpecAugment is null ? null : SpecAugment.Validate);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(AugmentationOptions), errors);
        }
    }
}

/// <summary>When augmented training data are made.</summary>
public enum AugmentationMode
{
    /// <summary>A fixed number of augmented copies per clip, computed once and cached.</summary>
    Offline,

    /// <summary>A fresh draw per clip and epoch.</summary>
    Online,
}
