using SerMlNet.Audio;

namespace SerMlNet.Evaluation.Pitch;

/// <summary>Which frame-level F0 estimator <see cref="PitchAnalyzer"/> runs.</summary>
public enum PitchTracker
{
    /// <summary>NWaves' YIN (<c>NWaves.Features.Pitch.FromYin</c>): cumulative mean normalized difference, the primary estimate.</summary>
    Yin,

    /// <summary>This library's normalized autocorrelation (<see cref="AutocorrelationPitch"/>), the independent second estimate.</summary>
    Autocorrelation,
}

/// <summary>
/// Options of <see cref="PitchAnalyzer"/>: the F0 search range, the framing and the voicing decision. Defaults suit
/// adult speech (60–500 Hz). Validated once by <see cref="Validate"/>, every bad field reported together. Immutable;
/// thread-safe.
/// </summary>
public sealed record PitchAnalysisOptions
{
    /// <summary>The frame-level estimator; default <see cref="PitchTracker.Yin"/> (NWaves).</summary>
    public PitchTracker Tracker { get; init; } = PitchTracker.Yin;

    /// <summary>Lowest F0 searched, in Hz; positive, below <see cref="FMax"/>. Default 60.</summary>
    public double FMin { get; init; } = 60;

    /// <summary>Highest F0 searched, in Hz; above <see cref="FMin"/> and below half of any analysed sample rate. Default 500.</summary>
    public double FMax { get; init; } = 500;

    /// <summary>
    /// Analysis frame length in seconds; at least <c>2 / FMin</c> (YIN compares the frame's two halves, so each half
    /// must hold one period of the lowest F0). Default 0.04 (640 samples at 16 kHz).
    /// </summary>
    public double FrameDuration { get; init; } = 0.04;

    /// <summary>Step between frame starts in seconds; positive, at most <see cref="FrameDuration"/>. Default 0.01.</summary>
    public double HopDuration { get; init; } = 0.01;

    /// <summary>
    /// YIN voicing threshold: a frame is voiced when its cumulative mean normalized difference dips below this value
    /// in the lag range; in (0, 1), default 0.2 (NWaves' default for signals).
    /// </summary>
    public double CmdfThreshold { get; init; } = 0.2;

    /// <summary>
    /// Autocorrelation voicing threshold: a frame is voiced when its normalized autocorrelation peak reaches this
    /// value; in (0, 1), default 0.7.
    /// </summary>
    public double MinCorrelation { get; init; } = 0.7;

    /// <summary>
    /// Frames whose RMS is more than this many dB below the loudest frame of the clip are silent, hence unvoiced,
    /// before either tracker looks at them (as <c>librosa.effects.split</c>'s <c>top_db</c>); positive, default 35.
    /// </summary>
    public double TopDb { get; init; } = 35;

    /// <summary>Fewest voiced frames a clip needs for a median F0; fewer gives no F0 (the clip is left out of the binning). At least 1, default 5.</summary>
    public int MinVoicedFrames { get; init; } = 5;

    /// <summary>Checks every field and reports all problems together.</summary>
    /// <exception cref="OptionsValidationException">One or more fields are out of range; <see cref="OptionsValidationException.Errors"/> lists each.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(PitchAnalysisOptions));
        errors.Require(Enum.IsDefined(Tracker), $"Tracker {Tracker} is not a known tracker");
        errors.Require(double.IsFinite(FMin) && FMin > 0, $"FMin must be positive (got {FMin} Hz)");
        errors.Require(double.IsFinite(FMax) && FMax > FMin, $"FMax must be above FMin (got {FMax} Hz, FMin {FMin} Hz)");
        errors.Require(double.IsFinite(FrameDuration) && FMin > 0 && FrameDuration >= 2 / FMin,
            $"FrameDuration must be at least 2 / FMin = {2 / FMin:G4} s (got {FrameDuration} s)");
        errors.Require(double.IsFinite(HopDuration) && HopDuration > 0 && HopDuration <= FrameDuration,
            $"HopDuration must be in (0, FrameDuration] (got {HopDuration} s)");
        errors.Require(CmdfThreshold is > 0 and < 1, $"CmdfThreshold must be in (0, 1) (got {CmdfThreshold})");
        errors.Require(MinCorrelation is > 0 and < 1, $"MinCorrelation must be in (0, 1) (got {MinCorrelation})");
        errors.Require(double.IsFinite(TopDb) && TopDb > 0, $"TopDb must be positive (got {TopDb} dB)");
        errors.Require(MinVoicedFrames >= 1, $"MinVoicedFrames must be at least 1 (got {MinVoicedFrames})");
        errors.ThrowIfAny();
    }
}
