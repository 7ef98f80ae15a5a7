using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace SerMlNet.Audio.Io;

/// <summary>
/// NumPy <c>.npy</c> files (format version 1.0) holding little-endian float32 arrays in C order — what
/// <c>np.load</c> reads back as <c>float32</c> with the same shape. Writing is atomic (temporary file, then rename).
/// Stateless and thread-safe.
/// </summary>
public static class NpyFile
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Writes a matrix as a 2-D array of shape (Rows, Columns), atomically.</summary>
    /// <param name="path">Destination; its folder is created when missing.</param>
    /// <param name="matrix">The matrix.</param>
    /// <param name="flushToDisk">Flush to the device before the rename (durable against power loss; slower). Default false.</param>
    public static void Write(string path, FeatureMatrix matrix, bool flushToDisk = false)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int[] shape = [matrix.Rows, matrix.Columns];
        AtomicFile.Write(path, stream => Write(stream, matrix.Data, shape), flushToDisk);
    }

    /// <summary>Writes a float32 array of any shape to a stream.</summary>
    /// <param name="stream">Destination.</param>
    /// <param name="data">Values in C order; length must equal the product of <paramref name="shape"/>.</param>
    /// <param name="shape">Dimensions (empty for a scalar).</param>
    public static void Write(Stream stream, ReadOnlySpan<float> data, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        long count = 1;
        var dims = new StringBuilder();
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d);
            count *= d;
            dims.Append(d.ToString(CultureInfo.InvariantCulture)).Append(shape.Length == 1 ? "," : ", ");
        }
        if (count != data.Length)
        {
            throw new ArgumentException($"data holds {data.Length} values, shape needs {count}", nameof(data));
        }
        string shapeText = shape.Length == 1 ? dims.ToString() : dims.ToString().TrimEnd(',', ' ');
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({shapeText}), }}";
        // Pad with spaces so magic + version + length + header is a multiple of 64, ending in a newline.
        int unpadded = Magic.Length + 2 + 2 + dict.Length + 1;
        int total = (unpadded + 63) / 64 * 64;
        string header = dict + new string(' ', total - unpadded) + "\n";
        Span<byte> prefix = stackalloc byte[10];
        Magic.CopyTo(prefix);
        prefix[6] = 1;
        prefix[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(prefix[8..], (ushort)header.Length);
        stream.Write(prefix);
        stream.Write(Encoding.ASCII.GetBytes(header));
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data));
        }
        else
        {
            var buffer = new byte[4];
            foreach (float v in data)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer, v);
                stream.Write(buffer);
            }
        }
    }

    /// <summary>Reads a float32 <c>.npy</c> file (version 1.0 or 2.0, little-endian, C order).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The shape and the values.</returns>
    /// <exception cref="InvalidFileException">The file is not such an array.</exception>
    public static (int[] Shape, float[] Data) Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw new InvalidFileException($"{path}: not a .npy file");
        }
        int major = bytes[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int headerStart = major == 1 ? 10 : 12;
        if (headerStart + headerLength > bytes.Length)
        {
            throw new InvalidFileException($"{path}: truncated .npy header");
        }
        string header = Encoding.ASCII.GetString(bytes, headerStart, headerLength);
        if (!header.Contains("'descr': '<f4'", StringComparison.Ordinal) || !header.Contains("'fortran_order': False", StringComparison.Ordinal))
        {
            throw new InvalidFileException($"{path}: only little-endian float32 C-order arrays are read (header {header.Trim()})");
        }
        int open = header.IndexOf('(', StringComparison.Ordinal);
        int close = header.IndexOf(')', open + 1);
        string[] parts = header[(open + 1)..close].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int[] shape = Array.ConvertAll(parts, p => int.Parse(p, CultureInfo.InvariantCulture));
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
        }
        int dataStart = headerStart + headerLength;
        if (bytes.Length - dataStart != count * 4)
        {
            throw new InvalidFileException($"{path}: {bytes.Length - dataStart} data bytes for {count} float32 values");
        }
        var data = new float[count];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(dataStart + 4 * i));
        }
        return (shape, data);
    }
}
