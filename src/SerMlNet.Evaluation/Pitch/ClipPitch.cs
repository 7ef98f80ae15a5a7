using System.Text.Json.Serialization;

namespace SerMlNet.Evaluation.Pitch;

/// <summary>The F0 summary of one clip. Immutable.</summary>
/// <param name="MedianF0">Median F0 over the voiced frames in Hz, or null when fewer than <see cref="PitchAnalysisOptions.MinVoicedFrames"/> frames are voiced.</param>
/// <param name="VoicedFrames">Number of voiced frames.</param>
/// <param name="Frames">Number of analysed frames.</param>
public sealed record ClipPitch(
    [property: JsonPropertyName("median_f0_hz")] double? MedianF0,
    [property: JsonPropertyName("voiced_frames")] int VoicedFrames,
    [property: JsonPropertyName("frames")] int Frames);
