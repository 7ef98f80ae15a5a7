using System.Buffers.Binary;
using System.IO.Compression;
using SerMlNet.Audio.Io;

namespace SerMlNet.Evaluation.Imaging;

/// <summary>
/// A minimal PNG writer: 8-bit truecolour (RGB) images, non-interlaced, as the IHDR, one IDAT (zlib stream of rows,
/// each prefixed with filter type 0 or 1 — whichever row is smaller after the Sub filter) and IEND chunks, each with
/// its CRC-32. Enough for embedding rasters in SVG. Stateless; thread-safe.
/// </summary>
public static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes an RGB image.</summary>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    /// <param name="rgb">Pixels row by row, top row first, 3 bytes (R, G, B) each; length <c>width * height * 3</c>.</param>
    /// <returns>The PNG file's bytes.</returns>
    public static byte[] EncodeRgb(int width, int height, ReadOnlySpan<byte> rgb)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        int stride = checked(width * 3);
        if (rgb.Length != (long)stride * height)
        {
            throw new ArgumentException($"rgb has {rgb.Length} bytes, expected {width} x {height} x 3 = {(long)stride * height}", nameof(rgb));
        }

        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // colour type: truecolour
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method 0
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR"u8, header);

        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                var none = new byte[stride + 1];
                var sub = new byte[stride + 1];
                for (int y = 0; y < height; y++)
                {
                    ReadOnlySpan<byte> row = rgb.Slice(y * stride, stride);
                    none[0] = 0;
                    row.CopyTo(none.AsSpan(1));
                    sub[0] = 1;
                    long noneCost = 0;
                    long subCost = 0;
                    for (int i = 0; i < stride; i++)
                    {
                        byte left = i >= 3 ? row[i - 3] : (byte)0;
                        sub[i + 1] = unchecked((byte)(row[i] - left));
                        noneCost += Math.Abs((int)(sbyte)none[i + 1]);
                        subCost += Math.Abs((int)(sbyte)sub[i + 1]);
                    }
                    // The usual "minimum sum of absolute differences" heuristic of PNG encoders.
                    zlib.Write(subCost < noneCost ? sub : none);
                }
            }
            WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        }

        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        uint crc = Crc32.Finish(Crc32.Update(Crc32.Update(Crc32.Start, type), data));
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }
}
