using System.Text.Json.Serialization;
using SerMlNet.Evaluation.Metrics;

namespace SerMlNet.Evaluation.Pitch;

/// <summary>One bin of clips grouped by median F0 (a clip quantile or a group of speakers), with its metrics. Immutable.</summary>
/// <param name="Bin">Bin number from 1 (lowest F0) to the number of bins.</param>
/// <param name="F0MinHz">Lowest F0 in the bin, in Hz (clip median F0 for clip bins, speaker median F0 for speaker bins).</param>
/// <param name="F0MaxHz">Highest F0 in the bin, in Hz.</param>
/// <param name="F0MedianHz">Median of the bin's clip median F0s, in Hz.</param>
/// <param name="Male">Number of the bin's clips by male speakers.</param>
/// <param name="Female">Number of the bin's clips by female speakers.</param>
/// <param name="Speakers">Speakers in the bin with their median F0 in Hz, lowest first (speaker bins only; null for clip bins).</param>
/// <param name="Metrics">Accuracy and macro-F1 of the bin's clips with bootstrap 95 % intervals (clips resampled within the bin).</param>
public sealed record F0Bin(
    [property: JsonPropertyName("bin")] int Bin,
    [property: JsonPropertyName("f0_min_hz")] double F0MinHz,
    [property: JsonPropertyName("f0_max_hz")] double F0MaxHz,
    [property: JsonPropertyName("f0_median_hz")] double F0MedianHz,
    [property: JsonPropertyName("male")] int Male,
    [property: JsonPropertyName("female")] int Female,
    [property: JsonPropertyName("speakers"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SpeakerF0>? Speakers,
    [property: JsonPropertyName("metrics")] GroupMetrics Metrics);

/// <summary>A speaker's median F0. Immutable.</summary>
/// <param name="Speaker">Speaker id (<c>Clip.Speaker</c>, e.g. <c>Actor_07</c>).</param>
/// <param name="MedianF0Hz">Median of the speaker's evaluated clip median F0s, in Hz.</param>
/// <param name="Clips">Number of the speaker's evaluated clips.</param>
public sealed record SpeakerF0(
    [property: JsonPropertyName("speaker")] string Speaker,
    [property: JsonPropertyName("median_f0_hz")] double MedianF0Hz,
    [property: JsonPropertyName("clips")] int Clips);

/// <summary>How the clip F0s behind <see cref="F0Binning"/> were measured. Immutable.</summary>
/// <param name="Tracker">The frame-level estimator (<c>nwaves-yin</c> or <c>autocorrelation</c>).</param>
/// <param name="FMinHz">Lowest F0 searched, Hz.</param>
/// <param name="FMaxHz">Highest F0 searched, Hz.</param>
/// <param name="FrameSeconds">Frame length, seconds.</param>
/// <param name="HopSeconds">Hop, seconds.</param>
/// <param name="CmdfThreshold">YIN voicing threshold.</param>
/// <param name="TopDb">Silence gate below the loudest frame, dB.</param>
/// <param name="MinVoicedFrames">Fewest voiced frames for a clip F0.</param>
public sealed record F0AnalysisSettings(
    [property: JsonPropertyName("tracker")] string Tracker,
    [property: JsonPropertyName("f_min_hz")] double FMinHz,
    [property: JsonPropertyName("f_max_hz")] double FMaxHz,
    [property: JsonPropertyName("frame_s")] double FrameSeconds,
    [property: JsonPropertyName("hop_s")] double HopSeconds,
    [property: JsonPropertyName("cmdf_threshold")] double CmdfThreshold,
    [property: JsonPropertyName("top_db")] double TopDb,
    [property: JsonPropertyName("min_voiced_frames")] int MinVoicedFrames)
{
    /// <summary>The settings of an analyzer's options.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The settings.</returns>
    public static F0AnalysisSettings From(PitchAnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new F0AnalysisSettings(options.Tracker == PitchTracker.Yin ? "nwaves-yin" : "autocorrelation", options.FMin, options.FMax,
            options.FrameDuration, options.HopDuration, options.CmdfThreshold, options.TopDb, options.MinVoicedFrames);
    }
}

/// <summary>
/// Accuracy and macro-F1 by pitch: the evaluated clips in equal-count bins of their median F0, and the speakers in
/// equal-count bins of their own median F0, each bin with bootstrap 95 % intervals; the lowest-minus-highest clip
/// bin difference with its interval; and one sentence drawn from the intervals. The <c>by_f0</c> key of
/// <c>metrics.json</c>. Immutable.
/// </summary>
/// <param name="Analysis">How the F0s were measured.</param>
/// <param name="ClipsWithF0">Evaluated clips with a median F0 (the rest are unvoiced or too short and are left out of the clip bins).</param>
/// <param name="ClipsWithoutF0">Evaluated clips without one.</param>
/// <param name="ClipBins">Clip bins, lowest F0 first (quartiles by default).</param>
/// <param name="SpeakerBins">Speaker bins, lowest speaker F0 first; every evaluated clip of a speaker counts in its speaker's bin. Empty with fewer speakers than bins.</param>
/// <param name="LowestMinusHighest">First clip bin minus last clip bin with bootstrap intervals (each bin resampled on its own); null with fewer than 2 bins.</param>
/// <param name="Conclusion">One sentence on whether accuracy depends on F0, drawn from <paramref name="LowestMinusHighest"/> and the bins' intervals.</param>
public sealed record F0Binning(
    [property: JsonPropertyName("analysis")] F0AnalysisSettings Analysis,
    [property: JsonPropertyName("clips_with_f0")] int ClipsWithF0,
    [property: JsonPropertyName("clips_without_f0")] int ClipsWithoutF0,
    [property: JsonPropertyName("clip_bins")] IReadOnlyList<F0Bin> ClipBins,
    [property: JsonPropertyName("speaker_bins")] IReadOnlyList<F0Bin> SpeakerBins,
    [property: JsonPropertyName("lowest_minus_highest")] GapMetrics? LowestMinusHighest,
    [property: JsonPropertyName("conclusion")] string Conclusion);
