namespace SerMlNet.Audio.Io;

/// <summary>
/// Writes files atomically: the content goes to a temporary file beside the destination, is flushed to disk, then
/// renamed over the destination, so a crash leaves either the old file or the new one, never a torn one.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes a file through a stream callback.</summary>
    /// <param name="path">Destination path; its folder is created if missing.</param>
    /// <param name="write">Writes the content; the stream is flushed and closed afterwards.</param>
    /// <param name="flushToDisk">Whether to fsync before the rename (default true; caches may skip it, since a torn entry is detected and recomputed).</param>
    public static void Write(string path, Action<Stream> write, bool flushToDisk = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes UTF-8 text (no byte-order mark) atomically.</summary>
    /// <param name="path">Destination path.</param>
    /// <param name="text">The text.</param>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp file is harmless and hidden.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
