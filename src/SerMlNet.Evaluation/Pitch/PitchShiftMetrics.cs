using System.Text.Json.Serialization;
using SerMlNet.Evaluation.Metrics;

namespace SerMlNet.Evaluation.Pitch;

/// <summary>The evaluated clips re-scored after one pitch shift: overall, male and female metrics. Immutable.</summary>
/// <param name="Semitones">The shift in semitones (0 is the unshifted baseline, scored from the same waveforms).</param>
/// <param name="MedianF0Hz">Median over the shifted clips of their median F0 in Hz (checks the shift: about 2^(s/12) times the baseline's), or null when not measured.</param>
/// <param name="Overall">All clips, with bootstrap 95 % intervals.</param>
/// <param name="Male">Clips by male speakers, or null when there are none.</param>
/// <param name="Female">Clips by female speakers, or null when there are none.</param>
public sealed record PitchShiftMetrics(
    [property: JsonPropertyName("semitones")] double Semitones,
    [property: JsonPropertyName("median_f0_hz")] double? MedianF0Hz,
    [property: JsonPropertyName("overall")] GroupMetrics Overall,
    [property: JsonPropertyName("male")] GroupMetrics? Male,
    [property: JsonPropertyName("female")] GroupMetrics? Female);
