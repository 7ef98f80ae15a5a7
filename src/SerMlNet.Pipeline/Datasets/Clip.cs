namespace SerMlNet.Pipeline.Datasets;

/// <summary>One labelled recording of a dataset.</summary>
/// <param name="Id">Stable identifier: the path relative to the dataset root with '/' separators (e.g. <c>Actor_01/03-01-01-01-01-01-01.wav</c>).</param>
/// <param name="Path">Absolute path of the WAV file.</param>
/// <param name="Label">Class label (for RAVDESS one of <see cref="Emotions.Ravdess"/>).</param>
/// <param name="Speaker">Speaker identifier, or null when the corpus does not say.</param>
/// <param name="Gender">Speaker gender, or null when unknown.</param>
/// <param name="Intensity">Emotional intensity (RAVDESS: <c>normal</c> or <c>strong</c>), or null when unknown.</param>
public sealed record Clip(string Id, string Path, string Label, string? Speaker, Gender? Gender, string? Intensity);
