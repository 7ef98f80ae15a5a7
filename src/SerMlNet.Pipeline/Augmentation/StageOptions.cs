using SerMlNet.Audio;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>The range checks augmentation options share.</summary>
internal static class Check
{
    public static void Probability(ValidationErrors errors, double p) =>
        errors.Require(p >= 0 && p <= 1, $"probability must be in [0, 1] (was {p})");

    public static void Range(ValidationErrors errors, string minName, double min, string maxName, double max, double lowest, double highest) =>
        errors.Require(min >= lowest && max <= highest && min <= max,
            $"{minName}/{maxName} must satisfy {lowest} <= {minName} <= {maxName} <= {highest} (was {min}, {max})");
}

/// <summary>Additive noise at a signal-to-noise ratio drawn uniformly from [<see cref="MinSnrDb"/>, <see cref="MaxSnrDb"/>].</summary>
public sealed class NoiseOptions : IAugmentationOptions
{
    /// <summary>Chance that a draw adds noise; default 0.5.</summary>
    public double Probability { get; init; } = 0.5;

    /// <summary>Lowest SNR in dB (signal power over noise power, over the whole clip); default 15.</summary>
    public double MinSnrDb { get; init; } = 15;

    /// <summary>Highest SNR in dB; default 30.</summary>
    public double MaxSnrDb { get; init; } = 30;

    /// <summary>Colours drawn from with equal chance; default white and pink.</summary>
    public IReadOnlyList<NoiseColour> Colours { get; init; } = [NoiseColour.White, NoiseColour.Pink];

    /// <summary>Checks every field.</summary>
    /// <exception cref="OptionsValidationException">A field is out of range.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(NoiseOptions));
        Check.Probability(errors, Probability);
        Check.Range(errors, "minSnrDb", MinSnrDb, "maxSnrDb", MaxSnrDb, -20, 100);
        if (Colours is null || Colours.Count == 0 || Colours.Any(c => !Enum.IsDefined(c)))
        {
            errors.Add("colours must list at least one of white, pink");
        }
        errors.ThrowIfAny();
    }
}

/// <summary>Pitch shift by a number of semitones drawn uniformly from [<see cref="MinSemitones"/>, <see cref="MaxSemitones"/>], duration kept.</summary>
public sealed class PitchShiftOptions : IAugmentationOptions
{
    /// <summary>Chance that a draw shifts the pitch; default 0.5.</summary>
    public double Probability { get; init; } = 0.5;

    /// <summary>Lowest shift in semitones; default −2.</summary>
    public double MinSemitones { get; init; } = -2;

    /// <summary>Highest shift in semitones; default +2.</summary>
    public double MaxSemitones { get; init; } = 2;

    /// <summary>Checks every field.</summary>
    /// <exception cref="OptionsValidationException">A field is out of range.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(PitchShiftOptions));
        Check.Probability(errors, Probability);
        Check.Range(errors, "minSemitones", MinSemitones, "maxSemitones", MaxSemitones, -12, 12);
        errors.ThrowIfAny();
    }
}

/// <summary>
/// Speed perturbation (Kaldi's and sox's <c>speed</c>): the clip played faster or slower by a rate drawn from
/// <see cref="Rates"/>, so tempo and pitch change together and the length becomes length / rate. Reported better than
/// time stretch for emotion recognition (0.9 / 1.1 speeds, MSP-IMPROV).
/// </summary>
public sealed class SpeedPerturbationOptions : IAugmentationOptions
{
    /// <summary>Chance that a draw changes the speed; default 0.5.</summary>
    public double Probability { get; init; } = 0.5;

    /// <summary>The speeds to draw from, each equally likely; rate &gt; 1 is faster (shorter, higher). Default 0.9 and 1.1.</summary>
    public IReadOnlyList<double> Rates { get; init; } = [0.9, 1.1];

    /// <summary>Checks every field.</summary>
    /// <exception cref="OptionsValidationException">A field is out of range.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(SpeedPerturbationOptions));
        Check.Probability(errors, Probability);
        if (Rates is null || Rates.Count is 0 or > 16)
        {
            errors.Add($"rates must hold 1 to 16 speeds (was {Rates?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"})");
        }
        else
        {
            foreach (double rate in Rates)
            {
                if (!(rate >= 0.5 && rate <= 2))
                {
                    errors.Add($"rates must each be in [0.5, 2] (was {rate.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
                }
            }
        }
        errors.ThrowIfAny();
    }
}

/// <summary>Time stretch (pitch kept) by a rate drawn uniformly from [<see cref="MinRate"/>, <see cref="MaxRate"/>]; rate &gt; 1 speeds up.</summary>
public sealed class TimeStretchOptions : IAugmentationOptions
{
    /// <summary>Chance that a draw stretches; default 0.5.</summary>
    public double Probability { get; init; } = 0.5;

    /// <summary>Lowest rate; default 0.85.</summary>
    public double MinRate { get; init; } = 0.85;

    /// <summary>Highest rate; default 1.15.</summary>
    public double MaxRate { get; init; } = 1.15;

    /// <summary>Checks every field.</summary>
    /// <exception cref="OptionsValidationException">A field is out of range.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(TimeStretchOptions));
        Check.Probability(errors, Probability);
        Check.Range(errors, "minRate", MinRate, "maxRate", MaxRate, 0.25, 4);
        errors.ThrowIfAny();
    }
}

/// <summary>Shift by up to <see cref="MaxShiftSeconds"/> either way, the vacated part filled with silence (length kept).</summary>
public sealed class TimeShiftOptions : IAugmentationOptions
{
    /// <summary>Chance that a draw shifts; default 0.5.</summary>
    public double Probability { get; init; } = 0.5;

    /// <summary>Largest shift in seconds, either direction; default 0.25.</summary>
    public double MaxShiftSeconds { get; init; } = 0.25;

    /// <summary>Checks every field.</summary>
    /// <exception cref="OptionsValidationException">A field is out of range.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(TimeShiftOptions));
        Check.Probability(errors, Probability);
        if (!(MaxShiftSeconds >= 0 && MaxShiftSeconds <= 10))
        {
            errors.Add($"maxShiftSeconds must be in [0, 10] (was {MaxShiftSeconds})");
        }
        errors.ThrowIfAny();
    }
}

/// <summary>Gain in dB drawn uniformly from [<see cref="MinDb"/>, <see cref="MaxDb"/>].</summary>
public sealed class GainOptions : IAugmentationOptions
{
    /// <summary>Chance that a draw changes the gain; default 0.5.</summary>
    public double Probability { get; init; } = 0.5;

    /// <summary>Lowest gain in dB; default −6.</summary>
    public double MinDb { get; init; } = -6;

    /// <summary>Highest gain in dB; default +6.</summary>
    public double MaxDb { get; init; } = 6;

    /// <summary>Checks every field.</summary>
    /// <exception cref="OptionsValidationException">A field is out of range.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(GainOptions));
        Check.Probability(errors, Probability);
        Check.Range(errors, "minDb", MinDb, "maxDb", MaxDb, -40, 40);
        errors.ThrowIfAny();
    }
}

/// <summary>
/// SpecAugment masks (Park et al. 2019) on the features: <see cref="FrequencyMasks"/> bands of up to
/// <see cref="MaxFrequencyWidth"/> rows and <see cref="TimeMasks"/> spans of up to <see cref="MaxTimeWidth"/> frames
/// are set to <see cref="MaskValue"/> (0 = the training mean after normalisation).
/// </summary>
public sealed class SpecAugmentOptions : IAugmentationOptions
{
    /// <summary>Chance that a sample is masked; default 0.8.</summary>
    public double Probability { get; init; } = 0.8;

    /// <summary>Number of frequency masks; default 2.</summary>
    public int FrequencyMasks { get; init; } = 2;

    /// <summary>Widest frequency mask in rows (Mel bands); default 15.</summary>
    public int MaxFrequencyWidth { get; init; } = 15;

    /// <summary>Number of time masks; default 2.</summary>
    public int TimeMasks { get; init; } = 2;

    /// <summary>Widest time mask in frames; default 30 (0.3 s at a 10 ms hop).</summary>
    public int MaxTimeWidth { get; init; } = 30;

    /// <summary>Value written into masked cells; default 0.</summary>
    public float MaskValue { get; init; }

    /// <summary>Checks every field.</summary>
    /// <exception cref="OptionsValidationException">A field is out of range.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(SpecAugmentOptions));
        Check.Probability(errors, Probability);
        if (FrequencyMasks is < 0 or > 10 || TimeMasks is < 0 or > 10)
        {
            errors.Add($"frequencyMasks and timeMasks must be in [0, 10] (were {FrequencyMasks}, {TimeMasks})");
        }
        if (MaxFrequencyWidth < 0 || MaxTimeWidth < 0)
        {
            errors.Add($"maxFrequencyWidth and maxTimeWidth must be >= 0 (were {MaxFrequencyWidth}, {MaxTimeWidth})");
        }
        if (!float.IsFinite(MaskValue))
        {
            errors.Add($"maskValue must be finite (was {MaskValue})");
        }
        errors.ThrowIfAny();
    }
}
