using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Onnx;
using SerMlNet.Onnx.Export;
using SerMlNet.Audio.Io;
using SerMlNet.Onnx.Graph;

namespace SerMlNet.Onnx;

/// <summary>
/// Writes SerMlNet emotion models as standard ONNX files (opset 17, IR 8, float32, weights as initializers):
/// <list type="bullet">
/// <item><see cref="Export(CnnDescription, OnnxExportOptions, string)"/> — <c>model.onnx</c>: input <c>log_mel</c> <c>[N, 1, n_mels, frames]</c>;</item>
/// <item><see cref="ExportEndToEnd(CnnDescription, FrontEndDescription, OnnxExportOptions, string)"/> — <c>model-e2e.onnx</c>: inputs <c>pcm</c> <c>[N, samples]</c> and <c>lengths</c>
/// <c>[N]</c> (valid samples per row), the front end (silence trimming when the pipeline trims, log-Mel, fixed length,
/// normalisation) computed inside the graph.</item>
/// </list>
/// Both have outputs <c>logits</c> and <c>probabilities</c> (softmax) <c>[N, classes]</c> and carry the labels, front end
/// and metrics in <c>metadata_props</c> (keys in <see cref="OnnxMetadataKeys"/>). Each also takes several networks with
/// the same input geometry and classes (an ensemble, e.g. one job trained with several seeds): they share the input (and
/// the end-to-end front end), <c>probabilities</c> is the mean of their softmax outputs and <c>logits</c> its natural
/// log (floored at <see cref="EnsembleProbabilityFloor"/>), so <c>softmax(logits) = probabilities</c> still holds.
/// Files are written atomically. Stateless and thread-safe.
/// </summary>
public static class OnnxExporter
{
    /// <summary>Exports the network fed log-Mel features (<c>model.onnx</c>).</summary>
    /// <param name="cnn">The network and its input geometry.</param>
    /// <param name="options">Labels and metadata.</param>
    /// <param name="path">Output file; replaced atomically when it exists.</param>
    /// <exception cref="OnnxValidationException">The description or options are invalid (every problem listed).</exception>
    public static void Export(CnnDescription cnn, OnnxExportOptions options, string path) => Export([cnn], options, path);

    /// <summary>Exports an ensemble fed log-Mel features (<c>model.onnx</c>): the mean of the members' probabilities.</summary>
    /// <param name="members">The networks, at least one, all with the same input geometry and number of classes; one member gives exactly <see cref="Export(CnnDescription, OnnxExportOptions, string)"/>'s graph.</param>
    /// <param name="options">Labels and metadata.</param>
    /// <param name="path">Output file; replaced atomically when it exists.</param>
    /// <exception cref="OnnxValidationException">A description or the options are invalid, or the members disagree (every problem listed).</exception>
    public static void Export(IReadOnlyList<CnnDescription> members, OnnxExportOptions options, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ModelProto model = BuildModel(members, options);
        AtomicFile.Write(path, model.WriteTo);
    }

    /// <summary>Exports the end-to-end network fed raw PCM at <see cref="FrontEndDescription.SampleRate"/> (<c>model-e2e.onnx</c>).</summary>
    /// <param name="cnn">The network; its <see cref="CnnDescription.NMels"/> and <see cref="CnnDescription.Frames"/> must match <paramref name="frontEnd"/>.</param>
    /// <param name="frontEnd">The fitted front end built into the graph.</param>
    /// <param name="options">Labels and metadata.</param>
    /// <param name="path">Output file; replaced atomically when it exists.</param>
    /// <exception cref="OnnxValidationException">The description, front end or options are invalid (every problem listed).</exception>
    public static void ExportEndToEnd(CnnDescription cnn, FrontEndDescription frontEnd, OnnxExportOptions options, string path) =>
        ExportEndToEnd([cnn], frontEnd, options, path);

    /// <summary>Exports an ensemble fed raw PCM (<c>model-e2e.onnx</c>): one front end, the mean of the members' probabilities.</summary>
    /// <param name="members">The networks, at least one, all matching <paramref name="frontEnd"/>'s geometry and with the same number of classes.</param>
    /// <param name="frontEnd">The fitted front end built into the graph (shared by every member).</param>
    /// <param name="options">Labels and metadata.</param>
    /// <param name="path">Output file; replaced atomically when it exists.</param>
    /// <exception cref="OnnxValidationException">A description, the front end or the options are invalid, or the members disagree (every problem listed).</exception>
    public static void ExportEndToEnd(IReadOnlyList<CnnDescription> members, FrontEndDescription frontEnd, OnnxExportOptions options, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ModelProto model = BuildEndToEndModel(members, frontEnd, options);
        AtomicFile.Write(path, model.WriteTo);
    }

    /// <summary>The smallest mean probability an ensemble's <c>logits</c> output takes the log of (1e-30), so that a class
    /// every member rules out (softmax underflowing to 0) gets a finite logit instead of minus infinity.</summary>
    public const float EnsembleProbabilityFloor = 1e-30f;

    /// <summary>Builds the <c>model.onnx</c> graph in memory.</summary>
    /// <param name="cnn">The network.</param>
    /// <param name="options">Labels and metadata.</param>
    /// <returns>The model.</returns>
    internal static ModelProto BuildModel(CnnDescription cnn, OnnxExportOptions options) => BuildModel([cnn], options);

    /// <summary>Builds the <c>model.onnx</c> graph of one network or an ensemble in memory.</summary>
    /// <param name="members">The networks.</param>
    /// <param name="options">Labels and metadata.</param>
    /// <returns>The model.</returns>
    internal static ModelProto BuildModel(IReadOnlyList<CnnDescription> members, OnnxExportOptions options)
    {
        Validate(members, null, options);
        var g = new OnnxGraphBuilder("sermlnet_cnn");
        string input = g.AddInput(OnnxMetadataKeys.LogMelInput, OnnxMetadataKeys.BatchDim, 1L, (long)members[0].NMels, (long)members[0].Frames);
        AppendHead(g, members, input, options.ClassLabels.Count);
        return g.ToModel(options.ProducerVersion, options.ModelVersion, options.Description, Metadata(options, OnnxMetadataKeys.InputKindLogMel, null));
    }

    /// <summary>Builds the <c>model-e2e.onnx</c> graph in memory.</summary>
    /// <param name="cnn">The network.</param>
    /// <param name="frontEnd">The front end.</param>
    /// <param name="options">Labels and metadata.</param>
    /// <returns>The model.</returns>
    internal static ModelProto BuildEndToEndModel(CnnDescription cnn, FrontEndDescription frontEnd, OnnxExportOptions options) =>
        BuildEndToEndModel([cnn], frontEnd, options);

    /// <summary>Builds the <c>model-e2e.onnx</c> graph of one network or an ensemble in memory.</summary>
    /// <param name="members">The networks.</param>
    /// <param name="frontEnd">The front end.</param>
    /// <param name="options">Labels and metadata.</param>
    /// <returns>The model.</returns>
    internal static ModelProto BuildEndToEndModel(IReadOnlyList<CnnDescription> members, FrontEndDescription frontEnd, OnnxExportOptions options)
    {
        Validate(members, frontEnd, options);
        var g = new OnnxGraphBuilder("sermlnet_cnn_e2e");
        string pcm = g.AddInput(OnnxMetadataKeys.PcmInput, OnnxMetadataKeys.BatchDim, OnnxMetadataKeys.SamplesDim);
        string lengths = g.AddInt64Input(OnnxMetadataKeys.LengthsInput, OnnxMetadataKeys.BatchDim);
        string features = LogMelGraph.Append(g, frontEnd, pcm, lengths, g.Claim(OnnxMetadataKeys.LogMelInput));
        AppendHead(g, members, features, options.ClassLabels.Count);
        return g.ToModel(options.ProducerVersion, options.ModelVersion, options.Description, Metadata(options, OnnxMetadataKeys.InputKindPcm, frontEnd));
    }

    /// <summary>Builds a graph holding only the front end (inputs <c>pcm</c> and <c>lengths</c>, output <c>log_mel</c> <c>[N, 1, NMels, Frames]</c>), for checking it against a reference.</summary>
    /// <param name="frontEnd">The front end.</param>
    /// <returns>The model.</returns>
    internal static ModelProto BuildFrontEndModel(FrontEndDescription frontEnd)
    {
        frontEnd.Validate();
        var g = new OnnxGraphBuilder("sermlnet_log_mel");
        string pcm = g.AddInput(OnnxMetadataKeys.PcmInput, OnnxMetadataKeys.BatchDim, OnnxMetadataKeys.SamplesDim);
        string lengths = g.AddInt64Input(OnnxMetadataKeys.LengthsInput, OnnxMetadataKeys.BatchDim);
        string features = LogMelGraph.Append(g, frontEnd, pcm, lengths, g.Claim(OnnxMetadataKeys.LogMelInput));
        g.AddOutput(features, OnnxMetadataKeys.BatchDim, 1L, (long)frontEnd.NMels, (long)frontEnd.Frames);
        return g.ToModel("0", 1, "log-Mel front end only", []);
    }

    private static void AppendHead(OnnxGraphBuilder g, IReadOnlyList<CnnDescription> members, string input, int classes)
    {
        string logits, probabilities;
        if (members.Count == 1)
        {
            logits = g.Claim(OnnxMetadataKeys.LogitsOutput);
            CnnGraph.Append(g, members[0], input, logits);
            probabilities = g.Node("Softmax", [logits], [Attr.Int("axis", -1)], g.Claim(OnnxMetadataKeys.ProbabilitiesOutput));
        }
        else
        {
            var memberProbabilities = new string[members.Count];
            for (int k = 0; k < members.Count; k++)
            {
                string memberLogits = g.Reserve($"member{k}_logits");
                CnnGraph.Append(g, members[k], input, memberLogits);
                memberProbabilities[k] = g.Node("Softmax", [memberLogits], [Attr.Int("axis", -1)]);
            }
            probabilities = g.Node("Mean", memberProbabilities, null, g.Claim(OnnxMetadataKeys.ProbabilitiesOutput));
            string floored = g.Node("Max", [probabilities, g.AddScalar("ensemble_floor", EnsembleProbabilityFloor)]);
            logits = g.Node("Log", [floored], null, g.Claim(OnnxMetadataKeys.LogitsOutput));
        }
        g.AddOutput(logits, OnnxMetadataKeys.BatchDim, (long)classes);
        g.AddOutput(probabilities, OnnxMetadataKeys.BatchDim, (long)classes);
    }

    private static void Validate(IReadOnlyList<CnnDescription> members, FrontEndDescription? frontEnd, OnnxExportOptions options)
    {
        var errors = new ValidationErrors("ONNX export");
        if (options is null)
        {
            errors.Add("options are missing");
        }
        else
        {
            options.AddErrors(errors);
        }
        if (members is null || members.Count == 0)
        {
            errors.Add("no network to export (an ensemble needs at least one member)");
            errors.ThrowIfAny();
            return;
        }
        string Whose(int k) => members.Count == 1 ? "the network" : $"member {k + 1} of {members.Count}";
        CnnDescription? first = members[0];
        for (int k = 0; k < members.Count; k++)
        {
            CnnDescription cnn = members[k];
            int? classes = CnnGraph.Check(cnn, errors);
            if (classes is int n && options?.ClassLabels is { Count: > 0 } labels)
            {
                errors.Require(n == labels.Count, $"{Whose(k)} outputs {n} logits but {labels.Count} class labels were given");
            }
            if (cnn is not null && k > 0 && first is not null)
            {
                errors.Require(cnn.NMels == first.NMels && cnn.Frames == first.Frames,
                    $"{Whose(k)} expects {cnn.NMels} x {cnn.Frames} inputs but member 1 expects {first.NMels} x {first.Frames}; an ensemble's members share one input");
            }
            if (frontEnd is not null && cnn is not null)
            {
                errors.Require(frontEnd.NMels == cnn.NMels, $"the front end yields {frontEnd.NMels} Mel bands but {Whose(k)} expects {cnn.NMels}");
                errors.Require(frontEnd.Frames == cnn.Frames, $"the front end yields {frontEnd.Frames} frames but {Whose(k)} expects {cnn.Frames}");
            }
        }
        frontEnd?.AddErrors(errors);
        errors.ThrowIfAny();
    }

    private static List<KeyValuePair<string, string>> Metadata(OnnxExportOptions options, string inputKind, FrontEndDescription? frontEnd)
    {
        var m = new List<KeyValuePair<string, string>>
        {
            new(OnnxMetadataKeys.Format, OnnxMetadataKeys.FormatName),
            new(OnnxMetadataKeys.FormatVersion, OnnxMetadataKeys.CurrentFormatVersion.ToString(CultureInfo.InvariantCulture)),
            new(OnnxMetadataKeys.InputKind, inputKind),
            new(OnnxMetadataKeys.Labels, JsonSerializer.Serialize(options.ClassLabels, LabelsJsonContext.Default.IReadOnlyListString)),
            new(OnnxMetadataKeys.FrontEnd, options.FrontEndJson),
        };
        if (options.MetricsJson is not null)
        {
            m.Add(new(OnnxMetadataKeys.Metrics, options.MetricsJson));
        }
        if (options.DataSplitJson is not null)
        {
            m.Add(new(OnnxMetadataKeys.DataSplit, options.DataSplitJson));
        }
        if (frontEnd is not null)
        {
            m.Add(new(OnnxMetadataKeys.SampleRate, frontEnd.SampleRate.ToString(CultureInfo.InvariantCulture)));
            m.Add(new(OnnxMetadataKeys.TrimsSilence, frontEnd.Trim is null ? "false" : "true"));
        }
        return m;
    }
}
