using System.Text;

namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// Reads one <c>metadata_props</c> entry straight from an ONNX file, without ONNX Runtime: it walks the top-level
/// fields of the <c>ModelProto</c> message (protobuf wire format), seeking past the graph, and decodes the
/// <c>StringStringEntryProto</c> entries of field 14. Lets <see cref="EmotionRecognizer.Open(string, OnnxModelOptions?)"/> build the pipeline
/// while ONNX Runtime is still creating its session. Best effort: any malformed input gives null, never an exception
/// (the session load reports the real problem). Stateless and thread-safe.
/// </summary>
internal static class OnnxFileMetadata
{
    private const int MetadataPropsField = 14;
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    /// <summary>The value of <paramref name="key"/> in the file's <c>metadata_props</c>.</summary>
    /// <param name="path">An ONNX file.</param>
    /// <param name="key">The entry, e.g. <see cref="OnnxMetadataKeys.FrontEnd"/>.</param>
    /// <returns>The value, or null when the entry is absent or the file cannot be read as a <c>ModelProto</c>.</returns>
    public static string? TryRead(string path, string key)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.RandomAccess);
            long length = file.Length;
            while (file.Position < length)
            {
                if (!TryReadVarint(file, out ulong tag))
                {
                    return null;
                }
                int field = (int)(tag >> 3), wire = (int)(tag & 7);
                switch (wire)
                {
                    case WireVarint:
                        if (!TryReadVarint(file, out _))
                        {
                            return null;
                        }
                        break;
                    case WireFixed64:
                        file.Seek(8, SeekOrigin.Current);
                        break;
                    case WireFixed32:
                        file.Seek(4, SeekOrigin.Current);
                        break;
                    case WireLengthDelimited:
                        if (!TryReadVarint(file, out ulong size) || size > (ulong)(length - file.Position))
                        {
                            return null;
                        }
                        if (field != MetadataPropsField)
                        {
                            file.Seek((long)size, SeekOrigin.Current);
                            break;
                        }
                        var entry = new byte[size];
                        file.ReadExactly(entry);
                        if (TryReadEntry(entry, out string? entryKey, out string? value) && entryKey == key)
                        {
                            return value;
                        }
                        break;
                    default:
                        return null;
                }
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Decodes a <c>StringStringEntryProto</c>: field 1 key, field 2 value (both UTF-8 strings).</summary>
    private static bool TryReadEntry(ReadOnlySpan<byte> entry, out string? key, out string? value)
    {
        key = null;
        value = null;
        int position = 0;
        while (position < entry.Length)
        {
            if (!TryReadVarint(entry, ref position, out ulong tag) || (tag & 7) != WireLengthDelimited
                || !TryReadVarint(entry, ref position, out ulong size) || size > (ulong)(entry.Length - position))
            {
                return false;
            }
            string text = Encoding.UTF8.GetString(entry.Slice(position, (int)size));
            position += (int)size;
            switch (tag >> 3)
            {
                case 1:
                    key = text;
                    break;
                case 2:
                    value = text;
                    break;
            }
        }
        return key is not null;
    }

    private static bool TryReadVarint(Stream stream, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            int b = stream.ReadByte();
            if (b < 0)
            {
                return false;
            }
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }
        return false;
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> data, ref int position, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64 && position < data.Length; shift += 7)
        {
            byte b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }
        return false;
    }
}
