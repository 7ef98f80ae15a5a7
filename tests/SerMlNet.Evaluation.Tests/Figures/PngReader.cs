using System.Buffers.Binary;
using System.IO.Compression;
using SerMlNet.Audio.Io;

namespace SerMlNet.Evaluation.Tests.Figures;

/// <summary>
/// A test-side PNG decoder, independent of the encoder: checks the signature and every chunk's CRC, inflates IDAT and
/// undoes all five filter types. Supports 8-bit greyscale, RGB, grey+alpha and RGBA, non-interlaced (what our encoder
/// and Chromium's screenshots produce).
/// </summary>
internal sealed class PngReader
{
    private PngReader(int width, int height, int channels, byte[] pixels, IReadOnlyList<string> chunks)
    {
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
        Chunks = chunks;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Bytes per pixel: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.</summary>
    public int Channels { get; }

    /// <summary>Unfiltered pixels, row-major, <see cref="Channels"/> bytes each.</summary>
    public byte[] Pixels { get; }

    /// <summary>Chunk types in file order.</summary>
    public IReadOnlyList<string> Chunks { get; }

    public (byte R, byte G, byte B) Rgb(int x, int y)
    {
        int i = (y * Width + x) * Channels;
        return Channels >= 3 ? (Pixels[i], Pixels[i + 1], Pixels[i + 2]) : (Pixels[i], Pixels[i], Pixels[i]);
    }

    public static PngReader Decode(byte[] file)
    {
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (file.Length < 8 || !file.AsSpan(0, 8).SequenceEqual(signature))
        {
            throw new InvalidDataException("not a PNG: bad signature");
        }
        int offset = 8;
        int width = 0, height = 0, colorType = -1;
        var idat = new MemoryStream();
        var chunks = new List<string>();
        while (offset < file.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(offset));
            string type = System.Text.Encoding.ASCII.GetString(file, offset + 4, 4);
            ReadOnlySpan<byte> typeAndData = file.AsSpan(offset + 4, 4 + length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset + 8 + length));
            uint computed = Crc32.Compute(typeAndData);
            if (stored != computed)
            {
                throw new InvalidDataException($"chunk {type}: CRC {stored:x8} stored, {computed:x8} computed");
            }
            chunks.Add(type);
            ReadOnlySpan<byte> data = typeAndData[4..];
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    if (data[8] != 8 || data[12] != 0)
                    {
                        throw new NotSupportedException($"bit depth {data[8]}, interlace {data[12]}");
                    }
                    colorType = data[9];
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }
            offset += 12 + length;
            if (type == "IEND")
            {
                break;
            }
        }
        int channels = colorType switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => throw new NotSupportedException($"colour type {colorType}") };
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }
        byte[] raw = inflated.ToArray();
        int stride = width * channels;
        if (raw.Length != (stride + 1) * height)
        {
            throw new InvalidDataException($"IDAT inflates to {raw.Length} bytes, expected {(stride + 1) * height}");
        }
        var pixels = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            byte filter = raw[y * (stride + 1)];
            for (int i = 0; i < stride; i++)
            {
                int x = raw[y * (stride + 1) + 1 + i];
                int a = i >= channels ? pixels[y * stride + i - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
                int c = i >= channels && y > 0 ? pixels[(y - 1) * stride + i - channels] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"row {y}: filter type {filter}"),
                };
                pixels[y * stride + i] = (byte)(x + predictor);
            }
        }
        return new PngReader(width, height, channels, pixels, chunks);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
