using ScottPlot;
using SerMlNet.Evaluation.Exploration;
using SerMlNet.Evaluation.Figures;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Evaluation.Pitch;

namespace SerMlNet.Evaluation.Reporting;

/// <summary>One drawn panel of a report figure: its name (SVG id prefix and PNG file name), the plot and its size in pixels.</summary>
internal sealed record ReportPanel(string Name, Plot Plot, int Width, int Height);

/// <summary>The report's panels, one method per figure, drawn by <see cref="SerMlNet.Evaluation.Figures"/> at the report's sizes. Stateless; thread-safe.</summary>
internal static class ReportFigures
{
    private const int CurveWidth = 400;
    private const int CurveHeight = 300;

    public static ReportPanel[] Loss(IReadOnlyList<CurveRow> curves) => [new("fig-loss", TrainingFigures.Loss(curves), CurveWidth, CurveHeight)];

    public static ReportPanel[] Accuracy(IReadOnlyList<CurveRow> curves) => [new("fig-accuracy", TrainingFigures.Accuracy(curves), CurveWidth, CurveHeight)];

    public static ReportPanel[] MacroF1(IReadOnlyList<CurveRow> curves) => [new("fig-macro-f1", TrainingFigures.MacroF1(curves), CurveWidth, CurveHeight)];

    public static ReportPanel[] Confusion(EvaluationResult result) => [new("fig-confusion", EvaluationFigures.Confusion(result), 640, 580)];

    public static ReportPanel[] PerClassF1(EvaluationResult result) => [new("fig-per-class-f1", EvaluationFigures.PerClassF1(result), 540, 480)];

    public static ReportPanel[] Gender(GenderComparison gender) => gender.Gap is { } gap
        ? [new("fig-gender-groups", EvaluationFigures.GenderGroups(gender), 560, 400), new("fig-gender-gap", EvaluationFigures.GenderGap(gap), 560, 400)]
        : [new("fig-gender-groups", EvaluationFigures.GenderGroups(gender), 560, 400)];

    public static ReportPanel[] Intensity(IReadOnlyDictionary<string, GroupMetrics> byIntensity) =>
        [new("fig-intensity", EvaluationFigures.Intensity(byIntensity), 640, 400)];

    public static ReportPanel[] F0Bins(F0Binning binning) =>
    [
        new("fig-f0-bins-clips", PitchFigures.ClipF0Bins(binning), 580, 420),
        new("fig-f0-bins-speakers", PitchFigures.SpeakerF0Bins(binning), 580, 420),
    ];

    public static ReportPanel[] PitchShift(IReadOnlyList<PitchShiftMetrics> shifts) =>
    [
        new("fig-pitch-shift-accuracy", PitchFigures.PitchShift(shifts, PitchShiftScore.Accuracy), 560, 400),
        new("fig-pitch-shift-macro-f1", PitchFigures.PitchShift(shifts, PitchShiftScore.MacroF1), 560, 400),
    ];

    public static ReportPanel[] Spectrograms(SpectrogramPanel high, SpectrogramPanel low)
    {
        IReadOnlyList<Plot> plots = ExplorationFigures.Spectrograms(high, low);
        return [new("fig-spectrograms-high", plots[0], 580, 340), new("fig-spectrograms-low", plots[1], 580, 340)];
    }

    public static ReportPanel[] BandEnergy(BandEnergyProfile profile) => [new("fig-band-energy", ExplorationFigures.BandEnergy(profile), 1100, 420)];

    public static ReportPanel[] Classes(ClassCounts counts) => [new("fig-class-distribution", ExplorationFigures.Classes(counts), 560, 400)];

    public static ReportPanel[] Durations(DurationHistogram durations) => [new("fig-durations", ExplorationFigures.Durations(durations), 560, 400)];
}
