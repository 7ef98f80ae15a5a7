namespace SerMlNet.Onnx;

/// <summary>
/// Runs an <see cref="OnnxModel"/> repeatedly from one thread without allocating: it owns <c>[MaxBatchSize,
/// classes]</c> output buffers that ONNX Runtime writes into directly, and returns views on them.
/// <para>Lifetime of returned spans: the span returned by <see cref="Run"/> and the <see cref="Logits"/> /
/// <see cref="Probabilities"/> spans stay valid, holding the last call's results, until the next <see cref="Run"/> on
/// this predictor (which overwrites them) or <see cref="Dispose"/>; copy values to keep them longer.</para>
/// <para>Not thread-safe: use one predictor per thread (they may share one model). Create with
/// <see cref="OnnxModel.CreatePredictor"/>.</para>
/// </summary>
public sealed class EmotionPredictor : IDisposable
{
    private readonly OnnxModel _model;
    private float[] _logits;
    private float[] _probabilities;
    private int _lastBatchSize;

    internal EmotionPredictor(OnnxModel model, int maxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _model = model;
        MaxBatchSize = maxBatchSize;
        _logits = new float[checked(maxBatchSize * model.ClassCount)];
        _probabilities = new float[_logits.Length];
    }

    /// <summary>The model this predictor runs.</summary>
    public OnnxModel Model => _model;

    /// <summary>The largest batch <see cref="Run"/> accepts.</summary>
    public int MaxBatchSize { get; }

    /// <summary>Examples in the last call's results (0 before the first call).</summary>
    public int LastBatchSize => _lastBatchSize;

    /// <summary>The last call's <c>[LastBatchSize, classes]</c> logits, row-major; valid until the next <see cref="Run"/> or <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<float> Logits => _logits.AsSpan(0, _lastBatchSize * _model.ClassCount);

    /// <summary>The last call's <c>[LastBatchSize, classes]</c> probabilities, row-major; valid until the next <see cref="Run"/> or <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<float> Probabilities => _probabilities.AsSpan(0, _lastBatchSize * _model.ClassCount);

    /// <summary>Runs a batch (see <see cref="OnnxModel.Run(ReadOnlyMemory{float}, int, Memory{float}, Memory{float})"/> for the input layout) into this predictor's buffers.</summary>
    /// <param name="input">Examples; read in place, not copied.</param>
    /// <param name="batchSize">Examples in <paramref name="input"/>; 1 to <see cref="MaxBatchSize"/>.</param>
    /// <returns><c>[batchSize, classes]</c> probabilities, row-major; valid until the next <see cref="Run"/> or <see cref="Dispose"/>.</returns>
    /// <exception cref="ArgumentException">The sizes do not fit the model.</exception>
    /// <exception cref="OnnxModelException">ONNX Runtime failed.</exception>
    public ReadOnlySpan<float> Run(ReadOnlyMemory<float> input, int batchSize = 1)
    {
        ObjectDisposedException.ThrowIf(_logits.Length == 0, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        _lastBatchSize = 0;
        _model.Run(input, batchSize, _logits, _probabilities);
        _lastBatchSize = batchSize;
        return Probabilities;
    }

    /// <summary>The last call's result for one example as an (allocated) <see cref="EmotionPrediction"/>.</summary>
    /// <param name="example">Index in the last batch.</param>
    /// <returns>The prediction.</returns>
    public EmotionPrediction GetPrediction(int example)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(example);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(example, _lastBatchSize);
        int c = _model.ClassCount;
        return new EmotionPrediction(_model.Labels, _probabilities.AsSpan(example * c, c).ToArray(), _logits.AsSpan(example * c, c).ToArray());
    }

    /// <summary>Releases the buffers (the model stays loaded); spans obtained earlier become invalid.</summary>
    public void Dispose()
    {
        _logits = [];
        _probabilities = [];
        _lastBatchSize = 0;
    }
}
