namespace SerMlNet.Audio.Io;

/// <summary>CRC-32 (ISO-HDLC, reflected polynomial 0xEDB88320), the checksum of PNG chunks and zlib. Thread-safe.</summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>Checksum of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The CRC (<c>"123456789"</c> gives 0xCBF43926).</returns>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Start, data));

    /// <summary>Initial running value for <see cref="Update"/>.</summary>
    public const uint Start = 0xFFFFFFFFu;

    /// <summary>Feeds more bytes into a running value.</summary>
    /// <param name="crc">The running value (<see cref="Start"/> at first).</param>
    /// <param name="data">The bytes.</param>
    /// <returns>The new running value.</returns>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc;
    }

    /// <summary>Turns a running value into the checksum.</summary>
    /// <param name="crc">The running value.</param>
    /// <returns>The checksum.</returns>
    public static uint Finish(uint crc) => crc ^ 0xFFFFFFFFu;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
