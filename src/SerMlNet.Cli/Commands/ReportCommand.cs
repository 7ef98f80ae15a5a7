using System.CommandLine;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Evaluation.Reporting;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Training.Jobs;
using SerMlNet.Training.Runs;
using Spectre.Console;

namespace SerMlNet.Cli.Commands;

/// <summary>
/// <c>ser report --run runs/&lt;name&gt; [--png folder]</c>: one self-contained <c>report.html</c> (inline ScottPlot SVG, no network
/// requests; with <c>--png</c> each figure panel also as a PNG file) with the
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
        var png = new Option<string?>("--png") { Description = "Also write every figure panel as a PNG file into this folder (e.g. runs/<name>/figures)." };
        var command = new Command("report", "Write a self-contained HTML report of a run: curves, confusion matrix, per-class F1, gender audit, exploratory figures.")
        {
            run, metrics, output, png,
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
            FittedFrontEnd pipeline = FittedFrontEnd.Load(folder.Pipeline);
            ExploratoryData exploration = ConsoleProgress.Run($"exploring {catalog.Clips.Count} clips", sink => ExploratoryData.Compute(catalog, pipeline, sink));
            TrainerOptions? training = File.Exists(folder.Job) ? JobDefinition.Load(folder.Job).Training : null;
            IReadOnlyList<long> seeds = training?.NetworkSeeds() ?? [];
            var input = new ReportInput
            {
                RunName = Path.GetFileName(folder.Path.TrimEnd(Path.DirectorySeparatorChar)),
                Curves = CurvesCsv.Read(folder.Curves),
                AverageBestEpochs = training?.AverageBestEpochs ?? 0,
                NetworkSeeds = seeds,
                // A seed ensemble's other networks keep their curves in members/seed<N>/ (JobRunner); a missing file is
                // reported as such in the page.
                OtherNetworkCurves = [.. seeds.Skip(1).Select(seed => new RunFolder(folder.MemberFolder(seed)).Curves)
                    .Select(path => File.Exists(path) ? CurvesCsv.Read(path) : (IReadOnlyList<CurveRow>)[])],
                Evaluation = MetricsJson.Read(metricsPath),
                Exploration = exploration,
            };
            string path = parse.GetValue(output) ?? Path.Combine(folder.Path, "report.html");
            int figures = ReportBuilder.FigureIdsFor(input.Curves, input.Evaluation).Count;
            if (parse.GetValue(png) is { Length: > 0 } pngFolder)
            {
                IReadOnlyList<string> files = ReportBuilder.Write(path, input, pngFolder);
                AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(path)}[/] ({figures} figures) and {files.Count} PNG files in [bold]{Markup.Escape(pngFolder)}[/]");
            }
            else
            {
                ReportBuilder.Write(path, input);
                AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(path)}[/] ({figures} figures)");
            }
            return 0;
        });
        return command;
    }
}
