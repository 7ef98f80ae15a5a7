using System.Collections;
using SerMlNet.Audio.Io;

namespace SerMlNet.Torch.Serialization;

/// <summary>One named array of a state dict: shape and float32 values in row-major order.</summary>
public sealed class StateDictEntry
{
    private readonly long[] _shape;

    /// <summary>Creates the entry (the arrays are kept, not copied).</summary>
    /// <param name="name">Hierarchical name, e.g. <c>features.0.weight</c>; non-empty, at most 4096 UTF-8 bytes.</param>
    /// <param name="shape">Sizes, outermost first; <c>[]</c> for a scalar.</param>
    /// <param name="values">Exactly the product of <paramref name="shape"/> elements.</param>
    public StateDictEntry(string name, long[] shape, float[] values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(values);
        long count = 1;
        foreach (long size in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(size, nameof(shape));
            count = checked(count * size);
        }
        if (count != values.Length)
        {
            throw new ArgumentException($"'{name}': shape [{string.Join(", ", shape)}] needs {count} values, got {values.Length}", nameof(values));
        }
        Name = name;
        _shape = shape;
        Values = values;
    }

    /// <summary>Hierarchical name.</summary>
    public string Name { get; }

    /// <summary>Sizes, outermost first.</summary>
    public ReadOnlySpan<long> Shape => _shape;

    /// <summary>The values, row-major (the entry's own array: mutate with care).</summary>
    public float[] Values { get; }
}

/// <summary>
/// Named float32 arrays (parameters and buffers of a model, optimiser moments), in insertion order: what
/// <see cref="NN.Module.StateDict"/> returns and <see cref="NN.Module.LoadStateDict"/> takes. Pure managed code: reading
/// and writing state dict files needs no libtorch, so other layers (the ONNX exporter) can consume weights directly.
/// </summary>
/// <remarks>
/// File format (<see cref="FormatName"/>, version <see cref="FormatVersion"/>), little-endian, documented in
/// <c>Serialization/STATE_DICT_FORMAT.md</c>: header (format name, version, entry count), then per entry its UTF-8
/// name, rank, sizes (int64), element-type code (0 = float32) and values, then a CRC-32 of everything before it.
/// Not thread-safe for concurrent mutation.
/// </remarks>
public sealed class StateDict : IEnumerable<StateDictEntry>
{
    /// <summary>Format name written at the start of every file.</summary>
    public const string FormatName = "SerMlNet.StateDict";

    /// <summary>Format version written by this build; readers accept this version only.</summary>
    public const int FormatVersion = 1;

    private readonly List<StateDictEntry> _entries = [];
    private readonly Dictionary<string, StateDictEntry> _byName = new(StringComparer.Ordinal);

    /// <summary>Creates an empty state dict.</summary>
    public StateDict()
    {
    }

    /// <summary>Creates a state dict holding <paramref name="entries"/> in order.</summary>
    /// <param name="entries">Entries with distinct names.</param>
    public StateDict(IEnumerable<StateDictEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (StateDictEntry entry in entries)
        {
            Add(entry);
        }
    }

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>The entry called <paramref name="name"/>.</summary>
    /// <param name="name">Hierarchical name.</param>
    /// <exception cref="KeyNotFoundException">No such entry.</exception>
    public StateDictEntry this[string name] =>
        _byName.TryGetValue(name, out StateDictEntry? entry) ? entry : throw new KeyNotFoundException($"no state dict entry '{name}'");

    /// <summary>Appends an entry.</summary>
    /// <param name="entry">The entry; its name must be new.</param>
    /// <exception cref="ArgumentException">The name is already present.</exception>
    public void Add(StateDictEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!_byName.TryAdd(entry.Name, entry))
        {
            throw new ArgumentException($"duplicate state dict entry '{entry.Name}'", nameof(entry));
        }
        _entries.Add(entry);
    }

    /// <summary>Looks an entry up by name.</summary>
    /// <param name="name">Hierarchical name.</param>
    /// <param name="entry">The entry when found.</param>
    /// <returns>Whether it was found.</returns>
    public bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StateDictEntry? entry) =>
        _byName.TryGetValue(name, out entry);

    /// <summary>Writes the state dict to <paramref name="path"/> atomically (<see cref="AtomicFile"/>: a temporary file
    /// in the same folder is written, flushed to disk and renamed over the destination, so readers never see a partial
    /// file).</summary>
    /// <param name="path">Destination; replaced if present. Its folder is created if missing.</param>
    public void Save(string path) => AtomicFile.Write(path, Write);

    /// <summary>Reads a file written by <see cref="Save"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The entries in file order.</returns>
    /// <exception cref="InvalidDataException">Not a state dict, an unsupported version, truncated or corrupt
    /// (checksum mismatch).</exception>
    public static StateDict Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return Read(stream);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Writes the binary format to <paramref name="stream"/> (see the type remarks).</summary>
    /// <param name="stream">A writable stream.</param>
    public void Write(Stream stream) => StateDictFile.Write(this, stream);

    /// <summary>Reads the binary format from <paramref name="stream"/>, which must end right after the checksum.</summary>
    /// <param name="stream">A readable stream.</param>
    /// <returns>The state dict.</returns>
    public static StateDict Read(Stream stream) => StateDictFile.Read(stream);

    /// <inheritdoc />
    public IEnumerator<StateDictEntry> GetEnumerator() => _entries.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
