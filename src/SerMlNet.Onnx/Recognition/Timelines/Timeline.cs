namespace SerMlNet.Onnx.Recognition.Timelines;

/// <summary>
/// One window of a <see cref="Timeline"/>: where it lies, what the model said about it alone, and what it says once
/// smoothed over its neighbours. Immutable; thread-safe.
/// </summary>
/// <param name="Index">Window index, 0 first.</param>
/// <param name="StartSeconds">Start of the window in the recording, in seconds.</param>
/// <param name="EndSeconds">End of the window, in seconds.</param>
/// <param name="Label">Most probable class after smoothing.</param>
/// <param name="Confidence">Its smoothed probability, in [0, 1].</param>
/// <param name="RawLabel">Most probable class of the window alone.</param>
/// <param name="RawConfidence">Its probability for the window alone, in [0, 1].</param>
/// <param name="Probabilities">Smoothed probability of every class, in label order.</param>
public sealed record TimelineEntry(int Index, double StartSeconds, double EndSeconds, string Label, float Confidence, string RawLabel, float RawConfidence, IReadOnlyList<float> Probabilities);

/// <summary>
/// A stretch of a <see cref="Timeline"/> where the smoothed label stays the same: consecutive windows merged, bounded
/// half-way between the centres of the windows on either side of a change (so segments tile the recording from 0 to its
/// duration without overlap). Immutable; thread-safe.
/// </summary>
/// <param name="StartSeconds">Start, in seconds.</param>
/// <param name="EndSeconds">End, in seconds.</param>
/// <param name="Label">The smoothed label of its windows.</param>
/// <param name="Confidence">Mean smoothed probability of that label over its windows, in [0, 1].</param>
/// <param name="FirstWindow">Index of its first window.</param>
/// <param name="Windows">Number of windows merged.</param>
public sealed record TimelineSegment(double StartSeconds, double EndSeconds, string Label, float Confidence, int FirstWindow, int Windows);

/// <summary>
/// The emotion of a recording over time (format <see cref="FormatName"/>, version <see cref="FormatVersion"/> when
/// written): one entry per window with its smoothed label and confidence, the segments they form, and the overall mean.
/// Built by <see cref="TimelineBuilder"/>; written by <see cref="TimelineJson"/> and <see cref="TimelineCsv"/>.
/// Immutable; thread-safe.
/// </summary>
/// <param name="Source">The recording's name (a path, <c>stdin</c>).</param>
/// <param name="DurationSeconds">Duration of the recording, in seconds.</param>
/// <param name="Labels">Class labels in model order.</param>
/// <param name="SmoothingRadius">Windows on each side averaged into each entry (<see cref="TimelineOptions.SmoothingRadius"/>).</param>
/// <param name="Entries">One per window, in time order; at least one.</param>
/// <param name="Segments">Runs of equal smoothed label, in time order; at least one.</param>
/// <param name="Overall">Mean of the windows' unsmoothed probabilities (as <see cref="RecognitionResult.Prediction"/>).</param>
public sealed record Timeline(string Source, double DurationSeconds, IReadOnlyList<string> Labels, int SmoothingRadius,
    IReadOnlyList<TimelineEntry> Entries, IReadOnlyList<TimelineSegment> Segments, EmotionPrediction Overall)
{
    /// <summary>Format name written in the JSON document and the CSV's first line.</summary>
    public const string FormatName = "sermlnet.timeline";

    /// <summary>Format version; changes whenever a field changes meaning or disappears.</summary>
    public const int FormatVersion = 1;
}
