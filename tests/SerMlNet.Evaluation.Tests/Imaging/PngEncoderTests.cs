using SerMlNet.Audio.Io;
using SerMlNet.Evaluation.Imaging;

namespace SerMlNet.Evaluation.Tests.Imaging;

public class PngEncoderTests
{
    [Fact]
    public void Crc32MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        // CRC of the IEND chunk type, present in every PNG file: AE 42 60 82.
        Assert.Equal(0xAE426082u, Crc32.Compute("IEND"u8));
    }

    [Fact]
    public void EncodedImageDecodesToTheSamePixels()
    {
        const int width = 37, height = 23;
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 3;
                // Smooth gradients (Sub filter wins) next to noise (None wins), so both filter choices are exercised.
                rgb[i] = (byte)(x * 7);
                rgb[i + 1] = (byte)(y < height / 2 ? y * 11 : (x * 131 + y * 71) % 251);
                rgb[i + 2] = (byte)((x ^ y) * 5);
            }
        }
        byte[] png = PngEncoder.EncodeRgb(width, height, rgb);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        PngReader decoded = PngReader.Decode(png);
        Assert.Equal(["IHDR", "IDAT", "IEND"], decoded.Chunks);
        Assert.Equal(width, decoded.Width);
        Assert.Equal(height, decoded.Height);
        Assert.Equal(3, decoded.Channels);
        Assert.Equal(rgb, decoded.Pixels);
    }

    [Fact]
    public void CorruptedBytesFailTheCrcCheck()
    {
        byte[] png = PngEncoder.EncodeRgb(2, 2, new byte[12]);
        png[20] ^= 0x01; // inside IHDR's data
        var e = Assert.Throws<InvalidDataException>(() => PngReader.Decode(png));
        Assert.Contains("IHDR", e.Message);
    }

    [Fact]
    public void RejectsAWrongBufferSize()
    {
        Assert.Throws<ArgumentException>(() => PngEncoder.EncodeRgb(2, 2, new byte[11]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.EncodeRgb(0, 2, []));
    }

    [Fact]
    public void ColorMapsRunFromDarkToLight()
    {
        foreach (ColorMap map in (ColorMap[])[ColorMap.Viridis, ColorMap.Magma])
        {
            Assert.Equal(map.Map(0), map.Map(-1));
            Assert.Equal(map.Map(1), map.Map(2));
            Assert.Equal(map.Map(0), map.Map(double.NaN));
            double previous = -1;
            for (int i = 0; i <= 20; i++)
            {
                var (r, g, b) = map.Map(i / 20.0);
                double luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
                Assert.True(luma > previous, $"{map.Name} luminance not increasing at {i / 20.0}");
                previous = luma;
            }
        }
        Assert.Equal("#440154", ColorMap.Viridis.Hex(0));
        Assert.Equal("#fde725", ColorMap.Viridis.Hex(1));
        Assert.Equal("#21918c", ColorMap.Viridis.Hex(0.5));
    }
}
