using System.Buffers.Binary;
using System.Text;
using SerMlNet.Audio.Io;

namespace SerMlNet.Training.Runs;

/// <summary>
/// The container of the files the trainer writes (<c>best.ckpt</c>, <c>last.ckpt</c>): an ASCII format name and a
/// version, then named sections (each a length-prefixed byte payload: TorchSharp's own state-dict format for weights and
/// optimiser state, UTF-8 JSON for counters), then a CRC-32 of everything before it. Written atomically (temporary file
/// and rename), so a crash leaves the previous file intact; read fully and checked before anything is used.
/// Not thread-safe per instance; the static methods are.
/// </summary>
internal static class TorchFile
{
    private const int MaxSections = 64;
    private const int MaxNameBytes = 256;

    /// <summary>Writes <paramref name="sections"/> under a format name and version, atomically.</summary>
    /// <param name="path">Destination.</param>
    /// <param name="format">Format name, e.g. <c>sermlnet.weights</c>.</param>
    /// <param name="version">Format version.</param>
    /// <param name="sections">Named payloads, in order.</param>
    public static void Write(string path, string format, int version, IReadOnlyList<(string Name, byte[] Payload)> sections)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(format);
            writer.Write(version);
            writer.Write(sections.Count);
            foreach ((string name, byte[] payload) in sections)
            {
                writer.Write(name);
                writer.Write((long)payload.Length);
                writer.Write(payload);
            }
        }
        uint crc = Crc32.Compute(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        Span<byte> trailer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc);
        buffer.Write(trailer);
        AtomicFile.Write(path, stream => stream.Write(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    /// <summary>Reads and checks a file written by <see cref="Write"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">The expected format name.</param>
    /// <param name="version">The version this build reads.</param>
    /// <returns>The sections by name.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileException">Not this format or version, truncated, or corrupt (checksum).</exception>
    public static Dictionary<string, byte[]> Read(string path, string format, int version)
    {
        byte[] bytes = File.ReadAllBytes(path);
        string name = Path.GetFileName(path);
        if (bytes.Length < 8)
        {
            throw new InvalidFileException($"'{name}' is not a {format} file (only {bytes.Length} bytes)");
        }
        byte[] magic = Magic(format);
        if (!bytes.AsSpan().StartsWith(magic))
        {
            throw new InvalidFileException($"'{name}' is not a {format} file (it does not start with the format name)");
        }
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, magic.Length, bytes.Length - 4 - magic.Length), Encoding.UTF8);
            int foundVersion = reader.ReadInt32();
            if (foundVersion != version)
            {
                throw new InvalidFileException($"'{name}' is {format} version {foundVersion}; this build reads version {version} (retrain, or use the release that wrote it)");
            }
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4));
            if (Crc32.Compute(bytes.AsSpan(0, bytes.Length - 4)) != stored)
            {
                throw new InvalidFileException($"'{name}' is corrupt: its CRC-32 does not match its contents");
            }
            int count = reader.ReadInt32();
            if (count is < 0 or > MaxSections)
            {
                throw new InvalidFileException($"'{name}': section count {count} is out of range");
            }
            var sections = new Dictionary<string, byte[]>(count, StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                string section = reader.ReadString();
                long length = reader.ReadInt64();
                if (section.Length > MaxNameBytes || length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
                {
                    throw new InvalidFileException($"'{name}': section {i} is truncated or malformed");
                }
                sections[section] = reader.ReadBytes((int)length);
            }
            return sections;
        }
        catch (EndOfStreamException)
        {
            throw new InvalidFileException($"'{name}' is truncated");
        }
    }

    /// <summary>The bytes a TorchSharp writer (a module's or an optimiser's state dict) produces: one section's payload.</summary>
    /// <param name="write">Writes the payload.</param>
    /// <returns>The payload.</returns>
    public static byte[] Payload(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
        }
        return stream.ToArray();
    }

    /// <summary>Reads a <see cref="Payload"/> back; TorchSharp's complaints (wrong names, shapes, truncation) become one
    /// <see cref="InvalidFileException"/>.</summary>
    /// <param name="payload">The section's bytes.</param>
    /// <param name="read">Reads the payload (e.g. <c>module.load</c>).</param>
    /// <param name="failure">What failed, for the message, e.g. <c>'best.ckpt' does not fit this model's architecture</c>.</param>
    /// <exception cref="InvalidFileException">The payload does not fit what reads it.</exception>
    public static void ReadPayload(byte[] payload, Action<BinaryReader> read, string failure)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
            read(reader);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException or System.Runtime.InteropServices.ExternalException)
        {
            throw new InvalidFileException($"{failure}: {e.Message}", e);
        }
    }

    /// <summary>A section that must be there.</summary>
    /// <param name="sections">Sections read by <see cref="Read"/>.</param>
    /// <param name="section">The section's name.</param>
    /// <param name="path">The file (for the message).</param>
    /// <returns>The payload.</returns>
    /// <exception cref="InvalidFileException">The section is missing.</exception>
    public static byte[] Require(Dictionary<string, byte[]> sections, string section, string path) =>
        sections.TryGetValue(section, out byte[]? payload)
            ? payload
            : throw new InvalidFileException($"'{Path.GetFileName(path)}' has no '{section}' section");

    /// <summary>The first bytes of every file of a format: its name as <see cref="BinaryWriter.Write(string)"/> writes it.</summary>
    private static byte[] Magic(string format)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(format);
        }
        return buffer.ToArray();
    }
}
