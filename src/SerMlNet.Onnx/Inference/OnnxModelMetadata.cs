namespace SerMlNet.Onnx;

/// <summary>The <c>metadata_props</c> of a SerMlNet model (keys in <see cref="OnnxMetadataKeys"/>). Immutable; thread-safe.</summary>
public sealed class OnnxModelMetadata
{
    internal OnnxModelMetadata(
        IReadOnlyList<string> labels,
        int formatVersion,
        string? frontEndJson,
        string? metricsJson,
        int? sampleRate,
        bool trimsSilence,
        string producerName,
        long modelVersion,
        IReadOnlyDictionary<string, string> all)
    {
        Labels = labels;
        FormatVersion = formatVersion;
        FrontEndJson = frontEndJson;
        MetricsJson = metricsJson;
        SampleRate = sampleRate;
        TrimsSilence = trimsSilence;
        ProducerName = producerName;
        ModelVersion = modelVersion;
        All = all;
    }

    /// <summary>Class labels in output order (index i is column i of <c>logits</c> / <c>probabilities</c>).</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The file's <see cref="OnnxMetadataKeys.FormatVersion"/>.</summary>
    public int FormatVersion { get; }

    /// <summary>The fitted front end (JSON, as exported), or null when the file has none.</summary>
    public string? FrontEndJson { get; }

    /// <summary>Training metrics (JSON, as exported), or null when the file has none.</summary>
    public string? MetricsJson { get; }

    /// <summary>PCM sample rate in Hz of end-to-end models; null for log-Mel models.</summary>
    public int? SampleRate { get; }

    /// <summary>
    /// Whether the end-to-end graph trims leading and trailing silence itself (<see cref="OnnxMetadataKeys.TrimsSilence"/>
    /// is <c>"true"</c>): feed it untrimmed PCM. False for log-Mel models and for end-to-end files that do not trim.
    /// </summary>
    public bool TrimsSilence { get; }

    /// <summary>ModelProto <c>producer_name</c> (<see cref="OnnxMetadataKeys.ProducerName"/> for SerMlNet files).</summary>
    public string ProducerName { get; }

    /// <summary>ModelProto <c>model_version</c>.</summary>
    public long ModelVersion { get; }

    /// <summary>Every <c>metadata_props</c> entry, including ones this library does not interpret.</summary>
    public IReadOnlyDictionary<string, string> All { get; }
}
