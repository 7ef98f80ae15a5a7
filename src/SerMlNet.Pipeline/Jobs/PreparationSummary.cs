using System.Text.Json;
using SerMlNet.Audio.Io;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Splits;

namespace SerMlNet.Pipeline.Jobs;

/// <summary>What a preparation did, saved as <c>prepare.json</c> (format <c>sermlnet-prepare</c> version 1).</summary>
public sealed class PreparationSummary
{
    /// <summary>Format name written in the file.</summary>
    public const string FormatName = "sermlnet-prepare";

    /// <summary>File format name.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>File format version.</summary>
    public int Version { get; init; } = 1;

    /// <summary>The split prepared.</summary>
    public string Split { get; init; } = string.Empty;

    /// <summary>Class labels in index order.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Original clips per class in each part (train, validation, test).</summary>
    public IReadOnlyDictionary<string, int[]> ClassCounts { get; init; } = new Dictionary<string, int[]>();

    /// <summary>Training examples per class including augmented copies.</summary>
    public int[] TrainingExamplesPerClass { get; init; } = [];

    /// <summary>Offline augmented copies per training clip.</summary>
    public int AugmentedCopies { get; init; }

    /// <summary>Feature computations requested.</summary>
    public int FeatureRequests { get; init; }

    /// <summary>Of which served by the cache.</summary>
    public long CacheHits { get; init; }

    /// <summary>Wall time of the preparation, seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>Builds the summary of a prepared dataset.</summary>
    /// <param name="data">The prepared data.</param>
    /// <param name="copies">Offline copies per training clip.</param>
    /// <param name="seconds">Wall time.</param>
    /// <returns>The summary.</returns>
    public static PreparationSummary Of(PreparedDataset data, int copies, double seconds)
    {
        ArgumentNullException.ThrowIfNull(data);
        var perClass = new int[data.Catalog.Labels.Count];
        foreach (FeatureItem item in data.Train)
        {
            perClass[item.Label]++;
        }
        return new PreparationSummary
        {
            Split = data.Split.Name,
            Labels = data.Catalog.Labels,
            ClassCounts = new Dictionary<string, int[]>
            {
                ["train"] = data.ClassCounts(SplitPart.Train),
                ["validation"] = data.ClassCounts(SplitPart.Validation),
                ["test"] = data.ClassCounts(SplitPart.Test),
            },
            TrainingExamplesPerClass = perClass,
            AugmentedCopies = copies,
            FeatureRequests = data.FeatureRequests,
            CacheHits = data.CacheHits,
            Seconds = seconds,
        };
    }

    /// <summary>Writes the summary atomically.</summary>
    /// <param name="path">Destination.</param>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, PipelineJsonContext.Default.PreparationSummary));
}
