namespace SerMlNet.Predict;

/// <summary>
/// Finds the model when <c>--model</c> is not given: <c>artifacts/model.onnx</c> in the current folder, else
/// <c>artifacts/model.onnx</c> of the repository checkout the executable was built in (the nearest folder above
/// the executable that holds <c>SerMlNet.sln</c>), so <c>src/Predict/bin/Release/net10.0/Predict</c> works from
/// anywhere. Stateless and thread-safe.
/// </summary>
internal static class ModelLocator
{
    /// <summary>The default model path, relative to a folder.</summary>
    public static readonly string DefaultRelativePath = Path.Combine("artifacts", "model.onnx");

    /// <summary>The model to load.</summary>
    /// <param name="given">The <c>--model</c> value, or null.</param>
    /// <returns><paramref name="given"/> when set, else the first default that exists.</returns>
    /// <exception cref="FileNotFoundException">No default model exists; the message lists where it looked.</exception>
    public static string Resolve(string? given)
    {
        if (!string.IsNullOrEmpty(given))
        {
            return given;
        }
        string inCurrent = Path.GetFullPath(DefaultRelativePath);
        if (File.Exists(inCurrent))
        {
            return inCurrent;
        }
        string? repository = FindRepository(AppContext.BaseDirectory);
        string? inRepository = repository is null ? null : Path.Combine(repository, DefaultRelativePath);
        if (inRepository is not null && File.Exists(inRepository))
        {
            return inRepository;
        }
        string looked = inRepository is null || inRepository == inCurrent ? $"'{inCurrent}'" : $"'{inCurrent}' nor at '{inRepository}'";
        throw new FileNotFoundException(
            $"no model at {looked}; pass --model <file.onnx> or export one with 'ser export --run runs/<name> -o artifacts/model.onnx'",
            inCurrent);
    }

    private static string? FindRepository(string start)
    {
        for (string? dir = start; !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "SerMlNet.sln")))
            {
                return dir;
            }
        }
        return null;
    }
}
