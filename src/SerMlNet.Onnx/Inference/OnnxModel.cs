using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using SerMlNet.Onnx.Export;
using SerMlNet.Onnx.Inference;

namespace SerMlNet.Onnx;

/// <summary>
/// A SerMlNet ONNX model loaded into one ONNX Runtime session, created once and reused by every call. Reads the
/// labels, front end and metrics from <c>metadata_props</c>; runs batches of log-Mel features (<c>model.onnx</c>) or
/// raw PCM (<c>model-e2e.onnx</c>) on the CPU or CUDA provider. Inputs and outputs are handed to ONNX Runtime without
/// copying (<see cref="OrtValue.CreateTensorValueFromMemory{T}(OrtMemoryInfo, Memory{T}, long[])"/> over the caller's
/// memory, pinned for the duration of the call only).
/// <para>Thread-safe: <c>Run</c> and <see cref="Predict"/> may be called from several threads at once (ONNX
/// Runtime sessions are); <see cref="Dispose"/> must not race with them. For a hot loop on one thread, use
/// <see cref="CreatePredictor"/>.</para>
/// <para>Cold start: nothing heavy runs before <see cref="Load"/>; it loads the native library, parses the model and
/// optimises the graph once.</para>
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private static readonly string[] OutputNames = [OnnxMetadataKeys.LogitsOutput, OnnxMetadataKeys.ProbabilitiesOutput];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly string[] _inputNames;
    private readonly long _valuesPerExample;
    private int _disposed;

    private OnnxModel(string path, InferenceSession session, ExecutionProvider requested, ExecutionProvider active, string? fallbackReason)
    {
        ModelPath = path;
        _session = session;
        RequestedProvider = requested;
        Provider = active;
        ProviderFallbackReason = fallbackReason;
        try
        {
            (InputKind, InputName, InputShape, HasLengthsInput) = ReadInput(path, session);
            Metadata = ReadMetadata(path, session, InputKind);
            CheckOutputs(path, session, Metadata.Labels.Count);
        }
        catch
        {
            session.Dispose();
            throw;
        }
        _inputNames = HasLengthsInput ? [InputName, OnnxMetadataKeys.LengthsInput] : [InputName];
        _valuesPerExample = InputKind == ModelInputKind.LogMel ? InputShape[1] * InputShape[2] * InputShape[3] : 0;
        _runOptions = new RunOptions();
    }

    /// <summary>The model file (full path).</summary>
    public string ModelPath { get; }

    /// <summary>Labels, front end, metrics and the rest of <c>metadata_props</c>.</summary>
    public OnnxModelMetadata Metadata { get; }

    /// <summary>Class labels in output order (shortcut for <see cref="OnnxModelMetadata.Labels"/>).</summary>
    public IReadOnlyList<string> Labels => Metadata.Labels;

    /// <summary>Number of classes (columns of the outputs).</summary>
    public int ClassCount => Metadata.Labels.Count;

    /// <summary>What the model is fed.</summary>
    public ModelInputKind InputKind { get; }

    /// <summary>Name of the model's input (<c>log_mel</c> or <c>pcm</c>).</summary>
    public string InputName { get; }

    /// <summary>The input's shape; -1 marks a dynamic dimension (the batch, and the samples of a PCM model).</summary>
    public IReadOnlyList<long> InputShape { get; }

    /// <summary>
    /// Whether the model takes <see cref="OnnxMetadataKeys.LengthsInput"/> (end-to-end files of format version 2 on):
    /// rows of one batch may then hold different numbers of valid samples (<see cref="Run(ReadOnlyMemory{float}, ReadOnlyMemory{long}, int, Memory{float}, Memory{float})"/>).
    /// </summary>
    public bool HasLengthsInput { get; }

    /// <summary>Values per example of a log-Mel model (<c>n_mels × frames</c>); null for PCM models, which take any length (the same for every example of one batch).</summary>
    public int? ValuesPerExample => InputKind == ModelInputKind.LogMel ? (int)_valuesPerExample : null;

    /// <summary>The provider that was asked for.</summary>
    public ExecutionProvider RequestedProvider { get; }

    /// <summary>The provider the session runs on: <see cref="ExecutionProvider.Cpu"/> or <see cref="ExecutionProvider.Cuda"/>.</summary>
    public ExecutionProvider Provider { get; }

    /// <summary>Why <see cref="ExecutionProvider.Auto"/> fell back to the CPU (what was missing), or null when it did not.</summary>
    public string? ProviderFallbackReason { get; }

    /// <summary>Loads a model and creates its session.</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="options">Session set-up; null for the defaults (CPU).</param>
    /// <returns>The model; dispose it to free the session.</returns>
    /// <exception cref="ModelFileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidModelException">The file is corrupt, not ONNX, or not a SerMlNet model.</exception>
    /// <exception cref="ExecutionProviderUnavailableException"><see cref="ExecutionProvider.Cuda"/> was asked for and cannot run; the exception names what is missing.</exception>
    /// <exception cref="OnnxValidationException"><paramref name="options"/> are invalid.</exception>
    public static OnnxModel Load(string path, OnnxModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new OnnxModelOptions();
        options.Validate();
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ModelFileNotFoundException(full);
        }
        OrtRuntime.EnsureEnvironment();

        ExecutionProvider requested = options.ExecutionProvider;
        string? fallback = null;
        if (requested != ExecutionProvider.Cpu)
        {
            var (missing, explanation) = CudaProviderProbe.Probe();
            if (missing.Count == 0)
            {
                try
                {
                    InferenceSession cuda = CreateSession(full, options, useCuda: true);
                    options.Log?.Invoke($"ONNX Runtime: CUDA execution provider on device {options.CudaDeviceId}");
                    return new OnnxModel(full, cuda, requested, ExecutionProvider.Cuda, null);
                }
                catch (OnnxRuntimeException e)
                {
                    // Tell a bad model from a CUDA failure: if the CPU cannot load it either, the model is at fault.
                    InferenceSession cpu = CreateCpuSessionOrThrowInvalid(full, options);
                    if (requested == ExecutionProvider.Cuda)
                    {
                        cpu.Dispose();
                        throw new ExecutionProviderUnavailableException(ExecutionProvider.Cuda, [],
                            $"CUDA execution provider unavailable: ONNX Runtime could not start it on device {options.CudaDeviceId} (is there an NVIDIA GPU and a working driver?): {e.Message}", e);
                    }
                    fallback = $"CUDA execution provider failed to start on device {options.CudaDeviceId}: {e.Message}";
                    return Fallback(full, cpu, options, fallback);
                }
            }
            string reason = "CUDA execution provider unavailable: " + explanation;
            if (requested == ExecutionProvider.Cuda)
            {
                throw new ExecutionProviderUnavailableException(ExecutionProvider.Cuda, missing, reason);
            }
            fallback = reason;
        }
        InferenceSession session = CreateCpuSessionOrThrowInvalid(full, options);
        return fallback is null
            ? new OnnxModel(full, session, requested, ExecutionProvider.Cpu, null)
            : Fallback(full, session, options, fallback);
    }

    /// <summary>
    /// Runs a batch, writing into caller-owned buffers. Nothing is copied: ONNX Runtime reads <paramref name="input"/>
    /// and writes <paramref name="logits"/> and <paramref name="probabilities"/> in place; the memory is pinned only
    /// while this call runs.
    /// </summary>
    /// <param name="input">
    /// Row-major examples: for a log-Mel model <c>batchSize × n_mels × frames</c> values (<c>[N, 1, n_mels, frames]</c>,
    /// band-major within an example); for a PCM model <c>batchSize × samples</c> mono samples at
    /// <see cref="OnnxModelMetadata.SampleRate"/>, all examples of the same length.
    /// </param>
    /// <param name="batchSize">Examples in <paramref name="input"/>; at least 1.</param>
    /// <param name="logits">Receives <c>[batchSize, ClassCount]</c> logits (row-major); at least that long.</param>
    /// <param name="probabilities">Receives <c>[batchSize, ClassCount]</c> probabilities; at least that long.</param>
    /// <exception cref="ArgumentException">The sizes do not fit the model.</exception>
    /// <exception cref="OnnxModelException">ONNX Runtime failed (its message is included).</exception>
    public void Run(ReadOnlyMemory<float> input, int batchSize, Memory<float> logits, Memory<float> probabilities)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        long[] shape = InputShapeFor(input.Length, batchSize);
        long[]? lengths = null;
        if (HasLengthsInput)
        {
            // Every row is valid to its end.
            lengths = new long[batchSize];
            Array.Fill(lengths, shape[1]);
        }
        RunCore(input, shape, lengths is null ? (ReadOnlyMemory<long>?)null : lengths, logits, probabilities);
    }

    /// <summary>
    /// Runs a batch of PCM rows that hold different numbers of valid samples (padded to one length): row <c>i</c> is
    /// <c>lengths[i]</c> samples followed by padding the graph ignores. Nothing is copied, as for
    /// <see cref="Run(ReadOnlyMemory{float}, int, Memory{float}, Memory{float})"/>.
    /// </summary>
    /// <param name="input"><c>batchSize × samples</c> mono samples at <see cref="OnnxModelMetadata.SampleRate"/>, row-major.</param>
    /// <param name="lengths"><c>batchSize</c> valid sample counts, each in [0, samples].</param>
    /// <param name="batchSize">Rows in <paramref name="input"/>; at least 1.</param>
    /// <param name="logits">Receives <c>[batchSize, ClassCount]</c> logits (row-major); at least that long.</param>
    /// <param name="probabilities">Receives <c>[batchSize, ClassCount]</c> probabilities; at least that long.</param>
    /// <exception cref="ArgumentException">The sizes do not fit the model, a length is out of range, or the model has no
    /// <see cref="OnnxMetadataKeys.LengthsInput"/> (<see cref="HasLengthsInput"/>) and a row is not full.</exception>
    /// <exception cref="OnnxModelException">ONNX Runtime failed (its message is included).</exception>
    public void Run(ReadOnlyMemory<float> input, ReadOnlyMemory<long> lengths, int batchSize, Memory<float> logits, Memory<float> probabilities)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (InputKind != ModelInputKind.Pcm)
        {
            throw new ArgumentException("lengths apply to PCM models only", nameof(lengths));
        }
        long[] shape = InputShapeFor(input.Length, batchSize);
        if (lengths.Length != batchSize)
        {
            throw new ArgumentException($"lengths holds {lengths.Length} values, needs one per row ({batchSize})", nameof(lengths));
        }
        foreach (long length in lengths.Span)
        {
            if (length < 0 || length > shape[1])
            {
                throw new ArgumentException($"length {length} is outside [0, {shape[1]}]", nameof(lengths));
            }
            if (!HasLengthsInput && length != shape[1])
            {
                throw new ArgumentException($"'{ModelPath}' has no '{OnnxMetadataKeys.LengthsInput}' input (format version {Metadata.FormatVersion}): every row must be full", nameof(lengths));
            }
        }
        RunCore(input, shape, HasLengthsInput ? lengths : (ReadOnlyMemory<long>?)null, logits, probabilities);
    }

    private void RunCore(ReadOnlyMemory<float> input, long[] shape, ReadOnlyMemory<long>? lengths, Memory<float> logits, Memory<float> probabilities)
    {
        int batchSize = (int)shape[0];
        int outputs = checked(batchSize * ClassCount);
        if (logits.Length < outputs)
        {
            throw new ArgumentException($"logits holds {logits.Length} values, needs {batchSize} x {ClassCount}", nameof(logits));
        }
        if (probabilities.Length < outputs)
        {
            throw new ArgumentException($"probabilities holds {probabilities.Length} values, needs {batchSize} x {ClassCount}", nameof(probabilities));
        }
        long[] outputShape = [batchSize, ClassCount];
        OrtMemoryInfo cpu = OrtMemoryInfo.DefaultInstance;
        // ONNX Runtime only reads inputs, so handing it the read-only memory is safe.
        using OrtValue inputValue = OrtValue.CreateTensorValueFromMemory(cpu, MemoryMarshal.AsMemory(input), shape);
        using OrtValue? lengthsValue = lengths is { } l ? OrtValue.CreateTensorValueFromMemory(cpu, MemoryMarshal.AsMemory(l), [batchSize]) : null;
        using OrtValue logitsValue = OrtValue.CreateTensorValueFromMemory(cpu, logits[..outputs], outputShape);
        using OrtValue probabilitiesValue = OrtValue.CreateTensorValueFromMemory(cpu, probabilities[..outputs], outputShape);
        try
        {
            _session.Run(_runOptions, _inputNames, lengthsValue is null ? [inputValue] : [inputValue, lengthsValue], OutputNames, [logitsValue, probabilitiesValue]);
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxModelException($"inference failed for '{ModelPath}' with input [{string.Join(", ", shape)}]: {e.Message}", e);
        }
    }

    /// <summary>Runs a batch and returns one prediction per example (allocates the results).</summary>
    /// <param name="input">Examples, as for <see cref="Run(ReadOnlyMemory{float}, int, Memory{float}, Memory{float})"/>.</param>
    /// <param name="batchSize">Examples in <paramref name="input"/>; at least 1.</param>
    /// <returns><paramref name="batchSize"/> predictions, in input order.</returns>
    /// <exception cref="ArgumentException">The sizes do not fit the model.</exception>
    /// <exception cref="OnnxModelException">ONNX Runtime failed.</exception>
    public IReadOnlyList<EmotionPrediction> Predict(ReadOnlyMemory<float> input, int batchSize = 1)
    {
        int c = ClassCount;
        var logits = new float[checked(batchSize * c)];
        var probabilities = new float[logits.Length];
        Run(input, batchSize, logits, probabilities);
        var result = new EmotionPrediction[batchSize];
        for (int i = 0; i < batchSize; i++)
        {
            result[i] = new EmotionPrediction(Labels, probabilities.AsSpan(i * c, c).ToArray(), logits.AsSpan(i * c, c).ToArray());
        }
        return result;
    }

    /// <summary>A single-threaded runner with its own output buffers, for hot loops (no allocation per call).</summary>
    /// <param name="maxBatchSize">Largest batch it will run; at least 1.</param>
    /// <returns>The predictor; it shares this model's session and must not outlive it.</returns>
    public EmotionPredictor CreatePredictor(int maxBatchSize = 1) => new(this, maxBatchSize);

    /// <summary>Frees the session. Calls after this throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _runOptions.Dispose();
            _session.Dispose();
        }
    }

    private long[] InputShapeFor(int length, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (length == 0 || length % batchSize != 0)
        {
            throw new ArgumentException($"input holds {length} values, which is not {batchSize} equal non-empty examples", "input");
        }
        long perExample = length / batchSize;
        if (InputKind == ModelInputKind.LogMel)
        {
            if (perExample != _valuesPerExample)
            {
                throw new ArgumentException(
                    $"input holds {perExample} values per example, the model takes 1 x {InputShape[2]} x {InputShape[3]} = {_valuesPerExample}", "input");
            }
            return [batchSize, 1, InputShape[2], InputShape[3]];
        }
        return [batchSize, perExample];
    }

    private static OnnxModel Fallback(string path, InferenceSession cpu, OnnxModelOptions options, string reason)
    {
        options.Log?.Invoke($"ONNX Runtime: falling back to the CPU execution provider. {reason}");
        return new OnnxModel(path, cpu, options.ExecutionProvider, ExecutionProvider.Cpu, reason);
    }

    private static InferenceSession CreateCpuSessionOrThrowInvalid(string path, OnnxModelOptions options)
    {
        try
        {
            return CreateSession(path, options, useCuda: false);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidModelException(path, e.Message, e);
        }
    }

    private static InferenceSession CreateSession(string path, OnnxModelOptions options, bool useCuda)
    {
        using var so = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (!options.AllowThreadSpinning)
        {
            so.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }
        if (useCuda)
        {
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(new Dictionary<string, string> { ["device_id"] = options.CudaDeviceId.ToString(CultureInfo.InvariantCulture) });
            so.AppendExecutionProvider_CUDA(cuda);
        }
        return new InferenceSession(path, so);
    }

    private static (ModelInputKind, string, long[], bool) ReadInput(string path, InferenceSession session)
    {
        IReadOnlyDictionary<string, NodeMetadata> inputs = session.InputMetadata;
        bool hasLengths = false;
        if (inputs.Count == 2 && inputs.TryGetValue(OnnxMetadataKeys.LengthsInput, out NodeMetadata? lengthsMeta))
        {
            if (!lengthsMeta.IsTensor || lengthsMeta.ElementDataType != Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64 || lengthsMeta.Dimensions.Length != 1)
            {
                throw new InvalidModelException(path, $"input '{OnnxMetadataKeys.LengthsInput}' is not an int64 [N] tensor");
            }
            hasLengths = true;
        }
        else if (inputs.Count != 1)
        {
            throw new InvalidModelException(path, $"it has {inputs.Count} inputs, SerMlNet models have one (or PCM and '{OnnxMetadataKeys.LengthsInput}')");
        }
        var (name, meta) = inputs.First(i => i.Key != OnnxMetadataKeys.LengthsInput || !hasLengths);
        if (!meta.IsTensor || meta.ElementDataType != Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float)
        {
            throw new InvalidModelException(path, $"input '{name}' is not a float32 tensor");
        }
        long[] dims = Array.ConvertAll(meta.Dimensions, d => (long)d);
        if (dims.Length == 4 && dims[1] == 1 && dims[2] > 0 && dims[3] > 0 && !hasLengths)
        {
            return (ModelInputKind.LogMel, name, dims, false);
        }
        if (dims.Length == 2)
        {
            return (ModelInputKind.Pcm, name, dims, hasLengths);
        }
        throw new InvalidModelException(path, $"input '{name}' has shape [{string.Join(", ", dims)}]; expected [N, 1, n_mels, frames] or [N, samples]");
    }

    private static OnnxModelMetadata ReadMetadata(string path, InferenceSession session, ModelInputKind kind)
    {
        ModelMetadata meta = session.ModelMetadata;
        Dictionary<string, string> map = meta.CustomMetadataMap;
        if (!map.TryGetValue(OnnxMetadataKeys.Format, out string? format) || format != OnnxMetadataKeys.FormatName)
        {
            throw new InvalidModelException(path, $"metadata '{OnnxMetadataKeys.Format}' is {(format is null ? "missing" : $"'{format}'")}, expected '{OnnxMetadataKeys.FormatName}'");
        }
        if (!map.TryGetValue(OnnxMetadataKeys.FormatVersion, out string? versionText)
            || !int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out int version)
            || version < 1)
        {
            throw new InvalidModelException(path, $"metadata '{OnnxMetadataKeys.FormatVersion}' is missing or not a positive integer");
        }
        if (version > OnnxMetadataKeys.CurrentFormatVersion)
        {
            throw new InvalidModelException(path, $"format version {version} is newer than this library reads ({OnnxMetadataKeys.CurrentFormatVersion})");
        }
        string[]? labels = null;
        if (map.TryGetValue(OnnxMetadataKeys.Labels, out string? labelsJson))
        {
            try
            {
                labels = JsonSerializer.Deserialize(labelsJson, LabelsJsonContext.Default.StringArray);
            }
            catch (JsonException)
            {
            }
        }
        if (labels is null || labels.Length == 0 || Array.Exists(labels, string.IsNullOrWhiteSpace))
        {
            throw new InvalidModelException(path, $"metadata '{OnnxMetadataKeys.Labels}' is missing or not a JSON array of labels");
        }
        int? sampleRate = null;
        if (kind == ModelInputKind.Pcm)
        {
            if (!map.TryGetValue(OnnxMetadataKeys.SampleRate, out string? rateText)
                || !int.TryParse(rateText, NumberStyles.None, CultureInfo.InvariantCulture, out int rate) || rate <= 0)
            {
                throw new InvalidModelException(path, $"a PCM model needs metadata '{OnnxMetadataKeys.SampleRate}' (a positive integer)");
            }
            sampleRate = rate;
        }
        bool trimsSilence = map.TryGetValue(OnnxMetadataKeys.TrimsSilence, out string? trims) && trims == "true";
        return new OnnxModelMetadata(
            labels,
            version,
            map.GetValueOrDefault(OnnxMetadataKeys.FrontEnd),
            map.GetValueOrDefault(OnnxMetadataKeys.Metrics),
            sampleRate,
            trimsSilence,
            meta.ProducerName,
            meta.Version,
            map);
    }

    private static void CheckOutputs(string path, InferenceSession session, int classes)
    {
        foreach (string name in OutputNames)
        {
            if (!session.OutputMetadata.TryGetValue(name, out NodeMetadata? meta))
            {
                throw new InvalidModelException(path, $"output '{name}' is missing");
            }
            int[] d = meta.Dimensions;
            if (!meta.IsTensor || meta.ElementDataType != Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float || d.Length != 2 || d[1] != classes)
            {
                throw new InvalidModelException(path, $"output '{name}' is not a float32 [N, {classes}] tensor (shape [{string.Join(", ", d)}])");
            }
        }
    }
}
