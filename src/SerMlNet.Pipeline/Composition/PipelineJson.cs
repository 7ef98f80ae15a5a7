using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SerMlNet.Pipeline.Composition;

/// <summary>The JSON conventions of every file the pipeline layer reads and writes (camelCase, enums as strings, unknown fields rejected).</summary>
public static class PipelineJson
{
    /// <summary>Serializer options: camelCase names, camelCase enum strings, indented, unknown members are errors.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>Reads a stage's options from its JSON object (the <c>type</c> field ignored).</summary>
    /// <typeparam name="T">The options type.</typeparam>
    /// <param name="json">The stage object.</param>
    /// <param name="where">Where the object sits, for error messages (e.g. <c>stages[2]</c>).</param>
    /// <returns>The options.</returns>
    /// <exception cref="PipelineFormatException">A field is unknown or has the wrong type; the message names it.</exception>
    public static T ReadOptions<T>(JsonObject json, string where)
    {
        ArgumentNullException.ThrowIfNull(json);
        var copy = (JsonObject)json.DeepClone();
        copy.Remove("type");
        try
        {
            return copy.Deserialize<T>(Options) ?? throw new PipelineFormatException($"{where}: options are null");
        }
        catch (JsonException ex)
        {
            throw new PipelineFormatException($"{where}{ex.Path?.TrimStart('$')}: {ex.Message}", ex);
        }
    }
}

/// <summary>A pipeline or job file that cannot be read; the message names the bad field.</summary>
public sealed class PipelineFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    public PipelineFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="inner">The cause.</param>
    public PipelineFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
