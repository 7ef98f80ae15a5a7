using System.Globalization;
using System.Text;
using SerMlNet.Evaluation.Figures;
using SerMlNet.Evaluation.Exploration;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Audio.Io;

namespace SerMlNet.Evaluation.Reporting;

/// <summary>
/// Builds the self-contained <c>report.html</c>: inline CSS and inline SVG only — no scripts, no fonts, no external
/// or network references (a Content-Security-Policy forbids them; rasters are <c>data:</c> URIs). Sections: summary
/// table, training curves, confusion matrix, per-class F1, gender comparison with intervals and a plain-words
/// qualification, scores by intensity, and the exploratory figures. Every figure is a <c>&lt;figure id="…"&gt;</c>
/// with a <c>&lt;figcaption&gt;</c> (ids in <see cref="FigureIds"/>). The markup is also well-formed XML. The same
/// input always gives the same bytes. Stateless; thread-safe.
/// </summary>
public static class ReportBuilder
{
    /// <summary>Ids of the figures of a report whose input has every part (curves, both genders, intensities, all exploratory data).</summary>
    public static IReadOnlyList<string> FigureIds { get; } =
    [
        "fig-loss", "fig-accuracy", "fig-macro-f1", "fig-confusion", "fig-per-class-f1", "fig-gender", "fig-intensity",
        "fig-f0-bins", "fig-pitch-shift", "fig-spectrograms", "fig-band-energy", "fig-class-distribution", "fig-durations",
    ];

    /// <summary>
    /// Ids of the figures of a report of a run with these curves and metrics (and every other part: both genders,
    /// intensities, all exploratory data), in page order: <see cref="FigureIds"/> without the training curves when
    /// there are none, without the validation macro-F1 panel when the run had no validation items
    /// (<see cref="KeptEpochs.WithoutValidation"/>), and without the pitch figures the metrics have no data for.
    /// </summary>
    /// <param name="curves">The run's curves (<see cref="CurvesCsv.Read"/>), possibly empty.</param>
    /// <param name="metrics">The evaluation shown (<see cref="MetricsJson.Read"/>).</param>
    /// <returns>The ids, a subset of <see cref="FigureIds"/>.</returns>
    public static IReadOnlyList<string> FigureIdsFor(IReadOnlyList<CurveRow> curves, EvaluationResult metrics)
    {
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentNullException.ThrowIfNull(metrics);
        return [.. FigureIds.Where(id => id switch
        {
            "fig-loss" or "fig-accuracy" => curves.Count > 0,
            "fig-macro-f1" => curves.Count > 0 && Validated(curves),
            "fig-f0-bins" => metrics.ByF0 is not null,
            "fig-pitch-shift" => metrics.ByF0 is not null && HasPitchShifts(metrics),
            _ => true,
        })];
    }

    /// <summary>Whether a run's (non-empty) curves have validation figures: the validation panel and wording.</summary>
    private static bool Validated(IReadOnlyList<CurveRow> curves) => !KeptEpochs.WithoutValidation(curves);

    /// <summary>Whether the metrics hold pitch-shifted scores to draw (the unshifted row and at least one shift).</summary>
    private static bool HasPitchShifts(EvaluationResult metrics) => metrics.PitchShift is { Count: > 1 };

    /// <summary>Builds the page.</summary>
    /// <param name="input">The data to show.</param>
    /// <returns>The HTML document (UTF-8 when written).</returns>
    public static string Build(ReportInput input) => Render(input, null);

    /// <summary>Builds the page and writes it atomically (temporary file, then rename).</summary>
    /// <param name="path">Destination, e.g. <c>runs/&lt;name&gt;/report.html</c>; its folder is created if missing.</param>
    /// <param name="input">The data to show.</param>
    public static void Write(string path, ReportInput input) => AtomicFile.WriteAllText(path, Build(input));

    /// <summary>
    /// Builds the page, writes it atomically, and writes every figure panel also as a PNG file
    /// (<c>&lt;pngFolder&gt;/&lt;panel&gt;.png</c>, e.g. <c>fig-loss.png</c>, <c>fig-gender-gap.png</c>).
    /// </summary>
    /// <param name="path">Destination of the page; its folder is created if missing.</param>
    /// <param name="input">The data to show.</param>
    /// <param name="pngFolder">Folder of the PNG files; created if missing.</param>
    /// <returns>The PNG files written, in page order.</returns>
    public static IReadOnlyList<string> Write(string path, ReportInput input, string pngFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(pngFolder);
        var written = new List<string>();
        string html = Render(input, panel =>
        {
            string file = Path.Combine(pngFolder, panel.Name + ".png");
            FigureExport.SavePng(panel.Plot, file, panel.Width, panel.Height);
            written.Add(file);
        });
        AtomicFile.WriteAllText(path, html);
        return written;
    }

    private static string Render(ReportInput input, Action<ReportPanel>? panelSink)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Evaluation);
        EvaluationResult result = input.Evaluation;
        var html = new StringBuilder(1 << 18);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\"/>\n")
            .Append("<meta name=\"generator\" content=\"SerMlNet\"/>\n")
            .Append("<title>").Append(E(input.Title)).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n");

        Header(html, input);
        Contents(html);
        string? keptWeights = input.Curves.Count == 0 ? null : KeptEpochs.Describe(input.Curves, input.AverageBestEpochs);
        Summary(html, input, keptWeights);
        Training(html, input, keptWeights, panelSink);
        Classification(html, result, panelSink);
        Gender(html, result, panelSink);
        Intensity(html, result, panelSink);
        Pitch(html, result, panelSink);
        Exploration(html, input.Exploration, panelSink);

        html.Append("<footer><p>Generated by SerMlNet. Metric definitions: <code>docs/metrics-json.md</code>. ")
            .Append("Intervals are bootstrap 95 % percentile intervals (")
            .Append(result.Bootstrap.Resamples.ToString("N0", CultureInfo.InvariantCulture)).Append(" resamples, seed ")
            .Append(result.Bootstrap.Seed.ToString(CultureInfo.InvariantCulture)).Append(").</p></footer>\n")
            .Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Header(StringBuilder html, ReportInput input)
    {
        EvaluationResult r = input.Evaluation;
        html.Append("<header>\n<h1>").Append(E(input.Title)).Append("</h1>\n");
        if (input.RunName is { Length: > 0 } run)
        {
            html.Append("<p class=\"run\">Run <code>").Append(E(run)).Append("</code></p>\n");
        }
        if (r.Model.Count + r.Data.Count > 0)
        {
            html.Append("<dl class=\"descriptors\">");
            foreach (var (group, map) in (ReadOnlySpan<(string, IReadOnlyDictionary<string, string>)>)[("model", r.Model), ("data", r.Data)])
            {
                foreach (var (key, value) in map)
                {
                    html.Append("<dt>").Append(E(group)).Append(' ').Append(E(key)).Append("</dt><dd>").Append(E(value)).Append("</dd>");
                }
            }
            html.Append("</dl>\n");
        }
        html.Append("</header>\n");
    }

    private static void Contents(StringBuilder html)
    {
        html.Append("<nav><ol>");
        foreach (var (id, name) in Sections)
        {
            html.Append("<li><a href=\"#").Append(id).Append("\">").Append(E(name)).Append("</a></li>");
        }
        html.Append("</ol></nav>\n");
    }

    private static readonly (string Id, string Name)[] Sections =
    [
        ("summary", "Summary"), ("training", "Training curves"), ("classes", "Confusion matrix and per-class F1"),
        ("gender", "Male vs female"), ("intensity", "Intensity"), ("pitch", "Pitch"), ("exploration", "Exploratory analysis"),
    ];

    private static void Summary(StringBuilder html, ReportInput input, string? keptWeights)
    {
        EvaluationResult r = input.Evaluation;
        html.Append("<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"tables\">\n<table class=\"summary\">\n<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Value</th><th scope=\"col\">95 % interval</th><th scope=\"col\">Clips</th></tr></thead>\n<tbody>\n");
        Row(html, "Accuracy", ReportText.Score(r.Accuracy), ReportText.Interval(r.AccuracyCi95), r.N);
        Row(html, "Macro-F1", ReportText.Score(r.MacroF1), ReportText.Interval(r.MacroF1Ci95), r.N);
        Row(html, "Weighted F1", ReportText.Score(r.WeightedF1), string.Empty, r.N);
        foreach (var (name, group) in (ReadOnlySpan<(string, GroupMetrics?)>)[("Male", r.ByGender.Male), ("Female", r.ByGender.Female)])
        {
            if (group is not null)
            {
                Row(html, $"{name} accuracy", ReportText.Score(group.Accuracy), ReportText.Interval(group.AccuracyCi95), group.N);
                Row(html, $"{name} macro-F1", ReportText.Score(group.MacroF1), ReportText.Interval(group.MacroF1Ci95), group.N);
            }
        }
        if (r.ByGender.Gap is { } gap)
        {
            Row(html, "Accuracy gap (male − female)", ReportText.Signed(gap.Accuracy), ReportText.Interval(gap.AccuracyCi95, signed: true), null);
            Row(html, "Macro-F1 gap (male − female)", ReportText.Signed(gap.MacroF1), ReportText.Interval(gap.MacroF1Ci95, signed: true), null);
        }
        foreach (var (name, group) in r.ByIntensity)
        {
            Row(html, $"Accuracy, {name} intensity", ReportText.Score(group.Accuracy), ReportText.Interval(group.AccuracyCi95), group.N);
        }
        if (TrainingFigures.BestEpoch(input.Curves) is { } best)
        {
            Row(html, "Best validation macro-F1", $"{ReportText.Score(best.ValMacroF1)} (epoch {best.Epoch} of {input.Curves.Count})", string.Empty, null);
        }
        if (keptWeights is not null)
        {
            Row(html, "Weights kept", keptWeights, string.Empty, null);
            double seconds = input.OtherNetworkCurves.Prepend(input.Curves).SelectMany(c => c).Where(c => double.IsFinite(c.Seconds)).Sum(c => c.Seconds);
            int networks = input.OtherNetworkCurves.Count + 1;
            Row(html, networks == 1 ? "Training time" : $"Training time ({networks} networks)", string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0.0} min"), string.Empty, null);
        }
        html.Append("</tbody>\n</table>\n");
        PerClassTable(html, r);
        html.Append("</div>\n</section>\n");
    }

    private static void Row(StringBuilder html, string name, string value, string interval, int? n) =>
        html.Append("<tr><th scope=\"row\">").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td><td>")
            .Append(E(interval)).Append("</td><td>").Append(n?.ToString("N0", CultureInfo.InvariantCulture) ?? string.Empty).Append("</td></tr>\n");

    private static void Training(StringBuilder html, ReportInput input, string? keptWeights, Action<ReportPanel>? sink)
    {
        IReadOnlyList<CurveRow> curves = input.Curves;
        html.Append("<section id=\"training\">\n<h2>Training curves</h2>\n");
        if (curves.Count == 0)
        {
            html.Append("<p class=\"note\">No training curves were supplied (no <code>curves.csv</code> in the run).</p>\n</section>\n");
            return;
        }
        bool validated = Validated(curves);
        html.Append(validated
                ? "<p>Per epoch on the training set (dashed) and the validation set (solid); the dotted line marks the epoch with the best validation macro-F1. The weights kept are "
                : "<p>Per epoch on the training set (dashed). The run had no validation items, so it has no validation curves and no best epoch; the weights kept are ")
            .Append(E(keptWeights!)).Append(".</p>\n");
        if (input.NetworkSeeds.Count > 1)
        {
            IEnumerable<string> others = input.NetworkSeeds.Skip(1).Select((seed, i) => i < input.OtherNetworkCurves.Count && input.OtherNetworkCurves[i].Count > 0
                ? string.Create(CultureInfo.InvariantCulture, $"seed {seed}: training loss {ReportText.Score(input.OtherNetworkCurves[i][^1].TrainLoss)} and accuracy {ReportText.Score(input.OtherNetworkCurves[i][^1].TrainAcc)} at its last epoch")
                : string.Create(CultureInfo.InvariantCulture, $"seed {seed}: no curves supplied"));
            html.Append("<p>The model is a seed ensemble of ").Append(input.NetworkSeeds.Count)
                .Append(" networks trained alike with different seeds, their probabilities averaged. The curves are the first network's (seed ")
                .Append(input.NetworkSeeds[0].ToString(CultureInfo.InvariantCulture)).Append(input.NetworkSeeds.Count == 2 ? "); the other, " : "); the others: ")
                .Append(E(string.Join("; ", others))).Append(".</p>\n");
        }
        html.Append("<div class=\"grid3\">\n");
        Figure(html, sink, "fig-loss", ReportFigures.Loss(curves), validated ? "Training and validation loss per epoch." : "Training loss per epoch.");
        Figure(html, sink, "fig-accuracy", ReportFigures.Accuracy(curves), validated ? "Training and validation accuracy per epoch." : "Training accuracy per epoch.");
        if (validated)
        {
            Figure(html, sink, "fig-macro-f1", ReportFigures.MacroF1(curves), "Validation macro-F1 per epoch (the early-stopping criterion).");
        }
        html.Append("</div>\n</section>\n");
    }

    private static void Classification(StringBuilder html, EvaluationResult r, Action<ReportPanel>? sink)
    {
        html.Append("<section id=\"classes\">\n<h2>Confusion matrix and per-class F1</h2>\n<div class=\"side\">\n");
        Figure(html, sink, "fig-confusion", ReportFigures.Confusion(r),
            $"Each row is a true emotion; a cell gives the share of that emotion's test clips predicted as the column's emotion (the diagonal is the recall) and, below it, the clip count; empty cells are 0. {r.N.ToString("N0", CultureInfo.InvariantCulture)} test clips.");
        Figure(html, sink, "fig-per-class-f1", ReportFigures.PerClassF1(r), "F1 of each emotion on the test set; the dashed line is the macro-F1 (their unweighted mean).");
        html.Append("</div>\n</section>\n");
    }

    private static void PerClassTable(StringBuilder html, EvaluationResult r)
    {
        html.Append("<table class=\"per-class\">\n<thead><tr><th scope=\"col\">Emotion</th><th scope=\"col\">Precision</th><th scope=\"col\">Recall</th><th scope=\"col\">F1</th><th scope=\"col\">Support</th></tr></thead>\n<tbody>\n");
        foreach (ClassMetrics c in r.PerClass)
        {
            html.Append("<tr><th scope=\"row\">").Append(E(c.Label)).Append("</th><td>").Append(ReportText.Score(c.Precision)).Append("</td><td>")
                .Append(ReportText.Score(c.Recall)).Append("</td><td>").Append(ReportText.Score(c.F1)).Append("</td><td>")
                .Append(c.Support.ToString(CultureInfo.InvariantCulture)).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    private static void Gender(StringBuilder html, EvaluationResult r, Action<ReportPanel>? sink)
    {
        html.Append("<section id=\"gender\">\n<h2>Male vs female speakers</h2>\n");
        GenderComparison g = r.ByGender;
        if (g.Male is null && g.Female is null)
        {
            html.Append("<p class=\"note\">The evaluated clips carry no speaker gender, so no comparison is possible.</p>\n</section>\n");
            return;
        }
        Figure(html, sink, "fig-gender", ReportFigures.Gender(g),
            "Accuracy and macro-F1 of male and female speakers (left) and their difference, male − female (right), with bootstrap 95 % intervals; each gender's clips are resampled separately.");
        html.Append("<p class=\"verdict\">")
            .Append(E(g.Gap is { } gap2 ? ReportText.GapQualification(gap2, r.Bootstrap) : "Only one gender is present among the evaluated clips, so no gap can be measured."))
            .Append("</p>\n</section>\n");
    }

    private static void Intensity(StringBuilder html, EvaluationResult r, Action<ReportPanel>? sink)
    {
        html.Append("<section id=\"intensity\">\n<h2>Scores by emotional intensity</h2>\n");
        if (r.ByIntensity.Count == 0)
        {
            html.Append("<p class=\"note\">The evaluated clips carry no intensity.</p>\n</section>\n");
            return;
        }
        Figure(html, sink, "fig-intensity", ReportFigures.Intensity(r.ByIntensity),
            "Accuracy and macro-F1 of the test clips grouped by the intensity the emotion was acted at, with bootstrap 95 % intervals (each group resampled on its own).");
        html.Append("</section>\n");
    }

    private static void Pitch(StringBuilder html, EvaluationResult r, Action<ReportPanel>? sink)
    {
        html.Append("<section id=\"pitch\">\n<h2>Scores by pitch</h2>\n");
        if (r.ByF0 is not { } f0)
        {
            html.Append("<p class=\"note\">This metrics file has no F0 analysis (written before it existed); run <code>ser evaluate</code> again.</p>\n</section>\n");
            return;
        }
        Figure(html, sink, "fig-f0-bins", ReportFigures.F0Bins(f0),
            string.Create(CultureInfo.InvariantCulture,
                $"Accuracy and macro-F1 of the {f0.ClipsWithF0} clips with a measured F0 (median over voiced frames, NWaves YIN), in {f0.ClipBins.Count} equal-count bins of clip F0 (left), and of the speakers in {f0.SpeakerBins.Count} equal-count groups by their own median F0 (right), with bootstrap 95 % intervals (clips resampled within each bin)."));
        html.Append("<p class=\"verdict\">").Append(E(f0.Conclusion)).Append("</p>\n");
        if (HasPitchShifts(r))
        {
            Figure(html, sink, "fig-pitch-shift", ReportFigures.PitchShift(r.PitchShift!),
                "Accuracy (left) and macro-F1 (right) of the test clips re-scored after shifting every clip's pitch by the given semitones (the training augmentation's pitch shift), overall and for male and female speakers; 0 is the unshifted audio.");
        }
        else
        {
            html.Append("<p class=\"note\">No pitch-shift robustness curve: run <code>ser evaluate --pitch-shifts -4,-2,2,4</code>.</p>\n");
        }
        html.Append("</section>\n");
    }

    private static void Exploration(StringBuilder html, ExploratoryData? data, Action<ReportPanel>? sink)
    {
        html.Append("<section id=\"exploration\">\n<h2>Exploratory analysis</h2>\n");
        if (data is null)
        {
            html.Append("<p class=\"note\">No exploratory data were supplied.</p>\n</section>\n");
            return;
        }
        if (data.Source is { Length: > 0 } source)
        {
            html.Append("<p>Data: ").Append(E(source)).Append(".</p>\n");
        }
        if (data.HighArousal is { } high && data.LowArousal is { } low)
        {
            Figure(html, sink, "fig-spectrograms", ReportFigures.Spectrograms(high, low),
                $"Log-Mel spectrograms of a high-arousal take (left: {high.Title}) and a low-arousal take (right: {low.Title}) by the same speaker of the same statement. Both share one time axis and one dB colour scale, so loudness, duration and how far the energy reaches into the upper bands can be compared directly.");
        }
        else
        {
            Note(html, "No angry/sad pair of the same speaker and statement was supplied.");
        }
        if (data.BandEnergy is { } energy)
        {
            Figure(html, sink, "fig-band-energy", ReportFigures.BandEnergy(energy),
                $"Mean log-Mel energy per band for each emotion: each clip's frames are averaged per band, then the clips of the emotion ({energy.ClipCounts.Sum().ToString("N0", CultureInfo.InvariantCulture)} clips in all).");
        }
        else
        {
            Note(html, "No per-band energy profile was supplied.");
        }
        html.Append("<div class=\"grid2\">\n");
        if (data.Classes is { } classes)
        {
            Figure(html, sink, "fig-class-distribution", ReportFigures.Classes(classes), ClassCaption(classes));
        }
        else
        {
            Note(html, "No class distribution was supplied.");
        }
        if (data.Durations is { } d)
        {
            Figure(html, sink, "fig-durations", ReportFigures.Durations(d), string.Create(CultureInfo.InvariantCulture,
                $"Clip durations before trimming (mean {d.BeforeSummary.Mean:0.00} s, range {d.BeforeSummary.Min:0.00}–{d.BeforeSummary.Max:0.00} s) and after trimming leading and trailing silence (mean {d.AfterSummary.Mean:0.00} s, range {d.AfterSummary.Min:0.00}–{d.AfterSummary.Max:0.00} s); {d.BinWidth:0.###} s bins."));
        }
        else
        {
            Note(html, "No duration distribution was supplied.");
        }
        html.Append("</div>\n</section>\n");
    }

    private static string ClassCaption(ClassCounts classes)
    {
        long min = classes.Total.Min();
        long max = classes.Total.Max();
        string total = classes.Total.Sum().ToString("N0", CultureInfo.InvariantCulture);
        if (min == max)
        {
            return $"Clips per emotion: {min.ToString("N0", CultureInfo.InvariantCulture)} for each class ({total} in all).";
        }
        string Name(long count)
        {
            var labels = classes.Labels.Where((_, i) => classes.Total[i] == count).ToList();
            return labels.Count <= 2 ? string.Join(" and ", labels) : $"{labels.Count} classes";
        }
        return $"Clips per emotion ({total} in all): from {min.ToString("N0", CultureInfo.InvariantCulture)} ({Name(min)}) to {max.ToString("N0", CultureInfo.InvariantCulture)} ({Name(max)}).";
    }

    private static void Figure(StringBuilder html, Action<ReportPanel>? sink, string id, ReportPanel[] panels, string caption)
    {
        html.Append("<figure id=\"").Append(id).Append("\">\n");
        if (panels.Length > 1)
        {
            html.Append("<div class=\"pair\">");
        }
        foreach (ReportPanel panel in panels)
        {
            html.Append(FigureExport.ToInlineSvg(panel.Plot, panel.Width, panel.Height, panel.Name + "-svg", panel.Plot.Axes.Title.Label.Text));
            sink?.Invoke(panel);
        }
        if (panels.Length > 1)
        {
            html.Append("</div>");
        }
        html.Append("\n<figcaption>").Append(E(caption)).Append("</figcaption>\n</figure>\n");
    }

    private static void Note(StringBuilder html, string text) => html.Append("<p class=\"note\">").Append(E(text)).Append("</p>\n");

    private static string E(string text) => Xml.Escape(text);

    private const string Css = """

        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f5f6f8; color: #222; font: 15px/1.5 'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif; }
        main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 40px; }
        header h1 { margin: 0 0 4px; font-size: 28px; }
        .run { margin: 0 0 8px; color: #555; }
        dl.descriptors { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0 0; font-size: 13px; }
        dl.descriptors dt { color: #555; }
        dl.descriptors dd { margin: 0; word-break: break-all; }
        nav ol { display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 0; margin: 14px 0 0; list-style: none; font-size: 14px; }
        nav a { color: #2b5d8a; }
        section { background: #fff; border: 1px solid #dde1e6; border-radius: 8px; padding: 16px 20px 18px; margin: 18px 0; }
        h2 { margin: 0 0 10px; font-size: 20px; }
        figure { margin: 12px 0; }
        figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
        figcaption { margin-top: 6px; font-size: 13px; color: #444; text-align: center; }
        .grid3 { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 8px 16px; }
        .grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 8px 16px; }
        .pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 8px 16px; align-items: start; }
        .side { display: grid; grid-template-columns: minmax(0, 6fr) minmax(0, 5fr); gap: 16px; align-items: center; }
        .tables { display: flex; flex-wrap: wrap; gap: 16px 40px; align-items: flex-start; }
        table { border-collapse: collapse; font-size: 14px; font-variant-numeric: tabular-nums; }
        th, td { padding: 4px 12px; border-bottom: 1px solid #e3e6ea; text-align: right; }
        th[scope="row"], thead th:first-child { text-align: left; font-weight: normal; }
        thead th { border-bottom: 2px solid #bfc5cc; font-weight: bold; }
        table.summary th[scope="row"] { font-weight: bold; }
        .verdict { background: #f1f5fa; border-left: 4px solid #4e79a7; padding: 8px 12px; margin: 8px 0 0; }
        .note { color: #666; font-style: italic; }
        code { font-family: 'DejaVu Sans Mono', monospace; font-size: 0.92em; }
        footer { color: #666; font-size: 13px; }

        """;
}
