using System.Text.Json.Serialization;
using SerMlNet.Audio;
using SerMlNet.Pipeline.Datasets;

namespace SerMlNet.Evaluation.Exploration;

/// <summary>One labelled log-Mel spectrogram, input of <see cref="ExploratoryAnalysis.MeanBandEnergy"/>.</summary>
/// <param name="Label">Class label of the clip.</param>
/// <param name="Matrix">Its log-Mel spectrogram in dB.</param>
public sealed record LabelledSpectrogram(string Label, FeatureMatrix Matrix);

/// <summary>Mean log-Mel energy per band for each class. Immutable by convention.</summary>
/// <param name="Labels">Class labels, row order of <paramref name="MeanDb"/>.</param>
/// <param name="Bands">Number of Mel bands.</param>
/// <param name="MeanDb">
/// <c>[class][band]</c> mean energy in dB: each clip's frames are averaged per band, then the clips of the class are
/// averaged (every clip counts once, whatever its length); NaN for a class without clips.
/// </param>
/// <param name="ClipCounts">Number of clips averaged per class.</param>
public sealed record BandEnergyProfile(
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("bands")] int Bands,
    [property: JsonPropertyName("mean_db")] double[][] MeanDb,
    [property: JsonPropertyName("clip_counts")] int[] ClipCounts);

/// <summary>Clips per class, overall and by speaker gender. Immutable by convention.</summary>
/// <param name="Labels">Class labels, in class-index order.</param>
/// <param name="Total">Clips per class.</param>
/// <param name="Male">Clips per class by male speakers.</param>
/// <param name="Female">Clips per class by female speakers (clips of unknown gender count only in <paramref name="Total"/>).</param>
public sealed record ClassCounts(
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("total")] long[] Total,
    [property: JsonPropertyName("male")] long[] Male,
    [property: JsonPropertyName("female")] long[] Female);

/// <summary>Summary statistics of a set of durations, in seconds. Immutable.</summary>
/// <param name="Count">Number of durations.</param>
/// <param name="Mean">Mean.</param>
/// <param name="Median">Median (mean of the two middle values for an even count).</param>
/// <param name="Min">Shortest.</param>
/// <param name="Max">Longest.</param>
public sealed record DurationSummary(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("median")] double Median,
    [property: JsonPropertyName("min")] double Min,
    [property: JsonPropertyName("max")] double Max);

/// <summary>Clip durations before and after silence trimming on shared bins. Immutable by convention.</summary>
/// <param name="BinStart">Left edge of the first bin, seconds (a multiple of <paramref name="BinWidth"/>).</param>
/// <param name="BinWidth">Bin width, seconds.</param>
/// <param name="Before">Clips per bin before trimming; bin i covers [start + i·width, start + (i+1)·width).</param>
/// <param name="After">Clips per bin after trimming.</param>
/// <param name="BeforeSummary">Statistics before trimming.</param>
/// <param name="AfterSummary">Statistics after trimming.</param>
public sealed record DurationHistogram(
    [property: JsonPropertyName("bin_start")] double BinStart,
    [property: JsonPropertyName("bin_width")] double BinWidth,
    [property: JsonPropertyName("before")] long[] Before,
    [property: JsonPropertyName("after")] long[] After,
    [property: JsonPropertyName("before_summary")] DurationSummary BeforeSummary,
    [property: JsonPropertyName("after_summary")] DurationSummary AfterSummary);

/// <summary>A high-arousal and a low-arousal take by the same speaker of the same statement. Immutable.</summary>
/// <param name="High">The high-arousal clip (e.g. angry).</param>
/// <param name="Low">The low-arousal clip (e.g. sad).</param>
/// <param name="Speaker">The shared speaker, e.g. <c>actor01</c>.</param>
/// <param name="Statement">The shared RAVDESS statement: 1 "Kids are talking by the door", 2 "Dogs are sitting by the door".</param>
public sealed record ArousalPair(Clip High, Clip Low, string Speaker, int Statement);
