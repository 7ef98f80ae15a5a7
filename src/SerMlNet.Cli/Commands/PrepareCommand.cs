using System.CommandLine;
using System.Globalization;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Training.Jobs;
using Spectre.Console;

namespace SerMlNet.Cli.Commands;

/// <summary>
/// <c>ser prepare --pipeline job.json --data &lt;dataset&gt; --out &lt;dir&gt;</c>: writes the manifest, the splits, the
/// feature cache (originals and the training clips' augmented copies) and the fitted pipeline, and prints the class
/// counts per split part.
/// </summary>
public static class PrepareCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The <c>prepare</c> command.</returns>
    public static Command Create()
    {
        var options = new JobOptions();
        var command = new Command("prepare", "Write the manifest, the splits and the feature cache of a job (features are computed once and reused).");
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            JobDefinition job = JobDefinition.Load(parse.GetValue(options.Pipeline)!);
            var runner = new JobRunner(job, parse.GetValue(options.Data)!, parse.GetValue(options.Out)!, parse.GetValue(options.Cache));
            (PreparedDataset data, PreparationSummary summary) = Prepare(runner, parse.GetValue(options.Split), cancellationToken);
            PrintSummary(data, summary);
            AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(runner.Run.Path)}[/]: manifest.csv, splits.json, pipeline.json, prepare.json; cache {Markup.Escape(runner.Cache.Directory)}");
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Prepares a split under a progress bar.</summary>
    /// <param name="runner">The job runner.</param>
    /// <param name="split">Split name or null for the job's.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The prepared data and summary.</returns>
    internal static (PreparedDataset Data, PreparationSummary Summary) Prepare(JobRunner runner, string? split, CancellationToken cancellationToken) =>
        ConsoleProgress.Run(
            $"features ({split ?? runner.Job.Data.Split})",
            sink => runner.Prepare(split, new ActionProgress<PreparationProgress>(p => sink.Report((p.Done, p.Total))), cancellationToken));

    /// <summary>Prints class counts per part and how training balances them.</summary>
    /// <param name="data">The prepared data.</param>
    /// <param name="summary">Its summary.</param>
    internal static void PrintSummary(PreparedDataset data, PreparationSummary summary)
    {
        float[] weights = SerMlNet.Training.Runs.Trainer.ClassWeights(data);
        var table = new Table().Title($"Clips per class, split '{Markup.Escape(summary.Split)}'")
            .AddColumns("class", "train", "validation", "test", $"train examples (+{summary.AugmentedCopies} copies)", "loss weight");
        for (int c = 0; c < summary.Labels.Count; c++)
        {
            table.AddRow(
                Markup.Escape(summary.Labels[c]),
                summary.ClassCounts["train"][c].ToString(CultureInfo.InvariantCulture),
                summary.ClassCounts["validation"][c].ToString(CultureInfo.InvariantCulture),
                summary.ClassCounts["test"][c].ToString(CultureInfo.InvariantCulture),
                summary.TrainingExamplesPerClass[c].ToString(CultureInfo.InvariantCulture),
                weights[c].ToString("F3", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(
            $"{summary.FeatureRequests} feature matrices, {summary.CacheHits} from the cache, in {summary.Seconds:F1} s. " +
            "Class weights n/(k·n_c) in the loss give every class the same total weight (neutral has half the clips).");
    }
}
