namespace SerMlNet.Audio.Io;

/// <summary>
/// Writes a file atomically: the content goes to a hidden temporary file beside the destination, which is then renamed
/// over the destination, so readers see either the old file or the complete new one, never a torn one.
/// </summary>
internal static class AtomicWriter
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>.</summary>
    /// <param name="path">Destination; its folder is created when missing.</param>
    /// <param name="write">Writes the whole content to the stream.</param>
    /// <param name="flushToDisk">Whether to flush the data to the device before the rename (durable across power loss, slower).</param>
    public static void Write(string path, Action<Stream> write, bool flushToDisk)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? throw new IOException($"'{path}' has no parent folder");
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        FileStream Open() => new(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        FileStream created;
        try
        {
            created = Open();
        }
        catch (DirectoryNotFoundException)
        {
            // Create the folder only when needed (saves a system call per file when writing many into one folder).
            Directory.CreateDirectory(folder);
            created = Open();
        }
        try
        {
            using (FileStream stream = created)
            {
                write(stream);
                stream.Flush(flushToDisk);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // Best effort: a leftover hidden temp file is harmless.
            }
            catch (UnauthorizedAccessException)
            {
                // Same.
            }
            throw;
        }
    }
}
