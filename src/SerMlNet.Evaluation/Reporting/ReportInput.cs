using SerMlNet.Evaluation.Charts;
using SerMlNet.Evaluation.Exploration;
using SerMlNet.Evaluation.Metrics;

namespace SerMlNet.Evaluation.Reporting;

/// <summary>
/// Everything <see cref="ReportBuilder"/> draws, as plain data: the caller (the <c>ser report</c> command) only
/// gathers it. Immutable; thread-safe for reading.
/// </summary>
public sealed class ReportInput
{
    /// <summary>Page heading and HTML title. Default <c>SerMlNet evaluation report</c>.</summary>
    public string Title { get; init; } = "SerMlNet evaluation report";

    /// <summary>Name of the run (e.g. the <c>runs/&lt;name&gt;</c> folder), shown under the title; null to omit.</summary>
    public string? RunName { get; init; }

    /// <summary>Per-epoch training curves (<see cref="CurvesCsv.Read"/>); empty when the run has none.</summary>
    public IReadOnlyList<CurveRow> Curves { get; init; } = [];

    /// <summary>Test-set metrics (<see cref="Evaluator.Evaluate"/> or <see cref="MetricsJson.Read"/>).</summary>
    public required EvaluationResult Evaluation { get; init; }

    /// <summary>Exploratory-analysis data; null leaves the section with a note instead of figures.</summary>
    public ExploratoryData? Exploration { get; init; }
}

/// <summary>Data of the report's exploratory figures, each optional. Immutable; thread-safe for reading.</summary>
public sealed class ExploratoryData
{
    /// <summary>
    /// The high-arousal take (e.g. angry) of a pair chosen by <see cref="ExploratoryAnalysis.ChooseArousalPair"/>;
    /// drawn beside <see cref="LowArousal"/> on one time axis and one dB scale.
    /// </summary>
    public SpectrogramPanel? HighArousal { get; init; }

    /// <summary>The low-arousal take (e.g. sad) of the same speaker and statement.</summary>
    public SpectrogramPanel? LowArousal { get; init; }

    /// <summary>Mean log-Mel energy per band per emotion (<see cref="ExploratoryAnalysis.MeanBandEnergy"/>).</summary>
    public BandEnergyProfile? BandEnergy { get; init; }

    /// <summary>Clips per class (<see cref="ExploratoryAnalysis.ClassDistribution"/>).</summary>
    public ClassCounts? Classes { get; init; }

    /// <summary>Durations before and after trimming (<see cref="ExploratoryAnalysis.DurationDistribution"/>).</summary>
    public DurationHistogram? Durations { get; init; }

    /// <summary>What the data were computed on (e.g. <c>RAVDESS 16 kHz, actors 01–20, 1,440 clips</c>); shown in the section; null to omit.</summary>
    public string? Source { get; init; }
}
