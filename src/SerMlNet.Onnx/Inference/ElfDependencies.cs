using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace SerMlNet.Onnx.Inference;

/// <summary>
/// Reads the <c>DT_NEEDED</c> entries (the shared libraries the dynamic loader must find) of a 64-bit little-endian ELF
/// file, reading only the headers, the dynamic section and its string table. Stateless and thread-safe.
/// </summary>
internal static class ElfDependencies
{
    private const uint ShtDynamic = 6;
    private const long DtNull = 0;
    private const long DtNeeded = 1;

    /// <summary>The libraries <paramref name="path"/> links against, in file order.</summary>
    /// <param name="path">An ELF64 little-endian shared object.</param>
    /// <returns>The <c>DT_NEEDED</c> names, e.g. <c>libcudart.so.13</c>.</returns>
    /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF file or is truncated.</exception>
    public static IReadOnlyList<string> ReadNeeded(string path)
    {
        using SafeFileHandle file = File.OpenHandle(path);
        Span<byte> header = stackalloc byte[64];
        ReadExactly(file, header, 0);
        if (header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F' || header[4] != 2 || header[5] != 1)
        {
            throw new InvalidDataException($"'{path}' is not a 64-bit little-endian ELF file");
        }
        long sectionTable = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x28..]);
        int sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(header[0x3A..]);
        int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(header[0x3C..]);
        if (sectionSize < 64 || sectionCount == 0)
        {
            throw new InvalidDataException($"'{path}' has no section headers");
        }
        var sections = new byte[sectionSize * sectionCount];
        ReadExactly(file, sections, sectionTable);

        var needed = new List<string>();
        for (int i = 0; i < sectionCount; i++)
        {
            ReadOnlySpan<byte> sh = sections.AsSpan(i * sectionSize, sectionSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != ShtDynamic)
            {
                continue;
            }
            long offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(sh[24..]);
            long size = (long)BinaryPrimitives.ReadUInt64LittleEndian(sh[32..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[40..]);
            if (link >= sectionCount || size > 1 << 24)
            {
                throw new InvalidDataException($"'{path}' has a malformed dynamic section");
            }
            ReadOnlySpan<byte> strSh = sections.AsSpan(link * sectionSize, sectionSize);
            long strOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(strSh[24..]);
            long strSize = (long)BinaryPrimitives.ReadUInt64LittleEndian(strSh[32..]);
            if (strSize > 1 << 24)
            {
                throw new InvalidDataException($"'{path}' has a malformed string table");
            }
            var dynamic = new byte[size];
            ReadExactly(file, dynamic, offset);
            var strings = new byte[strSize];
            ReadExactly(file, strings, strOffset);
            for (int e = 0; e + 16 <= dynamic.Length; e += 16)
            {
                long tag = BinaryPrimitives.ReadInt64LittleEndian(dynamic.AsSpan(e));
                if (tag == DtNull)
                {
                    break;
                }
                if (tag == DtNeeded)
                {
                    long nameOffset = BinaryPrimitives.ReadInt64LittleEndian(dynamic.AsSpan(e + 8));
                    if (nameOffset < 0 || nameOffset >= strings.Length)
                    {
                        throw new InvalidDataException($"'{path}' has a malformed DT_NEEDED entry");
                    }
                    ReadOnlySpan<byte> rest = strings.AsSpan((int)nameOffset);
                    int end = rest.IndexOf((byte)0);
                    needed.Add(System.Text.Encoding.UTF8.GetString(end < 0 ? rest : rest[..end]));
                }
            }
        }
        return needed;
    }

    private static void ReadExactly(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = RandomAccess.Read(file, buffer[done..], offset + done);
            if (n == 0)
            {
                throw new InvalidDataException("unexpected end of ELF file");
            }
            done += n;
        }
    }
}
