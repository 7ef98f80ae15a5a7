using System.CommandLine;
using SerMlNet.Audio;
using SerMlNet.Evaluation.Charts;
using SerMlNet.Evaluation.Exploration;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Evaluation.Reporting;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Stages;
using Spectre.Console;

namespace SerMlNet.Cli.Commands;

/// <summary>
/// <c>ser report --run runs/&lt;name&gt;</c>: one self-contained <c>report.html</c> (inline SVG, no network requests) with the
/// training curves, the confusion heat map, per-class F1, the gender comparison with intervals, accuracy by intensity,
/// and exploratory figures of the run's dataset (angry vs sad spectrograms, mean band energy per emotion, class and
/// duration distributions before and after trimming).
/// </summary>
public static class ReportCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The <c>report</c> command.</returns>
    public static Command Create()
    {
        var run = new Option<string>("--run", "-r") { Description = "A run folder written by 'ser train'.", Required = true };
        var metrics = new Option<string?>("--metrics") { Description = "Metrics to show (default: the run's metrics.json); e.g. the output of 'ser evaluate'." };
        var output = new Option<string?>("--output", "-o") { Description = "Report file (default: <run>/report.html)." };
        var command = new Command("report", "Write a self-contained HTML report of a run: curves, confusion matrix, per-class F1, gender audit, exploratory figures.")
        {
            run, metrics, output,
        };
        command.SetAction(parse =>
        {
            var folder = new RunFolder(parse.GetValue(run)!);
            string metricsPath = parse.GetValue(metrics) ?? folder.Metrics;
            foreach (string required in (string[])[folder.Curves, metricsPath, folder.Manifest, folder.Pipeline])
            {
                if (!File.Exists(required))
                {
                    throw new FileNotFoundException($"'{required}' is missing: report needs a trained run ('ser train') and its metrics", required);
                }
            }
            DatasetCatalog catalog = DatasetCatalog.FromManifest(folder.Manifest);
            TransformerChain pipeline = TransformerChain.Load(folder.Pipeline);
            ExploratoryData exploration = ConsoleProgress.Run($"exploring {catalog.Clips.Count} clips", sink => Explore(catalog, pipeline, sink));
            var input = new ReportInput
            {
                RunName = Path.GetFileName(folder.Path.TrimEnd(Path.DirectorySeparatorChar)),
                Curves = CurvesCsv.Read(folder.Curves),
                Evaluation = MetricsJson.Read(metricsPath),
                Exploration = exploration,
            };
            string path = parse.GetValue(output) ?? Path.Combine(folder.Path, "report.html");
            ReportBuilder.Write(path, input);
            AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(path)}[/] ({ReportBuilder.FigureIds.Count} figures)");
            return 0;
        });
        return command;
    }

    /// <summary>Exploratory data of a dataset through a run's own front end (load, trim, log-Mel).</summary>
    private static ExploratoryData Explore(DatasetCatalog catalog, TransformerChain pipeline, IProgress<(int Done, int Total)> progress)
    {
        int logMelIndex = Enumerable.Range(0, pipeline.Count).FirstOrDefault(i => pipeline[i] is LogMelStage, -1);
        if (logMelIndex < 0 || pipeline[logMelIndex] is not LogMelStage logMel)
        {
            throw new PipelineFormatException("the run's pipeline has no logMel stage");
        }
        var clips = catalog.Clips;
        var before = new double[clips.Count];
        var after = new double[clips.Count];
        var spectrograms = new LabelledSpectrogram[clips.Count];
        int done = 0;
        Parallel.For(0, clips.Count, i =>
        {
            Sample sample = Sample.FromClip(clips[i]);
            for (int s = 0; s < logMelIndex; s++)
            {
                sample = pipeline[s].Transform(sample, TransformContext.Plain);
                if (pipeline[s] is LoadAudioStage)
                {
                    before[i] = sample.Audio!.DurationSeconds;
                }
            }
            after[i] = sample.Audio!.DurationSeconds;
            FeatureMatrix m = logMel.Transform(sample, TransformContext.Plain).Features!;
            spectrograms[i] = new LabelledSpectrogram(clips[i].Label, m);
            progress.Report((Interlocked.Increment(ref done), clips.Count));
        });

        double secondsPerFrame = (double)logMel.Options.HopLength / logMel.Options.SampleRate;
        ArousalPair? pair = ExploratoryAnalysis.ChooseArousalPair(catalog);
        SpectrogramPanel? Panel(Clip? clip, string what)
        {
            if (clip is null)
            {
                return null;
            }
            int index = clips.ToList().IndexOf(clip);
            return new SpectrogramPanel($"{what}: {clip.Label} ({clip.Intensity}), {clip.Speaker}", spectrograms[index].Matrix, secondsPerFrame);
        }
        return new ExploratoryData
        {
            HighArousal = Panel(pair?.High, "high arousal"),
            LowArousal = Panel(pair?.Low, "low arousal"),
            BandEnergy = ExploratoryAnalysis.MeanBandEnergy(catalog.Labels, spectrograms),
            Classes = ExploratoryAnalysis.ClassDistribution(catalog.Labels, clips),
            Durations = ExploratoryAnalysis.DurationDistribution(before, after),
            Source = $"{Path.GetRelativePath(Environment.CurrentDirectory, catalog.Root)}, {clips.Count} clips",
        };
    }
}
