using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SerMlNet.Audio.Io;

namespace SerMlNet.Evaluation.Metrics;

/// <summary>
/// Reads and writes <c>metrics.json</c>: an <see cref="EvaluationResult"/> with snake_case keys, preceded by
/// <c>"format": "sermlnet.metrics"</c> and <c>"version": 1</c>. Every key is documented in <c>docs/metrics-json.md</c>.
/// Stateless; thread-safe.
/// </summary>
public static class MetricsJson
{
    /// <summary>The value of the <c>format</c> key.</summary>
    public const string FormatName = "sermlnet.metrics";

    /// <summary>The value of the <c>version</c> key this library writes and the highest it reads.</summary>
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        WriteIndented = true,
        // Labels and descriptors are plain text; keep non-ASCII readable (the file is UTF-8).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Serialises a result to JSON text.</summary>
    /// <param name="result">The result.</param>
    /// <returns>Indented JSON, <c>format</c> and <c>version</c> first.</returns>
    public static string Serialize(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        JsonObject body = JsonSerializer.SerializeToNode(result, SerializerOptions)!.AsObject();
        var root = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = FormatVersion,
        };
        foreach (string key in body.Select(p => p.Key).ToList())
        {
            JsonNode? value = body[key];
            body.Remove(key);
            root[key] = value;
        }
        return root.ToJsonString(SerializerOptions);
    }

    /// <summary>Parses JSON text written by <see cref="Serialize"/>.</summary>
    /// <param name="json">The text.</param>
    /// <param name="source">Where the text came from, for error messages.</param>
    /// <returns>The result.</returns>
    /// <exception cref="InvalidFileException">Not JSON, not this format, a newer version, or a required key missing.</exception>
    public static EvaluationResult Deserialize(string json, string source = "metrics JSON")
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            JsonObject root = JsonNode.Parse(json)?.AsObject()
                ?? throw new InvalidFileException($"{source}: the document is null, expected an object");
            string? format = root["format"]?.GetValue<string>();
            if (format != FormatName)
            {
                throw new InvalidFileException($"{source}: format is '{format ?? "(missing)"}', expected '{FormatName}'");
            }
            int version = root["version"]?.GetValue<int>() ?? 0;
            if (version < 1 || version > FormatVersion)
            {
                throw new InvalidFileException($"{source}: version {version} is not supported (this library reads 1 to {FormatVersion})");
            }
            root.Remove("format");
            root.Remove("version");
            return root.Deserialize<EvaluationResult>(SerializerOptions)
                ?? throw new InvalidFileException($"{source}: the document is empty");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidFileException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>Writes <c>metrics.json</c> atomically (temporary file, then rename).</summary>
    /// <param name="path">Destination file; its folder is created if missing.</param>
    /// <param name="result">The result.</param>
    public static void Write(string path, EvaluationResult result) => AtomicFile.WriteAllText(path, Serialize(result) + "\n");

    /// <summary>Reads a <c>metrics.json</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The result.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileException">The file is not a valid metrics document; the message names it.</exception>
    public static EvaluationResult Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"metrics file '{path}' does not exist", path);
        }
        return Deserialize(File.ReadAllText(path), $"metrics file '{path}'");
    }
}
