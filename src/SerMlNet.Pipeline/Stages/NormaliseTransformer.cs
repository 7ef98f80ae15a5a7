using System.Text.Json;
using System.Text.Json.Nodes;
using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Pipeline.Composition;

namespace SerMlNet.Pipeline.Stages;

/// <summary>
/// Applies fitted normalisation: per-band (x − mean[b]) / std[b], or a per-utterance z-score. Saves the statistics
/// in the pipeline JSON so inference normalises exactly as training did. Thread-safe.
/// </summary>
public sealed class NormaliseTransformer : ITransformer
{
    /// <summary>Registry name.</summary>
    public const string TypeName = "normalise";

    /// <summary>Creates the transformer.</summary>
    /// <param name="mode">The mode.</param>
    /// <param name="statistics">Per-band statistics; required in band mode, null otherwise.</param>
    public NormaliseTransformer(NormalisationMode mode, BandStatistics? statistics)
    {
        if ((mode == NormalisationMode.Band) != (statistics is not null))
        {
            throw new ArgumentException($"{mode} normalisation {(statistics is null ? "needs" : "takes no")} band statistics", nameof(statistics));
        }
        Mode = mode;
        Statistics = statistics;
    }

    /// <summary>The mode.</summary>
    public NormalisationMode Mode { get; }

    /// <summary>Fitted per-band statistics (band mode), else null.</summary>
    public BandStatistics? Statistics { get; }

    /// <inheritdoc />
    public string StageType => TypeName;

    /// <inheritdoc />
    public StageTraits Traits => Mode == NormalisationMode.Band ? StageTraits.Fitted : StageTraits.None;

    /// <inheritdoc />
    public SampleSchema GetOutputSchema(SampleSchema input)
    {
        input.Require(SampleKind.Features, TypeName);
        if (Statistics is not null && input.Rows is int rows && rows != Statistics.Bands)
        {
            throw new SchemaMismatchException($"stage '{TypeName}' was fitted on {Statistics.Bands} bands but receives {rows}");
        }
        return input;
    }

    /// <inheritdoc />
    public Sample Transform(Sample input, TransformContext context)
    {
        FeatureMatrix features = input.RequireFeatures(TypeName);
        if (Statistics is not null && features.Rows != Statistics.Bands)
        {
            throw new SchemaMismatchException($"stage '{TypeName}' was fitted on {Statistics.Bands} bands but receives {features.Rows}");
        }
        return input.With(Statistics is null ? ZScore.Apply(features) : Statistics.Apply(features));
    }

    /// <inheritdoc />
    public JsonObject Save()
    {
        var json = new JsonObject { ["mode"] = JsonSerializer.SerializeToNode(Mode, PipelineJsonContext.Default.NormalisationMode) };
        if (Statistics is not null)
        {
            json["count"] = Statistics.Count;
            json["mean"] = new JsonArray([.. Statistics.Mean.Select(v => (JsonNode)v)]);
            json["std"] = new JsonArray([.. Statistics.Std.Select(v => (JsonNode)v)]);
        }
        return json;
    }

    /// <summary>Loads the transformer from its JSON object.</summary>
    /// <param name="json">The stage object.</param>
    /// <returns>The transformer.</returns>
    public static NormaliseTransformer Load(JsonObject json)
    {
        var state = PipelineJson.ReadOptions(json, TypeName, PipelineJsonContext.Default.State);
        if (state.Mode == NormalisationMode.Utterance)
        {
            return new NormaliseTransformer(state.Mode, null);
        }
        if (state.Mean is null || state.Std is null || state.Mean.Length != state.Std.Length || state.Mean.Length == 0)
        {
            throw new PipelineFormatException($"{TypeName}: band mode needs 'mean' and 'std' arrays of equal, non-zero length");
        }
        return new NormaliseTransformer(state.Mode, new BandStatistics(state.Mean, state.Std, state.Count));
    }

    /// <summary>The stage's JSON object: mode and, in band mode, the fitted statistics.</summary>
    internal sealed class State
    {
        public NormalisationMode Mode { get; set; }

        public long Count { get; set; }

        public double[]? Mean { get; set; }

        public double[]? Std { get; set; }
    }
}
