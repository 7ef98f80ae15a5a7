using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Onnx;
using SerMlNet.Onnx.Export;
using SerMlNet.Onnx.Graph;
using SerMlNet.Pipeline.Features;

namespace SerMlNet.Onnx;

/// <summary>
/// Builds the clip-scoring graph that SerMlNet.ML's saved ML.NET model embeds: everything
/// <c>EmotionRecognizer</c> does with a log-Mel <c>model.onnx</c> after decoding and resampling, for one whole clip,
/// in one ONNX graph that needs no state outside itself.
/// <list type="bullet">
/// <item>Input <see cref="PcmInput"/>: float32 <c>[1, samples]</c>, the clip's untrimmed mono PCM at the model's
/// <c>sample_rate</c> (the pipeline's stages before <c>trim</c>, which only decode and resample).</item>
/// <item>In the graph: the model's fitted front end (<see cref="FrontEndDescriptionFactory.FromPipeline"/> of its
/// <c>frontend</c> metadata: trimming, log-Mel of the whole clip), the recogniser's windows
/// (one window of <c>Frames</c> when the clip has at most 1.5 × <c>Frames</c> frames, else windows half a window
/// apart, the last aligned to the end), normalisation, the model's own network (its nodes and weights copied from
/// <c>model.onnx</c>), and the mean of the windows' probabilities.</item>
/// <item>Outputs <see cref="ScoreOutput"/>: float32 <c>[classes]</c> mean probabilities in the order of the
/// <c>labels</c> metadata; <see cref="LabelOutput"/>: string <c>[1]</c>, the label of the largest of them (the first
/// on a tie), gathered from the labels held in the graph.</item>
/// </list>
/// Metadata: <see cref="FormatName"/> version <see cref="FormatVersion"/> (so <c>OnnxModel</c> does not take it for a
/// <c>model.onnx</c>), plus the model's <c>labels</c>, <c>frontend</c> and <c>sample_rate</c>. Stateless; thread-safe.
/// </summary>
public static class ClipScoringExporter
{
    /// <summary>Name of the PCM input, float32 <c>[1, samples]</c> at the model's sample rate.</summary>
    public const string PcmInput = "Pcm";

    /// <summary>Name of the float32 <c>[classes]</c> probabilities output (the mean over the clip's windows).</summary>
    public const string ScoreOutput = "Score";

    /// <summary>Name of the string <c>[1]</c> output holding the predicted label.</summary>
    public const string LabelOutput = "PredictedLabelText";

    /// <summary>Format name in the graph's metadata.</summary>
    public const string FormatName = "sermlnet.clip-scoring";

    /// <summary>Format version this library writes.</summary>
    public const int FormatVersion = 1;

    /// <summary>Builds the clip-scoring graph of a log-Mel model.</summary>
    /// <param name="modelPath">A SerMlNet <c>model.onnx</c> (input kind <c>log_mel</c>) whose <c>frontend</c> metadata holds its fitted pipeline.</param>
    /// <returns>The serialized graph with its sample rate and labels.</returns>
    /// <exception cref="ModelFileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidModelException">The file is not a log-Mel SerMlNet model, or its pipeline has a stage the graph cannot compute.</exception>
    public static ClipScoringGraph Build(string modelPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        if (!File.Exists(modelPath))
        {
            throw new ModelFileNotFoundException(modelPath);
        }
        ModelProto source;
        try
        {
            source = ModelProto.Parser.ParseFrom(File.ReadAllBytes(modelPath));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidModelException(modelPath, $"not an ONNX model ({e.Message})", e);
        }
        Dictionary<string, string> metadata = source.MetadataProps.GroupBy(p => p.Key).ToDictionary(p => p.Key, p => p.Last().Value);
        string Require(string key) => metadata.TryGetValue(key, out string? value)
            ? value
            : throw new InvalidModelException(modelPath, $"metadata '{key}' is missing");
        if (Require(OnnxMetadataKeys.Format) != OnnxMetadataKeys.FormatName || Require(OnnxMetadataKeys.InputKind) != OnnxMetadataKeys.InputKindLogMel)
        {
            throw new InvalidModelException(modelPath, $"the clip-scoring graph is built from a '{OnnxMetadataKeys.FormatName}' model with input kind '{OnnxMetadataKeys.InputKindLogMel}' (model.onnx)");
        }
        string[] labels = ReadLabels(modelPath, Require(OnnxMetadataKeys.Labels));
        string frontEndJson = Require(OnnxMetadataKeys.FrontEnd);
        FrontEndDescription fe = ReadFrontEnd(modelPath, frontEndJson);
        CheckNetwork(modelPath, source.Graph, fe, labels.Length);

        var g = new OnnxGraphBuilder("sermlnet_clip_scoring");
        string pcm = g.AddInput(PcmInput, 1L, OnnxMetadataKeys.SamplesDim);
        string lengths = g.Node("Shape", [pcm], [Attr.Int("start", 1), Attr.Int("end", 2)]);
        Decibels decibels = LogMelGraph.AppendDecibels(g, fe, pcm, lengths);
        string windows = ClipWindowGraph.Append(g, fe, decibels);
        string features = LogMelGraph.AppendNormalised(g, fe, windows);
        const string prefix = "network/";
        g.Import(source.Graph, prefix, new Dictionary<string, string> { [OnnxMetadataKeys.LogMelInput] = features });
        string probabilities = prefix + OnnxMetadataKeys.ProbabilitiesOutput;
        string score = g.Node("ReduceMean", [probabilities], [Attr.Ints("axes", 0), Attr.Int("keepdims", 0)], g.Claim(ScoreOutput));
        string best = g.Node("ArgMax", [score], [Attr.Int("axis", 0), Attr.Int("keepdims", 1), Attr.Int("select_last_index", 0)]);
        string label = g.Node("Gather", [g.AddStrings("labels", labels), best], [Attr.Int("axis", 0)], g.Claim(LabelOutput));
        g.AddOutput(score, (long)labels.Length);
        g.AddStringOutput(label, 1L);

        ModelProto model = g.ToModel(source.ProducerVersion, source.ModelVersion, "SerMlNet clip scoring: untrimmed PCM of one clip in, mean window probabilities and label out",
        [
            new(OnnxMetadataKeys.Format, FormatName),
            new(OnnxMetadataKeys.FormatVersion, FormatVersion.ToString(CultureInfo.InvariantCulture)),
            new(OnnxMetadataKeys.Labels, Require(OnnxMetadataKeys.Labels)),
            new(OnnxMetadataKeys.FrontEnd, frontEndJson),
            new(OnnxMetadataKeys.SampleRate, fe.SampleRate.ToString(CultureInfo.InvariantCulture)),
        ]);
        return new ClipScoringGraph(model.ToByteArray(), fe.SampleRate, labels);
    }

    private static string[] ReadLabels(string modelPath, string json)
    {
        try
        {
            string[]? labels = JsonSerializer.Deserialize(json, LabelsJsonContext.Default.IReadOnlyListString)?.ToArray();
            if (labels is { Length: > 0 } && labels.All(l => !string.IsNullOrWhiteSpace(l)))
            {
                return labels;
            }
        }
        catch (JsonException)
        {
        }
        throw new InvalidModelException(modelPath, $"metadata '{OnnxMetadataKeys.Labels}' is not a non-empty JSON array of labels");
    }

    /// <summary>
    /// The fitted front end's description. A <see cref="FittedFrontEnd"/> does nothing before trimming but decode and
    /// resample to its log-Mel rate, which is what the caller computes.
    /// </summary>
    private static FrontEndDescription ReadFrontEnd(string modelPath, string json)
    {
        try
        {
            return FrontEndDescriptionFactory.FromPipeline(FittedFrontEnd.FromJson(json));
        }
        catch (Exception e) when (e is (SerMlNetException and not InvalidModelException) or JsonException)
        {
            // A pipeline that does not parse or validate, or an OnnxValidationException from the description.
            throw new InvalidModelException(modelPath, $"metadata '{OnnxMetadataKeys.FrontEnd}': {e.Message}", e);
        }
    }

    private static void CheckNetwork(string modelPath, GraphProto graph, FrontEndDescription fe, int classes)
    {
        ValueInfoProto? input = graph.Input.FirstOrDefault(i => i.Name == OnnxMetadataKeys.LogMelInput);
        long[]? dims = input?.Type?.TensorType?.Shape?.Dim.Select(d => d.HasDimValue ? d.DimValue : -1).ToArray();
        if (dims is not [_, 1, var mels, var frames] || mels != fe.NMels || frames != fe.Frames)
        {
            throw new InvalidModelException(modelPath, $"the network must take '{OnnxMetadataKeys.LogMelInput}' [N, 1, {fe.NMels}, {fe.Frames}] (the pipeline's shape)");
        }
        ValueInfoProto? output = graph.Output.FirstOrDefault(o => o.Name == OnnxMetadataKeys.ProbabilitiesOutput);
        long[]? outDims = output?.Type?.TensorType?.Shape?.Dim.Select(d => d.HasDimValue ? d.DimValue : -1).ToArray();
        if (outDims is not [_, var width] || width != classes)
        {
            throw new InvalidModelException(modelPath, $"the network must output '{OnnxMetadataKeys.ProbabilitiesOutput}' [N, {classes}] (one per label)");
        }
    }
}

/// <summary>A clip-scoring graph built by <see cref="ClipScoringExporter.Build"/>. Immutable once built.</summary>
/// <param name="Model">The serialized ONNX model (not copied: do not change it).</param>
/// <param name="SampleRate">Rate in Hz of the PCM its <see cref="ClipScoringExporter.PcmInput"/> takes, e.g. 16000.</param>
/// <param name="Labels">Class labels in the order of its <see cref="ClipScoringExporter.ScoreOutput"/>.</param>
public sealed record ClipScoringGraph(byte[] Model, int SampleRate, IReadOnlyList<string> Labels);
