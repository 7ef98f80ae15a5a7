namespace SerMlNet.Tests;

/// <summary>Locations tests read: the repository root and the read-only shared data beside it.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The repository root (the folder holding SerMlNet.sln).</summary>
    public static string Root => RootLazy.Value;

    /// <summary>The shared folder beside the repository (<c>../shared</c>), or <c>SERMLNET_SHARED</c> when set.</summary>
    public static string Shared
    {
        get
        {
            string path = Environment.GetEnvironmentVariable("SERMLNET_SHARED") is { Length: > 0 } env
                ? env
                : Path.GetFullPath(Path.Combine(Root, "..", "shared"));
            if (!Directory.Exists(path))
            {
                throw new DirectoryNotFoundException($"shared data folder '{path}' is missing: tests need ../shared (RAVDESS and golden vectors)");
            }
            return path;
        }
    }

    /// <summary>RAVDESS actors 01–20 at 16 kHz.</summary>
    public static string Ravdess16k => Path.Combine(Shared, "data", "ravdess-16k");

    /// <summary>Ten original 48 kHz RAVDESS files.</summary>
    public static string Ravdess48kSamples => Path.Combine(Shared, "data", "ravdess-48k-samples");

    /// <summary>librosa golden reference vectors.</summary>
    public static string Golden => Path.Combine(Shared, "golden");

    /// <summary>A fresh empty temporary folder, deleted when the returned handle is disposed.</summary>
    /// <returns>The handle; <see cref="TempFolder.Path"/> is the folder.</returns>
    public static TempFolder NewTempFolder() => new();

    private static string FindRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "SerMlNet.sln")))
            {
                return dir;
            }
        }
        throw new InvalidOperationException($"SerMlNet.sln not found above '{AppContext.BaseDirectory}'");
    }
}

/// <summary>A temporary folder removed on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    /// <summary>Creates the folder.</summary>
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sermlnet-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
