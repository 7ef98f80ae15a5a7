using System.CommandLine;
using System.Globalization;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Training.Jobs;
using SerMlNet.Training.Runs;
using Spectre.Console;

namespace SerMlNet.Cli.Commands;

/// <summary>
/// <c>ser train --pipeline job.json --data &lt;dataset&gt; --out runs/&lt;name&gt;</c>: prepares the job's split, trains
/// (resuming a crashed run in the same folder), and evaluates the best weights on the test part. With
/// <c>--cross-validate</c> it instead runs the library's <see cref="CrossValidation"/> (every speaker-held-out fold into
/// <c>&lt;out&gt;/foldN</c>, then <c>cv.json</c>) and prints each fold's progress and the mean ± sd.
/// </summary>
public static class TrainCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The <c>train</c> command.</returns>
    public static Command Create()
    {
        var options = new JobOptions();
        var crossValidate = new Option<bool>("--cross-validate") { Description = "Train every speaker-held-out fold (fold1..foldK) and report mean ± sd test macro-F1." };
        var device = new Option<string?>("--device") { Description = "Train on cpu or cuda (cuda needs TorchSharp-cuda-linux and an NVIDIA GPU); default: the job's training.device." };
        device.AcceptOnlyFromAmong("cpu", "cuda");
        var command = new Command("train", "Train the CNN of a job in C# with TorchSharp (libtorch 2.10); writes checkpoints, curves.csv, metrics.json and predictions.csv.");
        options.AddTo(command);
        command.Options.Add(crossValidate);
        command.Options.Add(device);
        command.SetAction((parse, cancellationToken) =>
        {
            JobDefinition job = JobDefinition.Load(parse.GetValue(options.Pipeline)!);
            string data = parse.GetValue(options.Data)!;
            string output = parse.GetValue(options.Out)!;
            string? cache = parse.GetValue(options.Cache);
            if (!parse.GetValue(crossValidate))
            {
                var runner = new JobRunner(job, data, output, cache) { Device = parse.GetValue(device) };
                TrainOne(runner, parse.GetValue(options.Split), cancellationToken);
                return Task.FromResult(0);
            }
            if (parse.GetValue(options.Split) is not null)
            {
                throw new UsageException("--split and --cross-validate cannot be used together");
            }
            var crossValidation = new CrossValidation(job, data, output, cache) { Device = parse.GetValue(device) };
            CrossValidationResult result = crossValidation.Run((runner, fold, token) =>
            {
                AnsiConsole.MarkupLine($"[bold]{fold}[/] of {crossValidation.FoldNames.Count} (speakers held out)");
                return TrainOne(runner, fold, token);
            }, cancellationToken);
            PrintCrossValidation(result, crossValidation.SummaryPath);
            return Task.FromResult(0);
        });
        return command;
    }

    private static (TrainingResult Training, EvaluationResult Test) TrainOne(JobRunner runner, string? split, CancellationToken cancellationToken)
    {
        (PreparedDataset data, PreparationSummary summary) = PrepareCommand.Prepare(runner, split, cancellationToken);
        PrepareCommand.PrintSummary(data, summary);
        (TrainingResult Training, EvaluationResult Test)? result = null;
        if (ConsoleProgress.Interactive)
        {
            ConsoleProgress.NewProgress().Start(ctx =>
            {
                ProgressTask? task = null;
                (int Member, int Epoch) current = default;
                var progress = new ActionProgress<TrainingProgress>(p =>
                {
                    if (task is null || current != (p.Member, p.Epoch))
                    {
                        current = (p.Member, p.Epoch);
                        task = ctx.AddTask(Describe(p), maxValue: p.Batches);
                    }
                    task.Value = p.Batch;
                    task.Description = Describe(p);
                });
                result = runner.Train(data, progress, cancellationToken);
            });
        }
        else
        {
            // Logs get one line per finished epoch.
            result = runner.Train(data, new ActionProgress<TrainingProgress>(p =>
            {
                if (p.EpochFinished)
                {
                    Console.Out.WriteLine(Describe(p));
                }
            }), cancellationToken);
        }
        (TrainingResult training, EvaluationResult test) = result!.Value;
        string stopped = training.StoppedEarly ? ", stopped early" : string.Empty;
        string resumed = training.ResumedFromEpoch > 0 ? $", resumed after epoch {training.ResumedFromEpoch}" : string.Empty;
        bool validated = !double.IsNaN(training.BestValMacroF1);
        AnsiConsole.MarkupLine(validated
            ? $"Best epoch {training.BestEpoch} (validation macro-F1 {training.BestValMacroF1:F3}){stopped}{resumed}; {training.Seconds:F0} s."
            : $"Last epoch {training.BestEpoch} kept (no validation items to choose on){resumed}; {training.Seconds:F0} s.");
        if (training.AveragedEpochs.Count > 0)
        {
            string chosen = validated ? $"validation macro-F1 {training.AveragedValMacroF1:F3}" : "the last epochs: no validation items";
            AnsiConsole.MarkupLine($"Kept weights: the mean of epochs {string.Join(", ", training.AveragedEpochs)} ({chosen}).");
        }
        if (runner.Job.Training.EnsembleSeeds is { Count: > 0 } others)
        {
            AnsiConsole.MarkupLine($"A seed ensemble of {others.Count + 1} networks (seeds {runner.Job.Training.Seed}, {string.Join(", ", others)}; the others in {Markup.Escape(runner.Run.Members)}): the test figures are the mean of their probabilities; {training.Seconds:F0} s in all.");
        }
        string perSpeaker = runner.Job.FrontEnd.Normalise.PerSpeaker ? ", each speaker normalised with its own statistics (ser evaluate gives the plain figure)" : string.Empty;
        AnsiConsole.MarkupLine(
            $"Test ({test.N} clips{perSpeaker}): accuracy [bold]{test.Accuracy:F3}[/] [[{test.AccuracyCi95.Lower:F3}, {test.AccuracyCi95.Upper:F3}]], " +
            $"macro-F1 [bold]{test.MacroF1:F3}[/] [[{test.MacroF1Ci95.Lower:F3}, {test.MacroF1Ci95.Upper:F3}]] (95 % bootstrap) → {Markup.Escape(runner.Run.Metrics)}");
        return (training, test);
    }

    private static string Describe(TrainingProgress p)
    {
        string validation = double.IsNaN(p.ValMacroF1) ? string.Empty : $" · val F1 {p.ValMacroF1:F3} (best {p.BestValMacroF1:F3})";
        string member = p.Members > 1 ? $"network {p.Member}/{p.Members} (seed {p.Seed}) · " : string.Empty;
        return $"{member}epoch {p.Epoch}/{p.Epochs} · loss {p.TrainLoss:F3} · acc {p.TrainAccuracy:F3}{validation}";
    }

    private static void PrintCrossValidation(CrossValidationResult result, string path)
    {
        (double mean, double sd) = result.MacroF1;
        (double accMean, double accSd) = result.Accuracy;
        AnsiConsole.MarkupLine(
            $"Speaker-held-out {result.Folds.Count}-fold test macro-F1: [bold]{mean.ToString("F3", CultureInfo.InvariantCulture)} ± {sd.ToString("F3", CultureInfo.InvariantCulture)}[/] " +
            $"(accuracy {accMean:F3} ± {accSd:F3}) → {Markup.Escape(path)}");
    }
}
