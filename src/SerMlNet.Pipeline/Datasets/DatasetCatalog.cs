using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using SerMlNet.Audio.Io;

namespace SerMlNet.Pipeline.Datasets;

/// <summary>
/// The labelled clips of one corpus. RAVDESS folders are read from their file names; any other corpus (CREMA-D, TESS,
/// a user's own recordings) enters through a CSV manifest <c>path,label[,speaker][,gender][,intensity]</c>.
/// Immutable and thread-safe.
/// </summary>
public sealed class DatasetCatalog
{
    private readonly Dictionary<string, int> _labelIndex;

    /// <summary>Creates a catalog from clips already known.</summary>
    /// <param name="root">Folder that clip ids are relative to.</param>
    /// <param name="clips">The clips; ids must be unique.</param>
    /// <param name="labels">Class labels in class-index order; every clip label must be among them.</param>
    public DatasetCatalog(string root, IReadOnlyList<Clip> clips, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentNullException.ThrowIfNull(labels);
        Root = Path.GetFullPath(root);
        Clips = clips;
        Labels = labels;
        _labelIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < labels.Count; i++)
        {
            if (!_labelIndex.TryAdd(labels[i], i))
            {
                throw new DatasetException($"label '{labels[i]}' is listed twice");
            }
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (Clip clip in clips)
        {
            if (!ids.Add(clip.Id))
            {
                throw new DatasetException($"clip '{clip.Id}' appears twice in the dataset");
            }
            if (!_labelIndex.ContainsKey(clip.Label))
            {
                throw new DatasetException($"clip '{clip.Id}' has label '{clip.Label}', which is not among the classes ({string.Join(", ", labels)})");
            }
        }
    }

    /// <summary>Absolute folder that clip ids are relative to.</summary>
    public string Root { get; }

    /// <summary>The name of <see cref="Root"/> (e.g. <c>ravdess-16k</c>): names the dataset in metrics without a machine's path.</summary>
    public string Name => Path.GetFileName(Path.TrimEndingDirectorySeparator(Root));

    /// <summary>The clips, sorted by id when read from a folder, in file order when read from a manifest.</summary>
    public IReadOnlyList<Clip> Clips { get; }

    /// <summary>Class labels; a label's position is its class index.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The class index of a label.</summary>
    /// <param name="label">A label of this catalog.</param>
    /// <returns>Its index in <see cref="Labels"/>.</returns>
    public int LabelIndex(string label) =>
        _labelIndex.TryGetValue(label, out int index) ? index : throw new DatasetException($"unknown label '{label}'");

    /// <summary>Opens a dataset: a <c>.csv</c> manifest, or a folder (its <c>manifest.csv</c> if present, else RAVDESS file names).</summary>
    /// <param name="path">A manifest file or a folder.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="DatasetException">The path does not exist, holds no clips, or a name/row is malformed.</exception>
    public static DatasetCatalog Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            return FromManifest(path);
        }
        if (!Directory.Exists(path))
        {
            throw new DatasetException($"dataset '{path}' does not exist (expected a folder of RAVDESS WAV files or a CSV manifest)");
        }
        string manifest = System.IO.Path.Combine(path, "manifest.csv");
        return File.Exists(manifest) ? FromManifest(manifest) : FromRavdessFolder(path);
    }

    /// <summary>Scans a folder (recursively) for RAVDESS WAV files and reads their labels from their names.</summary>
    /// <param name="root">The folder, e.g. <c>../shared/data/ravdess-16k</c>.</param>
    /// <returns>The catalog with the eight RAVDESS classes.</returns>
    /// <exception cref="DatasetException">No WAV files, or some names do not follow the convention (all listed, up to 5).</exception>
    public static DatasetCatalog FromRavdessFolder(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new DatasetException($"dataset folder '{root}' does not exist");
        }
        string fullRoot = System.IO.Path.GetFullPath(root);
        string[] files = Directory.GetFiles(fullRoot, "*.wav", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        if (files.Length == 0)
        {
            throw new DatasetException($"dataset folder '{root}' holds no .wav files");
        }
        var clips = new List<Clip>(files.Length);
        var errors = new List<string>();
        foreach (string file in files)
        {
            string id = System.IO.Path.GetRelativePath(fullRoot, file).Replace('\\', '/');
            if (!RavdessName.TryParse(file, out RavdessName name, out string? error))
            {
                errors.Add($"{id}: {error}");
                continue;
            }
            clips.Add(new Clip(id, file, name.Emotion, name.Speaker, name.Gender, name.Intensity == 1 ? "normal" : "strong"));
        }
        if (errors.Count > 0)
        {
            string shown = string.Join("; ", errors.Take(5));
            string more = errors.Count > 5 ? $" (and {errors.Count - 5} more)" : string.Empty;
            throw new DatasetException(
                $"{errors.Count} file(s) in '{root}' are not RAVDESS names: {shown}{more}. Use a CSV manifest (path,label[,speaker][,gender]) for other corpora");
        }
        return new DatasetCatalog(fullRoot, clips, Emotions.Ravdess);
    }

    /// <summary>
    /// Reads a CSV manifest with a header row naming at least <c>path</c> and <c>label</c>, optionally <c>speaker</c>,
    /// <c>gender</c> (<c>male</c>/<c>female</c>, or <c>m</c>/<c>f</c>) and <c>intensity</c>. Relative paths are resolved
    /// against the manifest's folder. Labels keep RAVDESS order when they are all RAVDESS emotions, else sorted ordinally.
    /// </summary>
    /// <param name="csvPath">The manifest file.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="DatasetException">Missing columns, a bad gender, a duplicate or missing file: row numbers are given.</exception>
    public static DatasetCatalog FromManifest(string csvPath)
    {
        if (!File.Exists(csvPath))
        {
            throw new DatasetException($"manifest '{csvPath}' does not exist");
        }
        string root = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(csvPath))!;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = args => args.Header.Trim().ToLowerInvariant(),
            TrimOptions = TrimOptions.Trim,
        };
        var clips = new List<Clip>();
        var errors = new List<string>();
        using (var reader = new StreamReader(csvPath))
        using (var csv = new CsvReader(reader, config))
        {
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
            {
                throw new DatasetException($"manifest '{csvPath}' is empty (expected a header row path,label[,speaker][,gender])");
            }
            var header = csv.HeaderRecord.Select(h => h.Trim().ToLowerInvariant()).ToArray();
            foreach (string required in (string[])["path", "label"])
            {
                if (!header.Contains(required))
                {
                    throw new DatasetException($"manifest '{csvPath}' has no '{required}' column (header: {string.Join(",", csv.HeaderRecord)})");
                }
            }
            bool hasSpeaker = header.Contains("speaker");
            bool hasGender = header.Contains("gender");
            bool hasIntensity = header.Contains("intensity");
            while (csv.Read())
            {
                int row = csv.Parser.Row;
                string path = csv.GetField("path") ?? string.Empty;
                string label = csv.GetField("label") ?? string.Empty;
                if (path.Length == 0 || label.Length == 0)
                {
                    errors.Add($"row {row}: empty path or label");
                    continue;
                }
                string full = System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.Combine(root, path));
                if (!File.Exists(full))
                {
                    errors.Add($"row {row}: file '{path}' does not exist");
                    continue;
                }
                Gender? gender = null;
                if (hasGender && !TryParseGender(csv.GetField("gender"), out gender))
                {
                    errors.Add($"row {row}: gender '{csv.GetField("gender")}' is not male/female/m/f");
                    continue;
                }
                string? speaker = hasSpeaker ? NullIfEmpty(csv.GetField("speaker")) : null;
                string? intensity = hasIntensity ? NullIfEmpty(csv.GetField("intensity")) : null;
                string id = System.IO.Path.GetRelativePath(root, full).Replace('\\', '/');
                clips.Add(new Clip(id, full, label, speaker, gender, intensity));
            }
        }
        if (errors.Count > 0)
        {
            string more = errors.Count > 5 ? $" (and {errors.Count - 5} more)" : string.Empty;
            throw new DatasetException($"manifest '{csvPath}': {string.Join("; ", errors.Take(5))}{more}");
        }
        if (clips.Count == 0)
        {
            throw new DatasetException($"manifest '{csvPath}' lists no clips");
        }
        var distinct = clips.Select(c => c.Label).Distinct(StringComparer.Ordinal).ToList();
        IReadOnlyList<string> labels = distinct.All(Emotions.Ravdess.Contains)
            ? Emotions.Ravdess.Where(distinct.Contains).ToList()
            : distinct.Order(StringComparer.Ordinal).ToList();
        return new DatasetCatalog(root, clips, labels);
    }

    /// <summary>Writes this catalog as a CSV manifest (path relative to the manifest's folder when inside it), atomically.</summary>
    /// <param name="csvPath">Destination file.</param>
    public void WriteManifest(string csvPath)
    {
        string folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(csvPath))!;
        AtomicFile.Write(csvPath, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            foreach (string column in (string[])["path", "label", "speaker", "gender", "intensity"])
            {
                csv.WriteField(column);
            }
            csv.NextRecord();
            foreach (Clip clip in Clips)
            {
                string relative = System.IO.Path.GetRelativePath(folder, clip.Path).Replace('\\', '/');
                csv.WriteField(relative);
                csv.WriteField(clip.Label);
                csv.WriteField(clip.Speaker ?? string.Empty);
                csv.WriteField(clip.Gender switch { Gender.Male => "male", Gender.Female => "female", _ => string.Empty });
                csv.WriteField(clip.Intensity ?? string.Empty);
                csv.NextRecord();
            }
        });
    }

    private static bool TryParseGender(string? text, out Gender? gender)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "":
                gender = null;
                return true;
            case "m" or "male":
                gender = Gender.Male;
                return true;
            case "f" or "female":
                gender = Gender.Female;
                return true;
            default:
                gender = null;
                return false;
        }
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
