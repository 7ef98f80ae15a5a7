using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio;
using SerMlNet.ML.Transforms;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Training.Jobs;
using SerMlNet.Training.Runs;

namespace SerMlNet.Training.MlNet;

/// <summary>
/// A JSON job file (<see cref="JobDefinition"/>, e.g. <c>pipelines/ravdess-cnn.json</c>) as ML.NET estimators: the
/// job's <c>frontEnd</c> becomes <c>LoadAudio → TrimSilence → LogMel → FixedLength → NormalizeBands</c>, its offline
/// <c>augmentation</c> becomes <c>ReplicateForAugmentation</c> + <c>AugmentAudio</c> (training only) and the trainer's
/// per-epoch SpecAugment, its <c>model</c> and <c>training</c> sections the <c>SerCnn</c> trainer's options. The
/// features are bit-identical to the job path's (<see cref="FittedFrontEnd"/>, <see cref="DatasetPreparation"/>), the
/// same (clip, draw) pairs are augmented the same way, and the normalisation is fitted on the training originals only.
/// The job files stay the declarative form; this class is their ML.NET form. Jobs with online augmentation or
/// per-utterance normalisation have no ML.NET form (they are refused; <c>ser train</c> runs them). Thread-safe.
/// </summary>
public static class JobPipelines
{
    /// <summary>Input column: the WAV file's path (text).</summary>
    public const string PathColumn = "Path";

    /// <summary>Input column: the clip's id (text), which seeds its augmentation draws.</summary>
    public const string ClipIdColumn = "ClipId";

    /// <summary>Input column: the emotion as text (e.g. <c>angry</c>).</summary>
    public const string EmotionColumn = "Emotion";

    /// <summary>Input column: the speaker (text), the sampling key of speaker-held-out splits.</summary>
    public const string SpeakerColumn = "Speaker";

    /// <summary>Column of augmentation draws (Int32, 0 = original) added by the training featurizer.</summary>
    public const string DrawColumn = "Draw";

    /// <summary>Column of 16-kHz mono samples (decoded, resampled, trimmed).</summary>
    public const string AudioColumn = "Audio";

    /// <summary>Column of log-Mel features before normalisation, [nMels, frames] row-major.</summary>
    public const string LogMelColumn = "LogMel";

    /// <summary>Column of the model's input features, normalised, [nMels, frames] row-major.</summary>
    public const string FeaturesColumn = "Features";

    /// <summary>Column of the label key (from <see cref="EmotionColumn"/>).</summary>
    public const string LabelColumn = "Label";

    /// <summary>Clips as an <see cref="IDataView"/> with the columns <see cref="PathColumn"/>, <see cref="ClipIdColumn"/>,
    /// <see cref="EmotionColumn"/> and <see cref="SpeakerColumn"/> (empty when unknown); no audio is read.</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="clips">The clips, e.g. <see cref="DatasetCatalog.Clips"/>.</param>
    /// <returns>The view, one row per clip, in order.</returns>
    public static IDataView LoadClips(MLContext mlContext, IEnumerable<Clip> clips)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(clips);
        return mlContext.Data.LoadFromEnumerable(clips.Select(c => new ClipRow { Path = c.Path, ClipId = c.Id, Emotion = c.Label, Speaker = c.Speaker ?? string.Empty }).ToList());
    }

    /// <summary>
    /// The label key: ML.NET's <c>MapValueToKey</c> from <see cref="EmotionColumn"/> to <see cref="LabelColumn"/>, with
    /// the keys in <paramref name="labels"/>' order (the job path's class order, e.g. <see cref="DatasetCatalog.Labels"/>),
    /// so the model's <c>Score</c> and its ONNX <c>labels</c> come in that order. An emotion not listed is a missing label.
    /// </summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="labels">The class names in order.</param>
    /// <returns>The estimator.</returns>
    public static IEstimator<ITransformer> CreateLabelKey(MLContext mlContext, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(labels);
        IDataView keys = mlContext.Data.LoadFromEnumerable(labels.Select(l => new LabelRow { Emotion = l }).ToList());
        return mlContext.Transforms.Conversion.MapValueToKey(LabelColumn, EmotionColumn, keyData: keys);
    }

    /// <summary>
    /// The job's front end as ML.NET transforms, <see cref="PathColumn"/> → <see cref="FeaturesColumn"/>. With
    /// <paramref name="augmentation"/> (a training featurizer) each row is first repeated for the offline copies
    /// (<see cref="DrawColumn"/>), the trimmed waveform of draws 1…k is augmented from (seed, clip id, draw), and the band
    /// statistics are fitted on draw 0 only; without it (the featurizer for validation, test and scoring) every row is
    /// one plain example.
    /// </summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="frontEnd">The job's <c>frontEnd</c>.</param>
    /// <param name="augmentation">The job's <c>augmentation</c> for a training featurizer, or null.</param>
    /// <returns>The estimator chain.</returns>
    /// <exception cref="OptionsValidationException">An option is invalid (every problem listed).</exception>
    /// <exception cref="PipelineFormatException">Per-utterance normalisation or online augmentation (no ML.NET form).</exception>
    public static IEstimator<ITransformer> CreateFeaturizer(MLContext mlContext, FrontEndOptions frontEnd, AugmentationOptions? augmentation = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(frontEnd);
        IReadOnlyList<string> errors = frontEnd.Validate();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(FrontEndOptions), errors);
        }
        augmentation?.Validate();
        if (frontEnd.Normalise.Mode != NormalisationMode.Band)
        {
            throw new PipelineFormatException($"frontEnd.normalise.mode {frontEnd.Normalise.Mode} has no ML.NET form (NormalizeBands is per band); run the job with 'ser train'");
        }
        if (frontEnd.Normalise.PerSpeaker)
        {
            throw new PipelineFormatException("frontEnd.normalise.perSpeaker has no ML.NET form (NormalizeBands fits one set of statistics); run the job with 'ser train'");
        }
        if (augmentation is { Mode: AugmentationMode.Online })
        {
            throw new PipelineFormatException("augmentation.mode online has no ML.NET form (a fresh draw per epoch needs the training loop); use offline copies or 'ser train'");
        }
        TransformsCatalog transforms = mlContext.Transforms;
        bool replicate = augmentation is { Copies: > 0 };
        var stages = new List<IEstimator<ITransformer>>();
        if (replicate)
        {
            stages.Add(transforms.ReplicateForAugmentation(DrawColumn, augmentation!.Copies));
        }
        stages.Add(transforms.LoadAudio(AudioColumn, PathColumn, frontEnd.SampleRate));
        if (frontEnd.Trim is not null)
        {
            stages.Add(transforms.TrimSilence(AudioColumn, options: frontEnd.Trim));
        }
        if (replicate && new ClipAugmenter(augmentation!).ChangesWaveform)
        {
            stages.Add(transforms.AugmentAudio(AudioColumn, clipIdColumnName: ClipIdColumn, drawColumnName: DrawColumn, options: augmentation));
        }
        stages.Add(transforms.LogMel(LogMelColumn, AudioColumn, frontEnd.LogMel));
        stages.Add(transforms.FixedLength(LogMelColumn, options: frontEnd.FixedLength));
        stages.Add(transforms.NormalizeBands(FeaturesColumn, LogMelColumn, replicate ? DrawColumn : null));
        IEstimator<ITransformer> chain = stages[0];
        foreach (IEstimator<ITransformer> stage in stages.Skip(1))
        {
            chain = chain.Append(stage);
        }
        return chain;
    }

    /// <summary>The job's <c>model</c> and <c>training</c> sections (and its SpecAugment, per epoch) as the CNN trainer.</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="job">The job.</param>
    /// <param name="validationSet">Featurized validation rows (<see cref="FeaturesColumn"/>, <see cref="LabelColumn"/>)
    /// for model selection and early stopping, or null.</param>
    /// <param name="progress">Training progress, or null.</param>
    /// <returns>The trainer.</returns>
    /// <exception cref="OptionsValidationException">An option is invalid.</exception>
    public static SerCnnTrainer CreateTrainer(MLContext mlContext, JobDefinition job, IDataView? validationSet = null, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(job);
        return mlContext.MulticlassClassification.Trainers.SerCnn(new SerCnnTrainerOptions
        {
            FeatureColumnName = FeaturesColumn,
            LabelColumnName = LabelColumn,
            Model = job.Model,
            Training = job.Training,
            SpecAugment = job.Augmentation?.SpecAugment,
            AugmentationSeed = job.Augmentation?.Seed ?? new AugmentationOptions().Seed,
            ClipIdColumnName = ClipIdColumn,
            DrawColumnName = DrawColumn,
            ValidationSet = validationSet,
            Progress = progress,
        });
    }

    /// <summary>
    /// Trains a job through ML.NET: fits the label key and the training featurizer (augmentation included) on
    /// <paramref name="train"/>, featurizes <paramref name="validation"/> with the plain featurizer and the fitted band
    /// statistics, trains the CNN, and returns the scoring model (label key, plain featurizer, CNN), which
    /// <see cref="EmotionModelExport"/> saves as <c>model.onnx</c> and <c>model.zip</c>.
    /// </summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="job">The job (validated here).</param>
    /// <param name="labels">The class names in order (e.g. <see cref="DatasetCatalog.Labels"/>); their count must be the
    /// job's <c>model.classCount</c>.</param>
    /// <param name="train">Training clips (<see cref="LoadClips"/>' columns).</param>
    /// <param name="validation">Validation clips, or null (then the last epoch is kept).</param>
    /// <param name="progress">Training progress, or null.</param>
    /// <returns>The trained model (its last transformer is the CNN); dispose it.</returns>
    /// <exception cref="PipelineFormatException">The job is invalid or has no ML.NET form.</exception>
    public static TransformerChain<SerCnnTransformer> Fit(MLContext mlContext, JobDefinition job, IReadOnlyList<string> labels, IDataView train, IDataView? validation = null, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(train);
        IReadOnlyList<string> errors = job.Validate();
        if (errors.Count > 0)
        {
            throw new PipelineFormatException($"invalid job: {string.Join("; ", errors)}");
        }
        if (labels.Count != job.Model.ClassCount)
        {
            throw new PipelineFormatException($"the data has {labels.Count} labels but model.classCount is {job.Model.ClassCount}");
        }
        ITransformer training = CreateLabelKey(mlContext, labels).Append(CreateFeaturizer(mlContext, job.FrontEnd, job.Augmentation)).Fit(train);
        TransformerChain<ITransformer> scoring = ScoringChain(training);
        IDataView? validationFeatures = validation is null ? null : scoring.Transform(validation);
        SerCnnTransformer network = CreateTrainer(mlContext, job, validationFeatures, progress).Fit(training.Transform(train));
        return scoring.Append(network);
    }

    /// <summary>The scoring featurizer of a fitted training featurizer: the same transformers without the training-only
    /// stages (the augmenter writes the audio column in place, so dropping it keeps the column flow; the band statistics
    /// stay those fitted on draw 0).</summary>
    internal static TransformerChain<ITransformer> ScoringChain(ITransformer training) =>
        new([.. Flatten(training).Where(t => t is not (AugmentationReplicatingTransformer or AudioAugmentingTransformer))]);

    /// <summary>A fitted chain's transformers in order, nested chains expanded.</summary>
    internal static IEnumerable<ITransformer> Flatten(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [transformer];

    /// <summary>One clip as a row.</summary>
    public sealed class ClipRow
    {
        /// <summary>The WAV file.</summary>
        public string Path { get; set; } = string.Empty;

        /// <summary>The clip's id.</summary>
        public string ClipId { get; set; } = string.Empty;

        /// <summary>The emotion (text).</summary>
        public string Emotion { get; set; } = string.Empty;

        /// <summary>The speaker (empty when unknown).</summary>
        public string Speaker { get; set; } = string.Empty;
    }

    private sealed class LabelRow
    {
        public string Emotion { get; set; } = string.Empty;
    }
}
