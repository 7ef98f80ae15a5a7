namespace SerMlNet.Onnx;

/// <summary>The command-line names of <see cref="ExecutionProvider"/> values: <c>cpu</c>, <c>cuda</c>, <c>auto</c>.</summary>
public static class ExecutionProviderNames
{
    /// <summary>All names, in enum order.</summary>
    public static IReadOnlyList<string> All { get; } = ["cpu", "cuda", "auto"];

    /// <summary>Parses a name (case-insensitive).</summary>
    /// <param name="name">cpu, cuda or auto.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentException">Any other name.</exception>
    public static ExecutionProvider Parse(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "cpu" => ExecutionProvider.Cpu,
        "cuda" => ExecutionProvider.Cuda,
        "auto" => ExecutionProvider.Auto,
        _ => throw new ArgumentException($"unknown execution provider '{name}' (use cpu, cuda or auto)", nameof(name)),
    };

    /// <summary>The name of a provider.</summary>
    /// <param name="provider">The provider.</param>
    /// <returns>cpu, cuda or auto.</returns>
    public static string Name(ExecutionProvider provider) => All[(int)provider];
}
