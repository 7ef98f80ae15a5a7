using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SerMlNet.Audio.Io;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Pipeline.Caching;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Training.Engine;
using SerMlNet.Training.Model;
using SerMlNet.Training.Runs;

namespace SerMlNet.Training.Jobs;

/// <summary>
/// Runs a <see cref="JobDefinition"/> on a dataset into a run folder: writes the job copy, the manifest and the
/// splits, prepares the features through the cache (<c>ser prepare</c>), trains, and evaluates the best weights on the
/// test part (<c>ser train</c>), leaving <c>metrics.json</c> and <c>predictions.csv</c>. Not thread-safe.
/// </summary>
public sealed class JobRunner
{
    /// <summary>Creates a runner.</summary>
    /// <param name="job">The job.</param>
    /// <param name="dataPath">A RAVDESS folder, a folder with <c>manifest.csv</c>, or a CSV manifest.</param>
    /// <param name="runFolder">Where the run's files go.</param>
    /// <param name="cacheFolder">Feature cache folder; default <c>&lt;run&gt;/cache</c>. Share one between runs to reuse features.</param>
    public JobRunner(JobDefinition job, string dataPath, string runFolder, string? cacheFolder = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        IReadOnlyList<string> errors = job.Validate();
        if (errors.Count > 0)
        {
            throw new SerMlNet.Pipeline.Features.PipelineFormatException($"invalid job: {string.Join("; ", errors)}");
        }
        Job = job;
        Catalog = DatasetCatalog.Open(dataPath);
        Run = new RunFolder(runFolder);
        Cache = new FeatureCache(cacheFolder ?? Run.Cache);
        Splits = job.Data.MakeSplits(Catalog);
    }

    /// <summary>The job.</summary>
    public JobDefinition Job { get; }

    /// <summary>Device to train on, overriding the job's <c>training.device</c> (<c>cpu</c> or <c>cuda</c>); null keeps
    /// the job's. Not part of the job's identity: a run can resume on another device.</summary>
    public string? Device { get; init; }

    /// <summary>The dataset.</summary>
    public DatasetCatalog Catalog { get; }

    /// <summary>The run folder.</summary>
    public RunFolder Run { get; }

    /// <summary>The feature cache.</summary>
    public FeatureCache Cache { get; }

    /// <summary>All splits of the dataset (stratified and speaker folds).</summary>
    public SplitSet Splits { get; }

    /// <summary>
    /// Writes the job, manifest and splits, then prepares the features of one split and saves the fitted pipeline
    /// and <c>prepare.json</c>.
    /// </summary>
    /// <param name="splitName">The split (default: the job's <c>data.split</c>).</param>
    /// <param name="progress">Feature progress, or null.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The prepared data and its summary.</returns>
    public (PreparedDataset Data, PreparationSummary Summary) Prepare(string? splitName = null, IProgress<PreparationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        DatasetSplit split = Splits[splitName ?? Job.Data.Split];
        Job.Save(Run.Job);
        Catalog.WriteManifest(Run.Manifest);
        Splits.Save(Run.Splits);
        var preparation = new DatasetPreparation(Job.FrontEnd, Job.Augmentation, Cache);
        PreparedDataset data = preparation.Prepare(Catalog, split, progress, cancellationToken);
        data.Pipeline.SaveTo(Run.Pipeline);
        PreparationSummary summary = PreparationSummary.Of(data, preparation.OfflineCopies, clock.Elapsed.TotalSeconds);
        summary.Save(Run.Preparation);
        return (data, summary);
    }

    /// <summary>
    /// Trains on prepared data (resuming a crashed run of the same job), then evaluates the best weights on the test
    /// part and writes <c>metrics.json</c> and <c>predictions.csv</c>. A job with
    /// <see cref="TrainerOptions.EnsembleSeeds"/> trains every member in turn (the first in the run folder, the others
    /// in <see cref="RunFolder.MemberFolder"/>, each resuming on its own) and evaluates the mean of their probabilities.
    /// </summary>
    /// <param name="data">Data from <see cref="Prepare"/>.</param>
    /// <param name="progress">Training progress, or null; <see cref="TrainingProgress.Member"/> says which network.</param>
    /// <param name="cancellationToken">Stops between steps (the last finished epoch stays resumable).</param>
    /// <returns>The training result (for an ensemble: the first member's curves and epochs, the wall time of all) and
    /// the test evaluation.</returns>
    public (TrainingResult Training, EvaluationResult Test) Train(PreparedDataset data, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        SerCnnOptions modelOptions = Job.Model;
        IReadOnlyList<long> seeds = Job.Training.NetworkSeeds();
        var runs = new RunFolder[seeds.Count];
        TrainingResult? first = null;
        double seconds = 0;
        for (int m = 0; m < seeds.Count; m++)
        {
            JobDefinition job = m == 0 ? Job : MemberJob(seeds[m]);
            runs[m] = m == 0 ? Run : WriteMember(job, data, seeds[m]);
            var trainer = new Trainer(modelOptions, Device is null ? job.Training : job.Training with { Device = Device });
            IProgress<TrainingProgress>? memberProgress = MemberProgress.For(progress, m + 1, seeds.Count);
            TrainingResult result = trainer.Fit(data, runs[m], JobHash(job, data), memberProgress, cancellationToken);
            first ??= result;
            seconds += result.Seconds;
        }
        TrainingResult training = first! with { Seconds = seconds };

        // Each clip's probabilities: the mean over the members' kept weights (one member: its own).
        float[][] probabilities = [.. data.Test.Select(_ => new float[data.Catalog.Labels.Count])];
        foreach (RunFolder run in runs)
        {
            using var model = new SerCnn(modelOptions);
            ModelWeights.Load(model, run.BestCheckpoint);
            (_, _, float[][] member) = Trainer.Evaluate(model, data.Test, null, TorchSharp.torch.CPU, data.Catalog.Labels.Count);
            for (int i = 0; i < member.Length; i++)
            {
                for (int k = 0; k < member[i].Length; k++)
                {
                    probabilities[i][k] += member[i][k] / runs.Length;
                }
            }
        }
        var predictions = data.Test.Select((item, i) => Prediction.FromProbabilities(item.Clip, item.Label, probabilities[i])).ToList();
        var modelInfo = new Dictionary<string, string>
        {
            ["job"] = Job.Name,
            ["weights"] = seeds.Count == 1 ? "best.ckpt" : $"best.ckpt of {seeds.Count} networks, probabilities averaged",
            ["best_epoch"] = training.BestEpoch.ToString(CultureInfo.InvariantCulture),
            ["best_val_macro_f1"] = double.IsNaN(training.BestValMacroF1) ? "none" : training.BestValMacroF1.ToString("F4", CultureInfo.InvariantCulture),
            ["engine"] = $"TorchSharp (libtorch {TorchEngine.LibTorchVersion})",
            ["averaged_epochs"] = training.AveragedEpochs.Count == 0 ? "none" : string.Join(' ', training.AveragedEpochs),
        };
        if (seeds.Count > 1)
        {
            modelInfo["ensemble_seeds"] = string.Join(' ', seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        }
        EvaluationResult test = new Evaluator().Evaluate(data.Catalog.Labels, predictions) with
        {
            Model = modelInfo,
            Data = new Dictionary<string, string>
            {
                ["dataset"] = data.Catalog.Name,
                ["split"] = data.Split.Name,
                ["part"] = "test",
                ["clips"] = data.Test.Count.ToString(CultureInfo.InvariantCulture),
                ["calibration"] = data.PerSpeaker ? NormaliseOptions.PerSpeakerDescription : "none",
            },
        };
        MetricsJson.Write(Run.Metrics, test);
        PredictionsCsv.Write(Path.Combine(Run.Path, "predictions.csv"), data.Catalog.Labels, predictions);
        return (training, test);
    }

    /// <summary>The job of one further member of the seed ensemble: the same job with its seed and no ensemble.</summary>
    private JobDefinition MemberJob(long seed) => Job.WithTraining(Job.Training.ForNetwork(seed));

    /// <summary>Creates a further member's run folder with what export reads besides the weights: its job, and the
    /// run's fitted front end and preparation summary (the members share the prepared data).</summary>
    private RunFolder WriteMember(JobDefinition job, PreparedDataset data, long seed)
    {
        var member = new RunFolder(Run.MemberFolder(seed));
        job.Save(member.Job);
        data.Pipeline.SaveTo(member.Pipeline);
        if (File.Exists(Run.Preparation))
        {
            AtomicFile.WriteAllText(member.Preparation, File.ReadAllText(Run.Preparation));
        }
        return member;
    }

    /// <summary>Identity of (job, dataset, split): a checkpoint is resumed only by the same identity.</summary>
    private static string JobHash(JobDefinition job, PreparedDataset data)
    {
        string identity = string.Join('\n', job.ToJson(), data.Catalog.Root, data.Catalog.Clips.Count, data.Split.Name);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32];
    }
}
