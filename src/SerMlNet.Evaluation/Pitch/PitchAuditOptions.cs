using SerMlNet.Audio;
using SerMlNet.Evaluation.Metrics;

namespace SerMlNet.Evaluation.Pitch;

/// <summary>Options of <see cref="PitchAudit"/>. Validated once by <see cref="Validate"/>. Immutable; thread-safe.</summary>
public sealed record PitchAuditOptions
{
    /// <summary>Most pitch shift allowed, in semitones either way (one octave).</summary>
    public const double MaxShiftSemitones = 12;

    /// <summary>How clip F0s are measured; defaults (NWaves YIN, 60–500 Hz) when not set.</summary>
    public PitchAnalysisOptions Analysis { get; init; } = new();

    /// <summary>Number of equal-count F0 bins, for clips and for speakers; 2 to 10, default 4 (quartiles).</summary>
    public int Bins { get; init; } = 4;

    /// <summary>Bootstrap resamples and seed behind every interval; the evaluator's defaults (2,000, seed 42) when not set.</summary>
    public EvaluatorOptions Bootstrap { get; init; } = new();

    /// <summary>Checks every field and reports all problems together.</summary>
    /// <exception cref="OptionsValidationException">A field of this type or of <see cref="Analysis"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><see cref="Bootstrap"/> is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Analysis, nameof(Analysis));
        ArgumentNullException.ThrowIfNull(Bootstrap, nameof(Bootstrap));
        Analysis.Validate();
        Bootstrap.Validate();
        var errors = new ValidationErrors(nameof(PitchAuditOptions));
        errors.Require(Bins is >= 2 and <= 10, $"Bins must be 2 to 10 (got {Bins})");
        errors.ThrowIfAny();
    }

    /// <summary>Checks a list of pitch shifts: at least one, each finite, non-zero, at most <see cref="MaxShiftSemitones"/> in size, none repeated.</summary>
    /// <param name="semitones">The shifts in semitones.</param>
    /// <exception cref="OptionsValidationException">Every problem with the list, together.</exception>
    public static void ValidateShifts(IReadOnlyList<double> semitones)
    {
        ArgumentNullException.ThrowIfNull(semitones);
        var errors = new ValidationErrors("pitch shifts");
        errors.Require(semitones.Count > 0, "at least one shift is needed");
        foreach (double s in semitones)
        {
            errors.Require(double.IsFinite(s) && s != 0 && Math.Abs(s) <= MaxShiftSemitones,
                $"shift {s} is not a non-zero number of semitones in [-{MaxShiftSemitones}, {MaxShiftSemitones}] (0, the unshifted baseline, is always scored)");
        }
        errors.Require(semitones.Distinct().Count() == semitones.Count, "a shift is repeated");
        errors.ThrowIfAny();
    }
}
