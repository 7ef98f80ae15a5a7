using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using SerMlNet.Audio;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Audio.Io;

namespace SerMlNet.Pipeline.Caching;

/// <summary>
/// On-disk cache of feature matrices, one file per (clip, front-end hash, augmentation draw). The key covers the
/// clip's file (path, size, modification time), so editing a WAV file or any front-end or augmentation parameter
/// makes a new key and the stale entry is simply never read again. Entries are written atomically (format
/// <c>SMLF</c> version 1: magic, version, rows, columns, float32 data, little-endian). Thread-safe.
/// </summary>
public sealed class FeatureCache
{
    /// <summary>
    /// Part of every key: raise it when the library's DSP changes what a stage computes for the same options, so
    /// features cached by an older build are never served.
    /// </summary>
    public const int ComputationVersion = 3;

    private const uint Magic = 0x464C4D53; // "SMLF"
    private const int Version = 1;
    private const int HeaderBytes = 16;
    private long _hits;
    private long _misses;

    /// <summary>Creates (or reopens) a cache in a folder.</summary>
    /// <param name="directory">The folder; created if missing.</param>
    public FeatureCache(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>The cache folder.</summary>
    public string Directory { get; }

    /// <summary>Lookups that found an entry since this instance was made.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that found none since this instance was made.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The key of one (clip, front-end, draw) triple.</summary>
    /// <param name="clip">The clip; its file's size and modification time are part of the key.</param>
    /// <param name="frontEndHash">Hash of the cacheable front-end chain (options of every stage, augmentation included).</param>
    /// <param name="draw">0 for the plain features, else the augmentation draw.</param>
    /// <param name="augmentationSeed">The augmentation seed (ignored for draw 0).</param>
    /// <returns>A 32-character hex key.</returns>
    public static string Key(Clip clip, string frontEndHash, long draw, long augmentationSeed)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var info = new FileInfo(clip.Path);
        string identity = string.Join(
            '\n',
            ComputationVersion,
            frontEndHash,
            clip.Id,
            Path.GetFullPath(clip.Path),
            info.Exists ? info.Length : -1,
            info.Exists ? info.LastWriteTimeUtc.Ticks : 0,
            draw,
            draw == 0 ? 0 : augmentationSeed);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32];
    }

    /// <summary>Reads an entry.</summary>
    /// <param name="key">Its key.</param>
    /// <param name="features">The features when found.</param>
    /// <returns>Whether a valid entry was found (a corrupt one counts as a miss and is ignored).</returns>
    public bool TryGet(string key, out FeatureMatrix? features)
    {
        string path = PathOf(key);
        features = null;
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            if (bytes.Length >= HeaderBytes
                && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == Magic
                && BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)) == Version)
            {
                int rows = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
                int columns = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
                if (rows >= 0 && columns >= 0 && (long)rows * columns * 4 == bytes.Length - HeaderBytes)
                {
                    float[] data = new float[rows * columns];
                    MemoryMarshal.Cast<byte, float>(bytes.AsSpan(HeaderBytes)).CopyTo(data);
                    features = new FeatureMatrix(rows, columns, data);
                    Interlocked.Increment(ref _hits);
                    return true;
                }
            }
        }
        catch (FileNotFoundException)
        {
        }
        catch (DirectoryNotFoundException)
        {
        }
        Interlocked.Increment(ref _misses);
        return false;
    }

    /// <summary>Writes an entry atomically (replacing any previous one).</summary>
    /// <param name="key">Its key.</param>
    /// <param name="features">The features.</param>
    public void Put(string key, FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var bytes = new byte[HeaderBytes + features.Data.Length * 4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), features.Rows);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), features.Columns);
        MemoryMarshal.AsBytes(features.Data.AsSpan()).CopyTo(bytes.AsSpan(HeaderBytes));
        AtomicFile.Write(PathOf(key), stream => stream.Write(bytes), flushToDisk: false);
    }

    private string PathOf(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Path.Combine(Directory, key[..2], key + ".smlf");
    }
}
