using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace SerMlNet.Pipeline.Composition;

/// <summary>
/// Maps a stage's <see cref="ITransformer.StageType"/> to the function that loads it from JSON, so a saved pipeline
/// can be read back. The built-in stages are registered on first use; register your own stages before loading a
/// pipeline that contains them. Thread-safe.
/// </summary>
public static class StageRegistry
{
    private static readonly ConcurrentDictionary<string, Func<JsonObject, ITransformer>> Loaders = new(StringComparer.Ordinal);

    static StageRegistry()
    {
        Stages.BuiltInStages.RegisterAll();
    }

    /// <summary>Registers (or replaces) the loader of a stage type.</summary>
    /// <param name="stageType">The type name written in the JSON.</param>
    /// <param name="load">Builds the transformer from its JSON object (options and state).</param>
    public static void Register(string stageType, Func<JsonObject, ITransformer> load)
    {
        ArgumentException.ThrowIfNullOrEmpty(stageType);
        ArgumentNullException.ThrowIfNull(load);
        Loaders[stageType] = load;
    }

    /// <summary>The registered stage types.</summary>
    public static IReadOnlyCollection<string> StageTypes => Loaders.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Loads one stage from its JSON object.</summary>
    /// <param name="json">The object, with a <c>type</c> field.</param>
    /// <param name="where">Where it sits, for messages (e.g. <c>stages[1]</c>).</param>
    /// <returns>The transformer.</returns>
    /// <exception cref="PipelineFormatException">No or unknown type, or bad options.</exception>
    public static ITransformer Load(JsonObject json, string where)
    {
        ArgumentNullException.ThrowIfNull(json);
        string? type = json["type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? json["type"]!.GetValue<string>() : null;
        if (type is null)
        {
            throw new PipelineFormatException($"{where}.type: missing (a string naming the stage)");
        }
        if (!Loaders.TryGetValue(type, out Func<JsonObject, ITransformer>? load))
        {
            throw new PipelineFormatException($"{where}.type: unknown stage '{type}' (known: {string.Join(", ", StageTypes)}; register custom stages with StageRegistry.Register)");
        }
        try
        {
            return load(json);
        }
        catch (Exception ex) when (ex is not PipelineFormatException)
        {
            throw new PipelineFormatException($"{where} ({type}): {ex.Message}", ex);
        }
    }
}
