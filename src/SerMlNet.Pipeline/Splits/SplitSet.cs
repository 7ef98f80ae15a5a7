using System.Text.Json;
using System.Text.Json.Serialization;
using SerMlNet.Audio.Io;

namespace SerMlNet.Pipeline.Splits;

/// <summary>
/// The splits of one run (the stratified split and the speaker folds), saved with the run as JSON
/// (format <c>sermlnet-splits</c>, version 1) so that every later step uses exactly the same clips.
/// </summary>
/// <param name="Seed">The seed the splits were made with.</param>
/// <param name="Splits">The splits.</param>
public sealed record SplitSet(long Seed, IReadOnlyList<DatasetSplit> Splits)
{
    /// <summary>Format name written in the file.</summary>
    public const string FormatName = "sermlnet-splits";

    /// <summary>Format version written in the file.</summary>
    public const int FormatVersion = 1;

    /// <summary>The split with the given name.</summary>
    /// <param name="name">E.g. <c>stratified</c> or <c>fold2</c>.</param>
    /// <returns>The split.</returns>
    public DatasetSplit this[string name] =>
        Splits.FirstOrDefault(s => s.Name == name)
        ?? throw new Datasets.DatasetException($"no split named '{name}' (have: {string.Join(", ", Splits.Select(s => s.Name))}; speaker folds need a speaker for every clip and enough speakers)");

    /// <summary>Writes the set atomically.</summary>
    /// <param name="path">Destination, e.g. <c>runs/x/splits.json</c>.</param>
    public void Save(string path)
    {
        var file = new SplitFile
        {
            Format = FormatName,
            Version = FormatVersion,
            Seed = Seed,
            Splits = Splits.Select(s => new SplitEntry
            {
                Name = s.Name,
                TestSpeakers = [.. s.TestSpeakers],
                ValidationSpeakers = [.. s.ValidationSpeakers],
                Train = Ids(s, SplitPart.Train),
                Validation = Ids(s, SplitPart.Validation),
                Test = Ids(s, SplitPart.Test),
            }).ToList(),
        };
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(file, SplitJsonContext.Default.SplitFile));
    }

    /// <summary>Reads a set written by <see cref="Save"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The set.</returns>
    /// <exception cref="InvalidFileException">Not a splits file, an unknown version, or a clip listed twice.</exception>
    public static SplitSet Load(string path)
    {
        SplitFile file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllText(path), SplitJsonContext.Default.SplitFile)
                ?? throw new InvalidFileException($"'{path}' is empty");
        }
        catch (JsonException ex)
        {
            throw new InvalidFileException($"'{path}' is not a valid splits file: {ex.Message}", ex);
        }
        if (file.Format != FormatName || file.Version != FormatVersion)
        {
            throw new InvalidFileException($"'{path}' is '{file.Format}' version {file.Version}, expected '{FormatName}' version {FormatVersion}");
        }
        var splits = new List<DatasetSplit>();
        foreach (SplitEntry entry in file.Splits)
        {
            var assignment = new Dictionary<string, SplitPart>(StringComparer.Ordinal);
            foreach ((List<string> ids, SplitPart part) in (ReadOnlySpan<(List<string>, SplitPart)>)[(entry.Train, SplitPart.Train), (entry.Validation, SplitPart.Validation), (entry.Test, SplitPart.Test)])
            {
                foreach (string id in ids)
                {
                    if (!assignment.TryAdd(id, part))
                    {
                        throw new InvalidFileException($"'{path}': clip '{id}' appears twice in split '{entry.Name}'");
                    }
                }
            }
            splits.Add(new DatasetSplit(entry.Name, assignment, entry.TestSpeakers, entry.ValidationSpeakers));
        }
        return new SplitSet(file.Seed, splits);
    }

    private static List<string> Ids(DatasetSplit split, SplitPart part) =>
        split.Assignment.Where(kv => kv.Value == part).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>The file's JSON object.</summary>
    internal sealed class SplitFile
    {
        public string Format { get; set; } = string.Empty;

        public int Version { get; set; }

        public long Seed { get; set; }

        public List<SplitEntry> Splits { get; set; } = [];
    }

    /// <summary>One split of the file.</summary>
    internal sealed class SplitEntry
    {
        public string Name { get; set; } = string.Empty;

        public List<string> TestSpeakers { get; set; } = [];

        public List<string> ValidationSpeakers { get; set; } = [];

        public List<string> Train { get; set; } = [];

        public List<string> Validation { get; set; } = [];

        public List<string> Test { get; set; } = [];
    }
}

/// <summary>Source-generated metadata of the splits file (camelCase, indented, unknown members are errors). Thread-safe.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(SplitSet.SplitFile))]
internal sealed partial class SplitJsonContext : JsonSerializerContext;
