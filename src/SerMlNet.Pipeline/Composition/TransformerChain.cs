using System.Collections;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SerMlNet.Audio.Io;

namespace SerMlNet.Pipeline.Composition;

/// <summary>
/// A fitted pipeline: stages applied in order. It is what travels with a model (saved as JSON, format
/// <c>sermlnet-pipeline</c> version 1, with every stage's options and fitted state) and what training, evaluation
/// and inference all apply, so the features are the same everywhere. Thread-safe when its stages are.
/// </summary>
public sealed class TransformerChain : ITransformer, IReadOnlyList<ITransformer>
{
    /// <summary>Format name written in pipeline files.</summary>
    public const string FormatName = "sermlnet-pipeline";

    /// <summary>Format version written in pipeline files.</summary>
    public const int FormatVersion = 1;

    private readonly ITransformer[] _stages;

    /// <summary>Creates a chain.</summary>
    /// <param name="stages">The stages, in order.</param>
    public TransformerChain(IEnumerable<ITransformer> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        _stages = stages.ToArray();
    }

    /// <inheritdoc />
    public string StageType => "chain";

    /// <inheritdoc />
    public StageTraits Traits => _stages.Aggregate(StageTraits.None, (t, s) => t | s.Traits);

    /// <inheritdoc />
    public int Count => _stages.Length;

    /// <inheritdoc />
    public ITransformer this[int index] => _stages[index];

    /// <inheritdoc />
    public SampleSchema GetOutputSchema(SampleSchema input)
    {
        SampleSchema schema = input;
        foreach (ITransformer stage in _stages)
        {
            schema = stage.GetOutputSchema(schema);
        }
        return schema;
    }

    /// <inheritdoc />
    public Sample Transform(Sample input, TransformContext context)
    {
        Sample sample = input;
        foreach (ITransformer stage in _stages)
        {
            sample = stage.Transform(sample, context);
        }
        return sample;
    }

    /// <summary>Transforms one WAV file plainly (no augmentation): what inference does.</summary>
    /// <param name="wavPath">The file.</param>
    /// <returns>The final sample.</returns>
    public Sample TransformFile(string wavPath) => Transform(Sample.FromFile(wavPath), TransformContext.Plain);

    /// <summary>
    /// Splits the chain before the first stage that has any of <paramref name="traits"/>. With
    /// <c>Fitted | Online</c> the prefix is what may be cached: its output for a (clip, draw) never changes while its
    /// options do not. With <c>Online</c> the prefix is what may be computed once per training run.
    /// </summary>
    /// <param name="traits">The traits that end the prefix.</param>
    /// <returns>The prefix and the rest.</returns>
    public (TransformerChain Prefix, TransformerChain Remainder) SplitBefore(StageTraits traits)
    {
        int cut = Array.FindIndex(_stages, s => (s.Traits & traits) != 0);
        if (cut < 0)
        {
            cut = _stages.Length;
        }
        return (new TransformerChain(_stages[..cut]), new TransformerChain(_stages[cut..]));
    }

    /// <summary>The chain as a new chain with <paramref name="next"/> appended.</summary>
    /// <param name="next">The stage to add.</param>
    /// <returns>The new chain.</returns>
    public TransformerChain Append(ITransformer next) => new([.. _stages, next ?? throw new ArgumentNullException(nameof(next))]);

    /// <inheritdoc />
    public JsonObject Save()
    {
        var stages = new JsonArray();
        foreach (ITransformer stage in _stages)
        {
            JsonObject body = stage.Save();
            var entry = new JsonObject { ["type"] = stage.StageType };
            foreach ((string key, JsonNode? value) in body)
            {
                entry[key] = value?.DeepClone();
            }
            stages.Add((JsonNode)entry);
        }
        return new JsonObject { ["format"] = FormatName, ["version"] = FormatVersion, ["stages"] = stages };
    }

    /// <summary>The pipeline as indented JSON text.</summary>
    /// <returns>The JSON.</returns>
    public string ToJson() => Save().ToJsonString(PipelineJson.WriterOptions);

    /// <summary>SHA-256 (hex) of the canonical JSON: equal for equal options and state, so it keys caches.</summary>
    /// <returns>64 hex characters.</returns>
    public string ComputeHash() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Save().ToJsonString())));

    /// <summary>Saves the pipeline atomically.</summary>
    /// <param name="path">Destination, e.g. <c>runs/x/pipeline.json</c>.</param>
    public void SaveTo(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>Loads a pipeline file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The chain.</returns>
    /// <exception cref="PipelineFormatException">Not a pipeline file, or a stage is bad (the message names it).</exception>
    public static TransformerChain Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new PipelineFormatException($"pipeline file '{path}' does not exist");
        }
        try
        {
            return FromJson(File.ReadAllText(path));
        }
        catch (PipelineFormatException ex)
        {
            throw new PipelineFormatException($"'{path}': {ex.Message}", ex);
        }
    }

    /// <summary>Reads a pipeline from JSON text (as written by <see cref="ToJson"/>).</summary>
    /// <param name="json">The text.</param>
    /// <returns>The chain.</returns>
    /// <exception cref="PipelineFormatException">Malformed JSON, wrong format or version, or a bad stage.</exception>
    public static TransformerChain FromJson(string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json)?.AsObject() ?? throw new PipelineFormatException("empty pipeline JSON");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new PipelineFormatException($"not valid pipeline JSON: {ex.Message}", ex);
        }
        string? format = root["format"]?.GetValue<string>();
        int? version = root["version"]?.GetValue<int>();
        if (format != FormatName || version != FormatVersion)
        {
            throw new PipelineFormatException($"format is '{format}' version {version?.ToString() ?? "?"}, expected '{FormatName}' version {FormatVersion}");
        }
        if (root["stages"] is not JsonArray stages)
        {
            throw new PipelineFormatException("stages: missing (an array of stage objects)");
        }
        var loaded = new List<ITransformer>(stages.Count);
        for (int i = 0; i < stages.Count; i++)
        {
            if (stages[i] is not JsonObject stage)
            {
                throw new PipelineFormatException($"stages[{i}]: expected an object");
            }
            loaded.Add(StageRegistry.Load(stage, $"stages[{i}]"));
        }
        return new TransformerChain(loaded);
    }

    /// <inheritdoc />
    public IEnumerator<ITransformer> GetEnumerator() => ((IEnumerable<ITransformer>)_stages).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
