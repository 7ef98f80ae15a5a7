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
/// <item><see cref="Export"/> — <c>model.onnx</c>: input <c>log_mel</c> <c>[N, 1, n_mels, frames]</c>;</item>
/// <item><see cref="ExportEndToEnd"/> — <c>model-e2e.onnx</c>: inputs <c>pcm</c> <c>[N, samples]</c> and <c>lengths</c>
/// <c>[N]</c> (valid samples per row), the front end (silence trimming when the pipeline trims, log-Mel, fixed length,
/// normalisation) computed inside the graph.</item>
/// </list>
/// Both have outputs <c>logits</c> and <c>probabilities</c> (softmax) <c>[N, classes]</c> and carry the labels, front end
/// and metrics in <c>metadata_props</c> (keys in <see cref="OnnxMetadataKeys"/>). Files are written atomically. Stateless
/// and thread-safe.
/// </summary>
public static class OnnxExporter
{
    /// <summary>Exports the network fed log-Mel features (<c>model.onnx</c>).</summary>
    /// <param name="cnn">The network and its input geometry.</param>
    /// <param name="options">Labels and metadata.</param>
    /// <param name="path">Output file; replaced atomically when it exists.</param>
    /// <exception cref="OnnxValidationException">The description or options are invalid (every problem listed).</exception>
    public static void Export(CnnDescription cnn, OnnxExportOptions options, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ModelProto model = BuildModel(cnn, options);
        AtomicFile.Write(path, model.WriteTo);
    }

    /// <summary>Exports the end-to-end network fed raw PCM at <see cref="FrontEndDescription.SampleRate"/> (<c>model-e2e.onnx</c>).</summary>
    /// <param name="cnn">The network; its <see cref="CnnDescription.NMels"/> and <see cref="CnnDescription.Frames"/> must match <paramref name="frontEnd"/>.</param>
    /// <param name="frontEnd">The fitted front end built into the graph.</param>
    /// <param name="options">Labels and metadata.</param>
    /// <param name="path">Output file; replaced atomically when it exists.</param>
    /// <exception cref="OnnxValidationException">The description, front end or options are invalid (every problem listed).</exception>
    public static void ExportEndToEnd(CnnDescription cnn, FrontEndDescription frontEnd, OnnxExportOptions options, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ModelProto model = BuildEndToEndModel(cnn, frontEnd, options);
        AtomicFile.Write(path, model.WriteTo);
    }

    /// <summary>Builds the <c>model.onnx</c> graph in memory.</summary>
    /// <param name="cnn">The network.</param>
    /// <param name="options">Labels and metadata.</param>
    /// <returns>The model.</returns>
    internal static ModelProto BuildModel(CnnDescription cnn, OnnxExportOptions options)
    {
        Validate(cnn, null, options);
        var g = new OnnxGraphBuilder("sermlnet_cnn");
        string input = g.AddInput(OnnxMetadataKeys.LogMelInput, OnnxMetadataKeys.BatchDim, 1L, (long)cnn.NMels, (long)cnn.Frames);
        AppendHead(g, cnn, input, options.ClassLabels.Count);
        return g.ToModel(options.ProducerVersion, options.ModelVersion, options.Description, Metadata(options, OnnxMetadataKeys.InputKindLogMel, null));
    }

    /// <summary>Builds the <c>model-e2e.onnx</c> graph in memory.</summary>
    /// <param name="cnn">The network.</param>
    /// <param name="frontEnd">The front end.</param>
    /// <param name="options">Labels and metadata.</param>
    /// <returns>The model.</returns>
    internal static ModelProto BuildEndToEndModel(CnnDescription cnn, FrontEndDescription frontEnd, OnnxExportOptions options)
    {
        Validate(cnn, frontEnd, options);
        var g = new OnnxGraphBuilder("sermlnet_cnn_e2e");
        string pcm = g.AddInput(OnnxMetadataKeys.PcmInput, OnnxMetadataKeys.BatchDim, OnnxMetadataKeys.SamplesDim);
        string lengths = g.AddInt64Input(OnnxMetadataKeys.LengthsInput, OnnxMetadataKeys.BatchDim);
        string features = LogMelGraph.Append(g, frontEnd, pcm, lengths, g.Claim(OnnxMetadataKeys.LogMelInput));
        AppendHead(g, cnn, features, options.ClassLabels.Count);
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

    private static void AppendHead(OnnxGraphBuilder g, CnnDescription cnn, string input, int classes)
    {
        string logits = g.Claim(OnnxMetadataKeys.LogitsOutput);
        CnnGraph.Append(g, cnn, input, logits);
        string probabilities = g.Node("Softmax", [logits], [Attr.Int("axis", -1)], g.Claim(OnnxMetadataKeys.ProbabilitiesOutput));
        g.AddOutput(logits, OnnxMetadataKeys.BatchDim, (long)classes);
        g.AddOutput(probabilities, OnnxMetadataKeys.BatchDim, (long)classes);
    }

    private static void Validate(CnnDescription cnn, FrontEndDescription? frontEnd, OnnxExportOptions options)
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
        int? classes = CnnGraph.Check(cnn, errors);
        if (classes is int n && options?.ClassLabels is { Count: > 0 } labels)
        {
            errors.Require(n == labels.Count, $"the network outputs {n} logits but {labels.Count} class labels were given");
        }
        if (frontEnd is not null)
        {
            frontEnd.AddErrors(errors);
            if (cnn is not null)
            {
                errors.Require(frontEnd.NMels == cnn.NMels, $"the front end yields {frontEnd.NMels} Mel bands but the network expects {cnn.NMels}");
                errors.Require(frontEnd.Frames == cnn.Frames, $"the front end yields {frontEnd.Frames} frames but the network expects {cnn.Frames}");
            }
        }
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
