using System.Globalization;
using SerMlNet.Evaluation.Charts;
using SerMlNet.Evaluation.Exploration;
using SerMlNet.Evaluation.Imaging;
using SerMlNet.Evaluation.Metrics;

namespace SerMlNet.Evaluation.Reporting;

/// <summary>Turns report data into the report's SVG figures (one method per figure). Stateless; thread-safe.</summary>
internal static class ReportFigures
{
    private const double CurveWidth = 400;
    private const double CurveHeight = 300;

    /// <summary>The epoch with the highest finite validation macro-F1 (the first of equals), or null.</summary>
    public static CurveRow? BestRow(IReadOnlyList<CurveRow> curves)
    {
        CurveRow? best = null;
        foreach (CurveRow row in curves)
        {
            if (double.IsFinite(row.ValMacroF1) && (best is null || row.ValMacroF1 > best.ValMacroF1))
            {
                best = row;
            }
        }
        return best;
    }

    public static string Loss(IReadOnlyList<CurveRow> curves) => Curves(curves, "Loss",
        "Cross-entropy loss per epoch on the training and validation sets.", "Loss", null, "fig-loss-svg",
        Series("Train", curves, r => r.TrainLoss, ChartStyle.Train, dashed: true),
        Series("Validation", curves, r => r.ValLoss, ChartStyle.Validation, dashed: false));

    public static string Accuracy(IReadOnlyList<CurveRow> curves) => Curves(curves, "Accuracy",
        "Accuracy per epoch on the training and validation sets.", "Accuracy", 1, "fig-accuracy-svg",
        Series("Train", curves, r => r.TrainAcc, ChartStyle.Train, dashed: true),
        Series("Validation", curves, r => r.ValAcc, ChartStyle.Validation, dashed: false));

    public static string MacroF1(IReadOnlyList<CurveRow> curves) => Curves(curves, "Validation macro-F1",
        "Macro-F1 on the validation set per epoch, the early-stopping criterion.", "Macro-F1", 1, "fig-macro-f1-svg",
        Series("Validation", curves, r => r.ValMacroF1, ChartStyle.Validation, dashed: false));

    /// <summary>A per-epoch line chart with the best epoch marked.</summary>
    private static string Curves(IReadOnlyList<CurveRow> curves, string title, string description, string yLabel, double? yMax, string idPrefix, params LineSeries[] series) =>
        LineChart.Render(new LineChartSpec
        {
            Title = title,
            Description = description,
            XLabel = "Epoch",
            YLabel = yLabel,
            IntegerX = true,
            YMax = yMax,
            Series = series,
            Marker = BestRow(curves) is { } best ? (best.Epoch, $"best epoch {best.Epoch}") : null,
            Width = CurveWidth,
            Height = CurveHeight,
            IdPrefix = idPrefix,
        });

    public static string Confusion(EvaluationResult result)
    {
        ConfusionSummary confusion = result.Confusion;
        int k = confusion.Labels.Count;
        var annotations = new string[k][];
        var values = new double[k][];
        for (int r = 0; r < k; r++)
        {
            annotations[r] = new string[k];
            values[r] = confusion.Normalised[r];
            for (int c = 0; c < k; c++)
            {
                // Empty cells stay blank so the confusions that do occur stand out.
                annotations[r][c] = confusion.Counts[r][c] == 0
                    ? string.Empty
                    : string.Create(CultureInfo.InvariantCulture, $"{confusion.Normalised[r][c] * 100:0}%\n{confusion.Counts[r][c]}");
            }
        }
        return HeatMap.Render(new HeatMapSpec
        {
            Title = "Confusion matrix (row-normalised)",
            Description = "For each true emotion (row), the fraction of its test clips predicted as each emotion (column); cells show the percentage and the clip count.",
            RowLabels = confusion.Labels,
            ColumnLabels = confusion.Labels,
            Values = values,
            Annotations = annotations,
            ColorMap = ColorMap.Blues,
            IdPrefix = "fig-confusion-svg",
        });
    }

    public static string PerClassF1(EvaluationResult result) => BarChart.Render(new BarChartSpec
    {
        Title = "F1 per emotion",
        Description = "Test-set F1 score of each emotion, with the macro-F1 as a dashed line.",
        Categories = result.PerClass.Select(c => $"{c.Label} (n={c.Support})").ToList(),
        Series = [new BarSeries("F1", result.PerClass.Select(c => c.F1).ToList()) { Color = ChartStyle.Train }],
        ValueLabel = "F1",
        ValueMax = 1,
        Height = 560,
        Reference = (result.MacroF1, string.Create(CultureInfo.InvariantCulture, $"macro-F1 {result.MacroF1:0.000}")),
        Width = 560,
        IdPrefix = "fig-per-class-f1-svg",
    });

    public static string GenderGroups(GenderComparison gender)
    {
        var series = new List<IntervalSeries>();
        if (gender.Male is { } male)
        {
            series.Add(new IntervalSeries($"Male (n={male.N})", GroupValues(male)) { Color = ChartStyle.Male });
        }
        if (gender.Female is { } female)
        {
            series.Add(new IntervalSeries($"Female (n={female.N})", GroupValues(female)) { Color = ChartStyle.Female });
        }
        return IntervalChart.Render(new IntervalChartSpec
        {
            Title = "Male vs female speakers",
            Description = "Test accuracy and macro-F1 for male and female speakers with bootstrap 95 % intervals.",
            Categories = ["Accuracy", "Macro-F1"],
            Series = series,
            ValueLabel = "Score (95 % bootstrap interval)",
            ValueMax = 1,
            Width = 560,
            IdPrefix = "fig-gender-groups-svg",
        });
    }

    public static string GenderGap(GapMetrics gap) => IntervalChart.Render(new IntervalChartSpec
    {
        Title = "Gap (male − female)",
        Description = "Difference male minus female in accuracy and macro-F1 with bootstrap 95 % intervals; the dashed line marks no gap.",
        Categories = ["Accuracy", "Macro-F1"],
        Series =
        [
            new IntervalSeries("Male − female",
            [
                new IntervalValue(gap.Accuracy, gap.AccuracyCi95.Lower, gap.AccuracyCi95.Upper),
                new IntervalValue(gap.MacroF1, gap.MacroF1Ci95.Lower, gap.MacroF1Ci95.Upper),
            ]) { Color = ChartStyle.Gap },
        ],
        ValueLabel = "Difference (95 % bootstrap interval)",
        Reference = (0, "no gap"),
        ValueFormat = "+0.000;−0.000;0.000",
        Width = 560,
        IdPrefix = "fig-gender-gap-svg",
    });

    public static string F0Bins(Pitch.F0Binning binning)
    {
        string Bin(string kind, Pitch.F0Bin b) => string.Create(CultureInfo.InvariantCulture, $"{kind} {b.F0MinHz:0}–{b.F0MaxHz:0} Hz (n={b.Metrics.N})");
        IntervalSeries Series(string name, IEnumerable<Pitch.F0Bin> bins, Func<GroupMetrics, IntervalValue> value, string color) =>
            new(name, [.. bins.Select(b => value(b.Metrics))]) { Color = color };
        IntervalValue Accuracy(GroupMetrics m) => new(m.Accuracy, m.AccuracyCi95.Lower, m.AccuracyCi95.Upper);
        IntervalValue MacroF1(GroupMetrics m) => new(m.MacroF1, m.MacroF1Ci95.Lower, m.MacroF1Ci95.Upper);
        List<Pitch.F0Bin> all = [.. binning.ClipBins, .. binning.SpeakerBins];
        return IntervalChart.Render(new IntervalChartSpec
        {
            Title = "Scores by median F0",
            Description = "Accuracy and macro-F1 per F0 bin of clips and of speakers with bootstrap 95 % intervals.",
            Categories = [.. binning.ClipBins.Select(b => Bin("clips", b)), .. binning.SpeakerBins.Select(b => Bin("speakers", b))],
            Series =
            [
                Series("Accuracy", all, Accuracy, ChartStyle.SeriesColor(0)),
                Series("Macro-F1", all, MacroF1, ChartStyle.SeriesColor(1)),
            ],
            ValueLabel = "Score (95 % bootstrap interval)",
            ValueMax = 1,
            Width = 1120,
            IdPrefix = "fig-f0-bins-svg",
        });
    }

    public static string PitchShiftCurve(IReadOnlyList<Pitch.PitchShiftMetrics> shifts) =>
        PitchShiftCurve(shifts, "Accuracy", g => g.Accuracy, "fig-pitch-shift-svg")
        + PitchShiftCurve(shifts, "Macro-F1", g => g.MacroF1, "fig-pitch-shift-f1-svg");

    private static string PitchShiftCurve(IReadOnlyList<Pitch.PitchShiftMetrics> shifts, string metric, Func<GroupMetrics, double> value, string idPrefix)
    {
        List<Pitch.PitchShiftMetrics> ordered = [.. shifts.OrderBy(s => s.Semitones)];
        double[] x = [.. ordered.Select(s => s.Semitones)];
        var series = new List<LineSeries> { new("Overall", x, [.. ordered.Select(s => value(s.Overall))]) { Color = ChartStyle.Gap } };
        if (ordered.All(s => s.Male is not null))
        {
            series.Add(new LineSeries("Male", x, [.. ordered.Select(s => value(s.Male!))]) { Color = ChartStyle.Male });
        }
        if (ordered.All(s => s.Female is not null))
        {
            series.Add(new LineSeries("Female", x, [.. ordered.Select(s => value(s.Female!))]) { Color = ChartStyle.Female });
        }
        return LineChart.Render(new LineChartSpec
        {
            Title = $"Robustness to pitch shifts: {metric.ToLowerInvariant()}",
            Description = $"Test {metric.ToLowerInvariant()} after shifting every clip's pitch, overall and per gender.",
            XLabel = "Pitch shift (semitones)",
            YLabel = metric,
            Series = series,
            YMin = 0,
            YMax = 1,
            IntegerX = true,
            Marker = (0, "unshifted"),
            IdPrefix = idPrefix,
        });
    }

    public static string Intensity(IReadOnlyDictionary<string, GroupMetrics> byIntensity) => IntervalChart.Render(new IntervalChartSpec
    {
        Title = "Scores by emotional intensity",
        Description = "Test accuracy and macro-F1 for each emotional intensity with bootstrap 95 % intervals.",
        Categories = ["Accuracy", "Macro-F1"],
        Series = byIntensity.Select((pair, i) => new IntervalSeries($"{pair.Key} (n={pair.Value.N})", GroupValues(pair.Value))
        {
            Color = i switch { 0 => ChartStyle.Normal, 1 => ChartStyle.Strong, _ => ChartStyle.SeriesColor(i + 4) },
        }).ToList(),
        ValueLabel = "Score (95 % bootstrap interval)",
        ValueMax = 1,
        Width = 560,
        IdPrefix = "fig-intensity-svg",
    });

    public static string Spectrograms(SpectrogramPanel high, SpectrogramPanel low) => SpectrogramChart.Render(new SpectrogramSpec
    {
        Title = "High vs low arousal: log-Mel spectrograms",
        Description = $"Log-Mel spectrograms of two takes by the same speaker of the same statement: {high.Title} (left) and {low.Title} (right), on one time axis and one dB colour scale.",
        Panels = [high, low],
        PanelWidth = 440,
        PanelHeight = 240,
        IdPrefix = "fig-spectrograms-svg",
    });

    public static string BandEnergy(BandEnergyProfile profile)
    {
        var x = Enumerable.Range(0, profile.Bands).Select(b => (double)b).ToList();
        var series = new List<LineSeries>();
        for (int c = 0; c < profile.Labels.Count; c++)
        {
            if (profile.ClipCounts[c] > 0)
            {
                series.Add(new LineSeries(profile.Labels[c], x, profile.MeanDb[c]) { Color = ChartStyle.SeriesColor(c) });
            }
        }
        return LineChart.Render(new LineChartSpec
        {
            Title = "Mean energy per Mel band by emotion",
            Description = "Mean log-Mel energy (dB) in each Mel band, averaged over each emotion's clips; low bands on the left.",
            XLabel = "Mel band (low → high frequency)",
            YLabel = "Mean energy (dB)",
            IntegerX = true,
            Series = series,
            Width = 1000,
            Height = 380,
            IdPrefix = "fig-band-energy-svg",
        });
    }

    public static string Classes(ClassCounts counts)
    {
        bool byGender = counts.Male.Sum() + counts.Female.Sum() > 0;
        IReadOnlyList<BarSeries> series = byGender
            ?
            [
                new BarSeries("Male", counts.Male.Select(v => (double)v).ToList()) { Color = ChartStyle.Male },
                new BarSeries("Female", counts.Female.Select(v => (double)v).ToList()) { Color = ChartStyle.Female },
            ]
            : [new BarSeries("Clips", counts.Total.Select(v => (double)v).ToList()) { Color = ChartStyle.Train }];
        return BarChart.Render(new BarChartSpec
        {
            Title = byGender ? "Clips per emotion by speaker gender" : "Clips per emotion",
            Description = "Number of clips of each emotion" + (byGender ? ", split by speaker gender." : "."),
            Categories = counts.Labels,
            Series = series,
            ValueLabel = "Clips",
            Orientation = BarOrientation.Vertical,
            ValueFormat = "0",
            Width = 560,
            Height = 360,
            IdPrefix = "fig-class-distribution-svg",
        });
    }

    public static string Durations(DurationHistogram durations) => Histogram.Render(new HistogramSpec
    {
        Title = "Clip durations before and after trimming",
        Description = "Histogram of clip durations in seconds before and after leading and trailing silence is trimmed.",
        BinStart = durations.BinStart,
        BinWidth = durations.BinWidth,
        Series =
        [
            new HistogramSeries(string.Create(CultureInfo.InvariantCulture, $"Before trimming (median {durations.BeforeSummary.Median:0.00} s)"), durations.Before) { Color = ChartStyle.Train },
            new HistogramSeries(string.Create(CultureInfo.InvariantCulture, $"After trimming (median {durations.AfterSummary.Median:0.00} s)"), durations.After) { Color = ChartStyle.Validation },
        ],
        XLabel = "Duration (s)",
        Width = 560,
        Height = 360,
        IdPrefix = "fig-durations-svg",
    });

    private static LineSeries Series(string name, IReadOnlyList<CurveRow> curves, Func<CurveRow, double> value, string color, bool dashed) =>
        new(name, curves.Select(r => (double)r.Epoch).ToList(), curves.Select(value).ToList()) { Color = color, Dashed = dashed };

    private static IReadOnlyList<IntervalValue> GroupValues(GroupMetrics g) =>
    [
        new IntervalValue(g.Accuracy, g.AccuracyCi95.Lower, g.AccuracyCi95.Upper),
        new IntervalValue(g.MacroF1, g.MacroF1Ci95.Lower, g.MacroF1Ci95.Upper),
    ];
}
