using System.Text.Json;
using SerMlNet.Audio.Io;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Training.Runs;

namespace SerMlNet.Training.Jobs;

/// <summary>One trained and tested fold of a cross-validation.</summary>
/// <param name="Name">The fold, e.g. <c>fold2</c>.</param>
/// <param name="Test">The best weights' evaluation on the fold's held-out speakers.</param>
/// <param name="Training">The fold's training run.</param>
public sealed record FoldResult(string Name, EvaluationResult Test, TrainingResult Training);

/// <summary>
/// The folds of a cross-validation and the mean ± sample standard deviation of their test figures, as written to
/// <c>cv.json</c> (format <c>sermlnet-cv</c>, version 1). Immutable; thread-safe.
/// </summary>
/// <param name="Folds">The folds, in order.</param>
public sealed record CrossValidationResult(IReadOnlyList<FoldResult> Folds)
{
    /// <summary>Format name written in <c>cv.json</c>.</summary>
    public const string FormatName = "sermlnet-cv";

    /// <summary>Format version written in <c>cv.json</c>.</summary>
    public const int FormatVersion = 1;

    /// <summary>Mean and sample standard deviation (n − 1; 0 for one fold) of the folds' test macro-F1.</summary>
    public (double Mean, double Sd) MacroF1 => MeanSd(Folds.Select(f => f.Test.MacroF1));

    /// <summary>Mean and sample standard deviation (n − 1; 0 for one fold) of the folds' test accuracy.</summary>
    public (double Mean, double Sd) Accuracy => MeanSd(Folds.Select(f => f.Test.Accuracy));

    /// <summary>Writes <c>cv.json</c> atomically: per fold its name, test macro-F1, accuracy, clip count, best epoch
    /// and training seconds; then the means and standard deviations.</summary>
    /// <param name="path">Destination, e.g. <c>runs/x/cv.json</c>.</param>
    public void Save(string path)
    {
        (double mean, double sd) = MacroF1;
        (double accMean, double accSd) = Accuracy;
        var summary = new
        {
            format = FormatName,
            version = FormatVersion,
            folds = Folds.Select(f => new { name = f.Name, macro_f1 = f.Test.MacroF1, accuracy = f.Test.Accuracy, n = f.Test.N, best_epoch = f.Training.BestEpoch, averaged_epochs = f.Training.AveragedEpochs, seconds = f.Training.Seconds }),
            macro_f1_mean = mean,
            macro_f1_sd = sd,
            accuracy_mean = accMean,
            accuracy_sd = accSd,
        };
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static (double Mean, double Sd) MeanSd(IEnumerable<double> source)
    {
        double[] values = [.. source];
        if (values.Length == 0)
        {
            return (double.NaN, double.NaN);
        }
        double mean = values.Average();
        double sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
        return (mean, sd);
    }
}

/// <summary>
/// Speaker-held-out k-fold cross-validation of a job (<c>ser train --cross-validate</c>): every fold
/// (<c>fold1</c> … <c>foldK</c> of the job's <c>data.folds</c>, dealt by <c>Splitter.SpeakerFolds</c>) is prepared,
/// trained and tested by its own <see cref="JobRunner"/> in <c>&lt;output&gt;/foldN</c>, sharing one feature cache, and
/// <c>cv.json</c> is written to the output folder. A crashed fold resumes from its checkpoint when run again. Not
/// thread-safe.
/// </summary>
public sealed class CrossValidation
{
    private readonly string _dataPath;
    private readonly string _cacheFolder;

    /// <summary>Creates the cross-validation of a job.</summary>
    /// <param name="job">The job; its <c>data.folds</c>, <c>data.validationSpeakers</c> and <c>data.seed</c> make the folds.</param>
    /// <param name="dataPath">A RAVDESS folder, a folder with <c>manifest.csv</c>, or a CSV manifest; every clip needs a speaker.</param>
    /// <param name="outputFolder">Where the fold run folders and <c>cv.json</c> go.</param>
    /// <param name="cacheFolder">Feature cache shared by the folds; default <c>&lt;output&gt;/cache</c>.</param>
    public CrossValidation(JobDefinition job, string dataPath, string outputFolder, string? cacheFolder = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentException.ThrowIfNullOrEmpty(dataPath);
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        Job = job;
        _dataPath = dataPath;
        OutputFolder = outputFolder;
        _cacheFolder = cacheFolder ?? Path.Combine(outputFolder, "cache");
        FoldNames = [.. Enumerable.Range(1, job.Data.Folds).Select(k => $"fold{k}")];
    }

    /// <summary>Trains and tests one fold; <see cref="Run"/>'s default prepares and trains without progress.</summary>
    /// <param name="runner">The fold's runner (its run folder is <c>&lt;output&gt;/foldN</c>).</param>
    /// <param name="fold">The fold's split name, e.g. <c>fold2</c>.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The fold's training result and test evaluation.</returns>
    public delegate (TrainingResult Training, EvaluationResult Test) FoldTrainer(JobRunner runner, string fold, CancellationToken cancellationToken);

    /// <summary>The job.</summary>
    public JobDefinition Job { get; }

    /// <summary>The output folder.</summary>
    public string OutputFolder { get; }

    /// <summary>Device to train on, overriding the job's <c>training.device</c>; null keeps the job's.</summary>
    public string? Device { get; init; }

    /// <summary>The folds' split names, <c>fold1</c> … <c>foldK</c>.</summary>
    public IReadOnlyList<string> FoldNames { get; }

    /// <summary>Path of the summary, <c>&lt;output&gt;/cv.json</c>.</summary>
    public string SummaryPath => Path.Combine(OutputFolder, "cv.json");

    /// <summary>The runner of one fold (run folder <c>&lt;output&gt;/&lt;fold&gt;</c>, the shared cache).</summary>
    /// <param name="fold">One of <see cref="FoldNames"/>.</param>
    /// <returns>The runner.</returns>
    public JobRunner Runner(string fold) => new(Job, _dataPath, Path.Combine(OutputFolder, fold), _cacheFolder) { Device = Device };

    /// <summary>Trains and tests every fold in order, then writes <see cref="SummaryPath"/> atomically.</summary>
    /// <param name="trainFold">How a fold is trained (e.g. the CLI's, which draws progress); null prepares the fold's
    /// split and trains it with <see cref="JobRunner"/> without progress.</param>
    /// <param name="cancellationToken">Stops between steps; finished folds stay on disk and a fold resumes its checkpoint.</param>
    /// <returns>The folds and their mean ± sd.</returns>
    public CrossValidationResult Run(FoldTrainer? trainFold = null, CancellationToken cancellationToken = default)
    {
        trainFold ??= TrainQuietly;
        var folds = new List<FoldResult>(FoldNames.Count);
        foreach (string fold in FoldNames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (TrainingResult training, EvaluationResult test) = trainFold(Runner(fold), fold, cancellationToken);
            folds.Add(new FoldResult(fold, test, training));
        }
        var result = new CrossValidationResult(folds);
        result.Save(SummaryPath);
        return result;
    }

    private static (TrainingResult Training, EvaluationResult Test) TrainQuietly(JobRunner runner, string fold, CancellationToken cancellationToken) =>
        runner.Train(runner.Prepare(fold, null, cancellationToken).Data, null, cancellationToken);
}
