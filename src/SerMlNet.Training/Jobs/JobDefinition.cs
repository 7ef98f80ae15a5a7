using System.Text.Json;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Features;
using SerMlNet.Audio.Io;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Training.Model;
using SerMlNet.Training.Runs;

namespace SerMlNet.Training.Jobs;

/// <summary>
/// A whole training job as one JSON file (format <c>sermlnet-job</c> version 1, e.g. <c>pipelines/ravdess-cnn.json</c>):
/// data splitting, the feature front end, augmentation, the model and the training settings. Loading validates every
/// section and reports every bad field by its JSON path. The dataset location is not part of the job.
/// </summary>
public sealed class JobDefinition
{
    /// <summary>Format name expected in the file.</summary>
    public const string FormatName = "sermlnet-job";

    /// <summary>Format version expected in the file.</summary>
    public const int FormatVersion = 1;

    /// <summary>File format name; must be <c>sermlnet-job</c>.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>File format version; must be 1.</summary>
    public int Version { get; init; } = FormatVersion;

    /// <summary>Job name, used for run folders and reports; default <c>ravdess-cnn</c>.</summary>
    public string Name { get; init; } = "ravdess-cnn";

    /// <summary>Optional free text.</summary>
    public string? Description { get; init; }

    /// <summary>Splitting of the dataset.</summary>
    public DataOptions Data { get; init; } = new();

    /// <summary>The feature front end.</summary>
    public FrontEndOptions FrontEnd { get; init; } = new();

    /// <summary>Training-split augmentation; null disables it.</summary>
    public AugmentationOptions? Augmentation { get; init; } = new();

    /// <summary>The CNN.</summary>
    public SerCnnOptions Model { get; init; } = new();

    /// <summary>The training loop.</summary>
    public TrainerOptions Training { get; init; } = new();

    /// <summary>Every problem of the definition, each prefixed with its JSON path; empty when valid.</summary>
    /// <returns>The problems.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Format != FormatName || Version != FormatVersion)
        {
            errors.Add($"format/version must be '{FormatName}'/{FormatVersion} (was '{Format}'/{Version})");
        }
        if (string.IsNullOrWhiteSpace(Name) || Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            errors.Add($"name must be a non-empty file-name-safe string (was '{Name}')");
        }
        Section(errors, "data", Data?.Validate());
        Section(errors, "frontEnd", FrontEnd?.Validate());
        OptionErrors.Collect(errors, "augmentation", Augmentation is null ? null : Augmentation.Validate);
        if (Model is null || Training is null)
        {
            errors.Add(Model is null ? "model is required" : "training is required");
        }
        OptionErrors.Collect(errors, "model", Model is null ? null : Model.Validate);
        OptionErrors.Collect(errors, "training", Training is null ? null : Training.Validate);
        if (Model is not null && FrontEnd?.LogMel is not null && FrontEnd.FixedLength is not null)
        {
            if (Model.InputMels != FrontEnd.LogMel.NMels)
            {
                errors.Add($"model.inputMels ({Model.InputMels}) must equal frontEnd.logMel.nMels ({FrontEnd.LogMel.NMels})");
            }
            if (Model.InputFrames != FrontEnd.FixedLength.Frames)
            {
                errors.Add($"model.inputFrames ({Model.InputFrames}) must equal frontEnd.fixedLength.frames ({FrontEnd.FixedLength.Frames})");
            }
        }
        return errors;
    }

    /// <summary>Loads and validates a job file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The job.</returns>
    /// <exception cref="PipelineFormatException">Missing file, malformed JSON, an unknown or mistyped field, or invalid values; the message names each.</exception>
    public static JobDefinition Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new PipelineFormatException($"job file '{path}' does not exist");
        }
        JobDefinition? job;
        try
        {
            job = JsonSerializer.Deserialize<JobDefinition>(File.ReadAllText(path), PipelineJson.Options);
        }
        catch (JsonException ex)
        {
            string where = string.IsNullOrEmpty(ex.Path) ? string.Empty : $" at {ex.Path.TrimStart('$', '.')}";
            throw new PipelineFormatException($"job file '{path}'{where}: {FirstSentence(ex.Message)}", ex);
        }
        if (job is null)
        {
            throw new PipelineFormatException($"job file '{path}' is empty");
        }
        IReadOnlyList<string> errors = job.Validate();
        if (errors.Count > 0)
        {
            throw new PipelineFormatException($"job file '{path}': {string.Join("; ", errors)}");
        }
        return job;
    }

    /// <summary>A copy of this job with other training settings (e.g. one member of a seed ensemble).</summary>
    /// <param name="training">The training settings of the copy.</param>
    /// <returns>The copy; every other section is shared with this job (the option types are immutable).</returns>
    public JobDefinition WithTraining(TrainerOptions training)
    {
        ArgumentNullException.ThrowIfNull(training);
        return new JobDefinition
        {
            Format = Format,
            Version = Version,
            Name = Name,
            Description = Description,
            Data = Data,
            FrontEnd = FrontEnd,
            Augmentation = Augmentation,
            Model = Model,
            Training = training,
        };
    }

    /// <summary>The job as indented JSON.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, PipelineJson.Options);

    /// <summary>Writes the job atomically.</summary>
    /// <param name="path">Destination.</param>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    private static void Section(List<string> errors, string path, IReadOnlyList<string>? sectionErrors)
    {
        if (sectionErrors is null)
        {
            errors.Add($"{path} is required");
            return;
        }
        errors.AddRange(OptionErrors.Prefix(path, sectionErrors));
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
