using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace SerMlNet.Pipeline.Features;

/// <summary>
/// The JSON conventions of every file the pipeline layer reads and writes (camelCase, enums as camelCase strings,
/// unknown fields rejected). The pipeline's own types are read and written through source-generated metadata, so
/// loading a pipeline needs no reflection (Native AOT safe). Thread-safe.
/// </summary>
public static class PipelineJson
{
    private static JsonSerializerOptions? _options;

    /// <summary>
    /// Serializer options with these conventions for any type: camelCase names, camelCase enum strings, indented,
    /// unknown members are errors. The pipeline's own types use their source-generated metadata; other types (a
    /// training job file, say) fall back to reflection, which is why this member is not for trimmed or Native AOT
    /// programs. Created on first use; read-only.
    /// </summary>
    public static JsonSerializerOptions Options
    {
        [RequiresUnreferencedCode("Types outside the pipeline layer are serialized through reflection.")]
        [RequiresDynamicCode("Types outside the pipeline layer are serialized through reflection.")]
        get
        {
            if (_options is null)
            {
                var options = new JsonSerializerOptions(PipelineJsonContext.Default.Options)
                {
                    TypeInfoResolver = JsonTypeInfoResolver.Combine(PipelineJsonContext.Default, new DefaultJsonTypeInfoResolver()),
                };
                options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
                options.MakeReadOnly();
                Interlocked.CompareExchange(ref _options, options, null);
            }
            return _options;
        }
    }

    /// <summary>Options for writing JSON text with these conventions (indented); no reflection.</summary>
    internal static JsonSerializerOptions WriterOptions => PipelineJsonContext.Default.Options;

    /// <summary>Reads a stage's options from its JSON object (the <c>type</c> field ignored), without reflection.</summary>
    /// <typeparam name="T">The options type.</typeparam>
    /// <param name="json">The stage object.</param>
    /// <param name="where">Where the object sits, for error messages (e.g. <c>stages[2]</c>).</param>
    /// <param name="typeInfo">
    /// The type's serialization metadata, e.g. from a <see cref="JsonSerializerContext"/> whose options follow these
    /// conventions (<c>[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    /// UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]</c>).
    /// </param>
    /// <returns>The options.</returns>
    /// <exception cref="PipelineFormatException">A field is unknown or has the wrong type; the message names it.</exception>
    internal static T ReadOptions<T>(JsonObject json, string where, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(typeInfo);
        var copy = (JsonObject)json.DeepClone();
        copy.Remove("type");
        try
        {
            return copy.Deserialize(typeInfo) ?? throw new PipelineFormatException($"{where}: options are null");
        }
        catch (JsonException ex)
        {
            throw new PipelineFormatException($"{where}{ex.Path?.TrimStart('$')}: {ex.Message}", ex);
        }
    }
}

/// <summary>A pipeline or job file that cannot be read; the message names the bad field.</summary>
public sealed class PipelineFormatException : SerMlNetException
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
