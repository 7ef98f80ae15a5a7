namespace SerMlNet.Onnx;

/// <summary>
/// Names of the <c>metadata_props</c> entries, inputs and outputs of the ONNX files SerMlNet writes. A file is a
/// SerMlNet model when <see cref="Format"/> is <see cref="FormatName"/>; <see cref="FormatVersion"/> changes whenever
/// the inputs, outputs or metadata change meaning.
/// </summary>
public static class OnnxMetadataKeys
{
    /// <summary>ModelProto <c>producer_name</c> of SerMlNet files.</summary>
    public const string ProducerName = "SerMlNet";

    /// <summary>Key of the format name; value <see cref="FormatName"/>.</summary>
    public const string Format = "format";

    /// <summary>The format name of SerMlNet emotion models.</summary>
    public const string FormatName = "sermlnet.emotion-cnn";

    /// <summary>Key of the format version; value <see cref="CurrentFormatVersion"/> as a decimal string.</summary>
    public const string FormatVersion = "format_version";

    /// <summary>
    /// The format version this library writes; it reads every version up to this one. 2: <c>model-e2e.onnx</c> takes
    /// <see cref="LengthsInput"/> beside <see cref="PcmInput"/> and records <see cref="TrimsSilence"/> (1: PCM only, never
    /// trimmed in the graph).
    /// </summary>
    public const int CurrentFormatVersion = 2;

    /// <summary>Key of the input kind: <see cref="InputKindLogMel"/> (<c>model.onnx</c>) or <see cref="InputKindPcm"/> (<c>model-e2e.onnx</c>).</summary>
    public const string InputKind = "input_kind";

    /// <summary>Input kind of models fed log-Mel features.</summary>
    public const string InputKindLogMel = "log_mel";

    /// <summary>Input kind of end-to-end models fed raw PCM.</summary>
    public const string InputKindPcm = "pcm";

    /// <summary>Key of the class labels, a JSON array of strings in output order, e.g. <c>["neutral","calm",...]</c>.</summary>
    public const string Labels = "labels";

    /// <summary>Key of the fitted front end (JSON, stored verbatim as given to the exporter).</summary>
    public const string FrontEnd = "frontend";

    /// <summary>Key of the training metrics (JSON, stored verbatim; absent when none were given).</summary>
    public const string Metrics = "metrics";

    /// <summary>Key of how the training data were split (the job's <c>data</c> section as JSON), so <c>ser evaluate --split test</c> can rebuild the test part.</summary>
    public const string DataSplit = "data_split";

    /// <summary>Key of the PCM sample rate in Hz (decimal string); end-to-end models only.</summary>
    public const string SampleRate = "sample_rate";

    /// <summary>
    /// Key saying whether the end-to-end graph trims leading and trailing silence itself (<c>librosa.effects.trim</c>
    /// with the pipeline's <c>trim</c> parameters, before the STFT): <c>"true"</c> or <c>"false"</c>; end-to-end models
    /// only (absent before format version 2, meaning <c>"false"</c>). When <c>"true"</c>, feed untrimmed PCM: trimming it
    /// beforehand as well is not idempotent (the edge frames of trimmed audio lose the samples outside the kept interval,
    /// so a second trim may cut another hop) and changes the answer for some clips.
    /// </summary>
    public const string TrimsSilence = "trims_silence";

    /// <summary>Input of <c>model.onnx</c>: float32 <c>[N, 1, n_mels, frames]</c>, N dynamic (<c>dim_param</c> "N").</summary>
    public const string LogMelInput = "log_mel";

    /// <summary>Input of <c>model-e2e.onnx</c>: float32 mono PCM <c>[N, samples]</c> at <see cref="SampleRate"/>, both dynamic.</summary>
    public const string PcmInput = "pcm";

    /// <summary>
    /// Input of <c>model-e2e.onnx</c> (format version 2 on): int64 <c>[N]</c>, the valid samples at the start of each row
    /// of <see cref="PcmInput"/> (clamped to [0, samples]); the samples after them are ignored, so rows of different
    /// lengths share one batch.
    /// </summary>
    public const string LengthsInput = "lengths";

    /// <summary>Output: float32 <c>[N, classes]</c> logits.</summary>
    public const string LogitsOutput = "logits";

    /// <summary>Output: float32 <c>[N, classes]</c> softmax of the logits.</summary>
    public const string ProbabilitiesOutput = "probabilities";

    /// <summary>Name of the symbolic batch dimension.</summary>
    public const string BatchDim = "N";

    /// <summary>Name of the symbolic sample dimension of <see cref="PcmInput"/>.</summary>
    public const string SamplesDim = "samples";
}
