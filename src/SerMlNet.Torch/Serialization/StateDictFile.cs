using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using SerMlNet.Audio.Io;

namespace SerMlNet.Torch.Serialization;

/// <summary>The binary layout of <see cref="StateDict"/> files (see <c>STATE_DICT_FORMAT.md</c>).</summary>
internal static class StateDictFile
{
    private const int ElementFloat32 = 0;
    private const int MaxNameBytes = 4096;
    private const int MaxRank = 16;

    internal static void Write(StateDict dict, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        EnsureLittleEndian();
        var writer = new CheckedWriter(stream);
        writer.WriteString(StateDict.FormatName);
        writer.WriteInt32(StateDict.FormatVersion);
        writer.WriteInt32(dict.Count);
        foreach (StateDictEntry entry in dict)
        {
            writer.WriteString(entry.Name);
            writer.WriteInt32(entry.Shape.Length);
            foreach (long size in entry.Shape)
            {
                writer.WriteInt64(size);
            }
            writer.WriteInt32(ElementFloat32);
            writer.WriteInt64(entry.Values.Length);
            writer.WriteBytes(MemoryMarshal.AsBytes(entry.Values.AsSpan()));
        }
        writer.WriteChecksum();
    }

    internal static StateDict Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        EnsureLittleEndian();
        var reader = new CheckedReader(stream);
        string format = reader.ReadString(64);
        if (format != StateDict.FormatName)
        {
            throw new InvalidDataException($"not a {StateDict.FormatName} file (format name '{format}')");
        }
        int version = reader.ReadInt32();
        if (version != StateDict.FormatVersion)
        {
            throw new InvalidDataException($"{StateDict.FormatName} version {version} is not supported (this build reads version {StateDict.FormatVersion})");
        }
        int count = reader.ReadInt32();
        if (count < 0)
        {
            throw new InvalidDataException($"negative entry count {count}");
        }
        var dict = new StateDict();
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString(MaxNameBytes);
            int rank = reader.ReadInt32();
            if (rank is < 0 or > MaxRank)
            {
                throw new InvalidDataException($"'{name}': rank {rank} is out of range [0, {MaxRank}]");
            }
            long[] shape = new long[rank];
            long expected = 1;
            for (int d = 0; d < rank; d++)
            {
                shape[d] = reader.ReadInt64();
                if (shape[d] < 0)
                {
                    throw new InvalidDataException($"'{name}': negative size {shape[d]}");
                }
                expected = checked(expected * shape[d]);
            }
            int element = reader.ReadInt32();
            if (element != ElementFloat32)
            {
                throw new InvalidDataException($"'{name}': element type code {element} is not supported (0 = float32)");
            }
            long length = reader.ReadInt64();
            if (length != expected || length > Array.MaxLength)
            {
                throw new InvalidDataException($"'{name}': {length} values do not match shape [{string.Join(", ", shape)}]");
            }
            float[] values = new float[length];
            reader.ReadBytes(MemoryMarshal.AsBytes(values.AsSpan()));
            dict.Add(new StateDictEntry(name, shape, values));
        }
        reader.VerifyChecksumAndEnd();
        return dict;
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("state dict files are read and written on little-endian machines only");
        }
    }

    /// <summary>Writes primitives and keeps a running CRC-32 of every byte written.</summary>
    private sealed class CheckedWriter(Stream stream)
    {
        private uint _crc = Crc32.Start;

        public void WriteInt32(int value)
        {
            Span<byte> buffer = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(buffer, value);
            WriteBytes(buffer);
        }

        public void WriteInt64(long value)
        {
            Span<byte> buffer = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
            WriteBytes(buffer);
        }

        public void WriteString(string value)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(value);
            WriteInt32(bytes.Length);
            WriteBytes(bytes);
        }

        public void WriteBytes(ReadOnlySpan<byte> bytes)
        {
            _crc = Crc32.Update(_crc, bytes);
            stream.Write(bytes);
        }

        public void WriteChecksum()
        {
            Span<byte> buffer = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(buffer, Crc32.Finish(_crc));
            stream.Write(buffer);
        }
    }

    /// <summary>Reads primitives, keeps a running CRC-32, and reports truncation as <see cref="InvalidDataException"/>.</summary>
    private sealed class CheckedReader(Stream stream)
    {
        private uint _crc = Crc32.Start;

        public int ReadInt32()
        {
            Span<byte> buffer = stackalloc byte[4];
            ReadBytes(buffer);
            return BinaryPrimitives.ReadInt32LittleEndian(buffer);
        }

        public long ReadInt64()
        {
            Span<byte> buffer = stackalloc byte[8];
            ReadBytes(buffer);
            return BinaryPrimitives.ReadInt64LittleEndian(buffer);
        }

        public string ReadString(int maxBytes)
        {
            int length = ReadInt32();
            if (length < 1 || length > maxBytes)
            {
                throw new InvalidDataException($"string length {length} is out of range [1, {maxBytes}]");
            }
            byte[] bytes = new byte[length];
            ReadBytes(bytes);
            return Encoding.UTF8.GetString(bytes);
        }

        public void ReadBytes(Span<byte> destination)
        {
            ReadRaw(destination);
            _crc = Crc32.Update(_crc, destination);
        }

        public void VerifyChecksumAndEnd()
        {
            Span<byte> buffer = stackalloc byte[4];
            ReadRaw(buffer);
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
            uint computed = Crc32.Finish(_crc);
            if (stored != computed)
            {
                throw new InvalidDataException($"checksum mismatch (stored {stored:x8}, computed {computed:x8}): the file is corrupt");
            }
            if (stream.ReadByte() != -1)
            {
                throw new InvalidDataException("unexpected bytes after the checksum");
            }
        }

        private void ReadRaw(Span<byte> destination)
        {
            try
            {
                stream.ReadExactly(destination);
            }
            catch (EndOfStreamException ex)
            {
                throw new InvalidDataException("the file is truncated", ex);
            }
        }
    }
}
