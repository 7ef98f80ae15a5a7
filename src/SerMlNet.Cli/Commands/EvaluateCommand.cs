using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SerMlNet.Audio;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Evaluation.Pitch;
using SerMlNet.Onnx;
using SerMlNet.Onnx.Calibration;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Splits;
using Spectre.Console;

namespace SerMlNet.Cli.Commands;

/// <summary>
/// <c>ser evaluate --model model.onnx --data &lt;folder or manifest&gt; [--split test|all] -o metrics.json</c>: runs the
/// exported model through ONNX Runtime exactly as deployed (the fitted pipeline from the model's metadata; clips longer
/// than the model window are scored in sliding windows and averaged) and writes accuracy, macro/weighted F1,
/// per-class scores, the confusion matrix, the male-vs-female audit with bootstrap intervals, accuracy by intensity and
/// by median F0 (clip and speaker bins), and with <c>--pitch-shifts</c> the clips re-scored after pitch shifts, plus
/// per-file predictions (with each clip's median F0) as CSV next to the metrics.
/// </summary>
public static class EvaluateCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The <c>evaluate</c> command.</returns>
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "An exported model (model.onnx or model-e2e.onnx).", DefaultValueFactory = _ => "artifacts/model.onnx" };
        var data = new Option<string>("--data", "-d") { Description = "Dataset: a RAVDESS folder, a folder with manifest.csv, or a CSV manifest.", Required = true };
        var split = new Option<string>("--split") { Description = "test: the test part of the split the model was trained with (rebuilt from its metadata); all: every clip.", DefaultValueFactory = _ => "test" };
        var output = new Option<string>("--output", "-o") { Description = "metrics.json to write; predictions.csv goes beside it.", DefaultValueFactory = _ => "metrics.json" };
        var ep = new Option<string>("--ep") { Description = "Execution provider: cpu, cuda or auto.", DefaultValueFactory = _ => "cpu" };
        split.AcceptOnlyFromAmong("test", "all");
        ep.AcceptOnlyFromAmong([.. ExecutionProviderNames.All]);
        var resamples = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for the 95 % intervals.", DefaultValueFactory = _ => 2000 };
        var pitchShifts = new Option<string?>("--pitch-shifts") { Description = "Also re-score every clip pitch-shifted by these semitones, comma-separated (e.g. -4,-2,2,4; each non-zero, at most 12 either way)." };
        var calibrate = new Option<bool>("--speaker-calibration") { Description = "Transductive per-speaker calibration: each speaker's class-score offsets fitted on that speaker's own evaluated clips (labels unused), as Predict --calibrate fits them. Write it to its own metrics file: it is not the plain figure." };
        var tta = new Option<bool>("--tta") { Description = "Test-time augmentation: score every clip also at 0.9 and 1.1 times its speed (the training's speed perturbation) and average the three predictions; about three times the work." };
        var command = new Command("evaluate", "Evaluate an exported model on a dataset with ONNX Runtime: metrics.json (with gender and pitch audits) and predictions.csv.")
        {
            model, data, split, output, ep, resamples, pitchShifts, calibrate, tta,
        };
        command.SetAction(parse =>
        {
            string which = parse.GetValue(split)!;
            IReadOnlyList<double>? shifts = ParseShifts(parse.GetValue(pitchShifts));
            bool calibrated = parse.GetValue(calibrate);
            if (calibrated && shifts is not null)
            {
                throw new UsageException("--speaker-calibration and --pitch-shifts cannot be combined (the pitch audit scores the plain model)");
            }
            var audit = new PitchAudit(new PitchAuditOptions { Bootstrap = new EvaluatorOptions { BootstrapResamples = parse.GetValue(resamples) } });
            var modelOptions = new OnnxModelOptions { ExecutionProvider = ExecutionProviderNames.Parse(parse.GetValue(ep)!) };
            var recognition = new RecognitionOptions { TestTimeSpeeds = parse.GetValue(tta) ? RecognitionOptions.TrainingSpeeds : [] };
            using EmotionRecognizer recognizer = EmotionRecognizer.Open(parse.GetValue(model)!, modelOptions, recognition);
            DatasetCatalog catalog = DatasetCatalog.Open(parse.GetValue(data)!);
            IReadOnlyList<Clip> clips = which == "all" ? catalog.Clips : TestPart(recognizer.Model, catalog);
            var labelIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < recognizer.Labels.Count; i++)
            {
                labelIndex[recognizer.Labels[i]] = i;
            }
            Clip? unknown = clips.FirstOrDefault(c => !labelIndex.ContainsKey(c.Label));
            if (unknown is not null)
            {
                throw new DatasetException($"clip '{unknown.Id}' has label '{unknown.Label}', which the model does not know ({string.Join(", ", recognizer.Labels)})");
            }

            if (calibrated && clips.FirstOrDefault(c => c.Speaker is null) is { } anonymous)
            {
                throw new UsageException($"--speaker-calibration needs every clip's speaker, and clip '{anonymous.Id}' has none");
            }
            IReadOnlyList<RecognitionResult> results = calibrated
                ? ConsoleProgress.Run($"calibrating per speaker and evaluating {clips.Count} clips", sink =>
                    SpeakerCalibratedRecognition.Recognize(parse.GetValue(model)!, modelOptions, [.. clips.Select(c => (c.Path, c.Speaker!))], sink, recognition).Results)
                : ConsoleProgress.Run($"evaluating {clips.Count} clips", sink =>
            {
                var all = new List<RecognitionResult>(clips.Count);
                const int chunk = 32;
                for (int start = 0; start < clips.Count; start += chunk)
                {
                    all.AddRange(recognizer.Recognize([.. clips.Skip(start).Take(chunk).Select(c => c.Path)]));
                    sink.Report((all.Count, clips.Count));
                }
                return all;
            });
            IReadOnlyList<Prediction> predictions = clips.Select((clip, i) => Prediction.FromProbabilities(clip, labelIndex[clip.Label], [.. results[i].Probabilities])).ToList();
            var f0Clock = System.Diagnostics.Stopwatch.StartNew();
            predictions = audit.MeasureF0(clips, predictions);
            var speakers = clips.Where(c => c.Speaker is not null).ToDictionary(c => c.Id, c => c.Speaker!, StringComparer.Ordinal);
            F0Binning byF0 = audit.BinByF0(recognizer.Labels, predictions, speakers);
            f0Clock.Stop();
            IReadOnlyList<PitchShiftMetrics>? shifted = shifts is null ? null : ConsoleProgress.Run($"re-scoring {clips.Count} clips at 0, {string.Join(", ", shifts)} semitones", sink =>
                audit.ScorePitchShifts(clips, [.. predictions.Select(p => p.TrueClass)], shifts,
                    signals => [.. recognizer.Recognize(signals).Select(r => r.Probabilities.ToArray())], sink));
            EvaluationResult result = new Evaluator(new EvaluatorOptions { BootstrapResamples = parse.GetValue(resamples) }).Evaluate(recognizer.Labels, predictions) with
            {
                ByF0 = byF0,
                PitchShift = shifted,
                Model = new Dictionary<string, string>
                {
                    ["file"] = Path.GetFileName(parse.GetValue(model)!),
                    ["sha256"] = SpeakerCalibration.HashOfModel(parse.GetValue(model)!),
                    ["engine"] = $"onnxruntime ({recognizer.Model.Provider})",
                    ["input"] = recognizer.InputKind.ToString(),
                },
                Data = new Dictionary<string, string>
                {
                    ["dataset"] = catalog.Name,
                    ["part"] = which,
                    ["clips"] = clips.Count.ToString(CultureInfo.InvariantCulture),
                    ["windows"] = $"{recognizer.WindowSeconds:F2} s windows, longer clips averaged over windows",
                    ["calibration"] = calibrated ? SpeakerCalibration.TransductiveDescription : "none",
                    ["test_time_augmentation"] = recognition.TestTimeSpeeds.Count == 0
                        ? "none"
                        : $"mean of the clip as given and at speeds {string.Join(", ", recognition.TestTimeSpeeds.Select(s => s.ToString(CultureInfo.InvariantCulture)))}",
                },
            };
            string metricsPath = parse.GetValue(output)!;
            MetricsJson.Write(metricsPath, result);
            string predictionsPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(metricsPath))!, "predictions.csv");
            PredictionsCsv.Write(predictionsPath, recognizer.Labels, predictions);
            Print(result, metricsPath, predictionsPath, f0Clock.Elapsed);
            return 0;
        });
        return command;
    }

    /// <summary>The test part of the split recorded in the model's metadata, rebuilt on <paramref name="catalog"/>.</summary>
    private static IReadOnlyList<Clip> TestPart(OnnxModel model, DatasetCatalog catalog)
    {
        if (!model.Metadata.All.TryGetValue(OnnxMetadataKeys.DataSplit, out string? json))
        {
            throw new UsageException("the model does not record its training split; use --split all");
        }
        DataOptions options = JsonSerializer.Deserialize<DataOptions>(json, PipelineJson.Options)
            ?? throw new UsageException("the model's split record is empty; use --split all");
        return options.MakeSplits(catalog)[options.Split].Select(catalog, SplitPart.Test);
    }

    /// <summary>Parses <c>--pitch-shifts</c>: comma-separated semitones, each non-zero and at most 12 either way.</summary>
    /// <param name="text">The option's value, or null when not given.</param>
    /// <returns>The shifts, or null when the option is absent.</returns>
    /// <exception cref="UsageException">A value is not a number, the list is empty, or a shift is out of range.</exception>
    internal static IReadOnlyList<double>? ParseShifts(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var shifts = new List<double>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                throw new UsageException($"--pitch-shifts: '{part}' is not a number of semitones (expected e.g. -4,-2,2,4)");
            }
            shifts.Add(value);
        }
        try
        {
            PitchAuditOptions.ValidateShifts(shifts);
        }
        catch (OptionsValidationException e)
        {
            throw new UsageException($"--pitch-shifts: {string.Join("; ", e.Errors)}");
        }
        return shifts;
    }

    private static void Print(EvaluationResult r, string metricsPath, string predictionsPath, TimeSpan f0Time)
    {
        string Ci(ConfidenceInterval ci) => $"[[{ci.Lower:F3}, {ci.Upper:F3}]]";
        AnsiConsole.MarkupLine($"{r.N} clips: accuracy [bold]{r.Accuracy:F3}[/] {Ci(r.AccuracyCi95)}, macro-F1 [bold]{r.MacroF1:F3}[/] {Ci(r.MacroF1Ci95)}, weighted F1 {r.WeightedF1:F3}");
        if (r.ByGender.Male is { } male && r.ByGender.Female is { } female && r.ByGender.Gap is { } gap)
        {
            AnsiConsole.MarkupLine(
                $"male macro-F1 {male.MacroF1:F3} (n={male.N}), female {female.MacroF1:F3} (n={female.N}); gap {gap.MacroF1:+0.000;-0.000} {Ci(gap.MacroF1Ci95)} " +
                (gap.MacroF1Ci95.Contains(0) ? "(interval includes 0: no evidence of a gender gap)" : "(interval excludes 0)"));
        }
        if (r.ByF0 is { } f0)
        {
            AnsiConsole.MarkupLine($"median F0 of {f0.ClipsWithF0 + f0.ClipsWithoutF0} clips measured and binned in {f0Time.TotalSeconds:F1} s ({f0.ClipsWithoutF0} without F0):");
            foreach (F0Bin bin in f0.ClipBins)
            {
                AnsiConsole.MarkupLine($"  F0 bin {bin.Bin} {bin.F0MinHz:F0}–{bin.F0MaxHz:F0} Hz (n={bin.Metrics.N}, {bin.Male} male / {bin.Female} female): accuracy {bin.Metrics.Accuracy:F3} {Ci(bin.Metrics.AccuracyCi95)}, macro-F1 {bin.Metrics.MacroF1:F3} {Ci(bin.Metrics.MacroF1Ci95)}");
            }
            foreach (F0Bin bin in f0.SpeakerBins)
            {
                AnsiConsole.MarkupLine($"  speaker bin {bin.Bin} {bin.F0MinHz:F0}–{bin.F0MaxHz:F0} Hz ({bin.Speakers!.Count} speakers, n={bin.Metrics.N}): accuracy {bin.Metrics.Accuracy:F3} {Ci(bin.Metrics.AccuracyCi95)}, macro-F1 {bin.Metrics.MacroF1:F3} {Ci(bin.Metrics.MacroF1Ci95)}");
            }
            AnsiConsole.MarkupLine(Markup.Escape(f0.Conclusion));
        }
        foreach (PitchShiftMetrics s in r.PitchShift ?? [])
        {
            string Group(string name, GroupMetrics? g) => g is null ? string.Empty : $", {name} {g.Accuracy:F3} / {g.MacroF1:F3}";
            AnsiConsole.MarkupLine($"  shift {s.Semitones,3:+0;-0;0} st (median F0 {s.MedianF0Hz:F0} Hz): accuracy {s.Overall.Accuracy:F3} {Ci(s.Overall.AccuracyCi95)}, macro-F1 {s.Overall.MacroF1:F3} {Ci(s.Overall.MacroF1Ci95)}{Group("male", s.Male)}{Group("female", s.Female)}");
        }
        AnsiConsole.MarkupLine($"→ {Markup.Escape(metricsPath)}, {Markup.Escape(predictionsPath)}");
    }
}
