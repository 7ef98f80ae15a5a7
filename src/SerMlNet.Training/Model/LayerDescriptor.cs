namespace SerMlNet.Training.Model;

/// <summary>
/// One layer of a model as data, in evaluation semantics, for exporters (ONNX) and reports: its module name, the
/// state-dict names of its tensors, and per-sample input/output shapes (without the batch dimension). Pattern-match
/// on the derived records for the layer's settings.
/// </summary>
/// <param name="Name">Module path, e.g. <c>features.0</c> (tensor names are <c>{Name}.weight</c>, ...).</param>
/// <param name="InputShape">Per-sample input shape, e.g. [1, 128, 300].</param>
/// <param name="OutputShape">Per-sample output shape, e.g. [16, 128, 300].</param>
public abstract record LayerDescriptor(string Name, IReadOnlyList<long> InputShape, IReadOnlyList<long> OutputShape)
{
    /// <summary>State-dict names of the layer's parameters and buffers, in state-dict order (empty for layers
    /// without tensors).</summary>
    public abstract IReadOnlyList<string> TensorNames { get; }
}

/// <summary>2-D convolution: ONNX <c>Conv</c> (group 1, dilation 1).</summary>
/// <param name="Name">Module path.</param>
/// <param name="InputShape">[C_in, H, W].</param>
/// <param name="OutputShape">[C_out, H_out, W_out].</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="KernelSize">Kernel (height, width).</param>
/// <param name="Stride">Step (height, width).</param>
/// <param name="Padding">Zero padding per side (height, width).</param>
/// <param name="WeightName">State-dict name of the [C_out, C_in, kH, kW] kernels.</param>
/// <param name="BiasName">State-dict name of the [C_out] bias, or null when the layer has none.</param>
public sealed record Conv2dLayer(string Name, IReadOnlyList<long> InputShape, IReadOnlyList<long> OutputShape, long InChannels, long OutChannels,
    (long Height, long Width) KernelSize, (long Height, long Width) Stride, (long Height, long Width) Padding, string WeightName, string? BiasName)
    : LayerDescriptor(Name, InputShape, OutputShape)
{
    /// <inheritdoc />
    public override IReadOnlyList<string> TensorNames => BiasName is null ? [WeightName] : [WeightName, BiasName];
}

/// <summary>Batch normalisation with running statistics: ONNX <c>BatchNormalization</c> in inference mode,
/// y = (x − mean) / √(var + ε)·γ + β.</summary>
/// <param name="Name">Module path.</param>
/// <param name="InputShape">[C, H, W].</param>
/// <param name="OutputShape">Same as the input.</param>
/// <param name="Features">Channels C.</param>
/// <param name="Epsilon">ε.</param>
/// <param name="Momentum">Running-statistics momentum (training only).</param>
/// <param name="WeightName">γ, [C].</param>
/// <param name="BiasName">β, [C].</param>
/// <param name="RunningMeanName">Running mean, [C].</param>
/// <param name="RunningVarName">Running variance, [C].</param>
public sealed record BatchNorm2dLayer(string Name, IReadOnlyList<long> InputShape, IReadOnlyList<long> OutputShape, long Features, double Epsilon, double Momentum,
    string WeightName, string BiasName, string RunningMeanName, string RunningVarName)
    : LayerDescriptor(Name, InputShape, OutputShape)
{
    /// <inheritdoc />
    public override IReadOnlyList<string> TensorNames => [WeightName, BiasName, RunningMeanName, RunningVarName];
}

/// <summary>max(0, x): ONNX <c>Relu</c>.</summary>
/// <param name="Name">Module path.</param>
/// <param name="InputShape">Any shape.</param>
/// <param name="OutputShape">Same as the input.</param>
public sealed record ReLULayer(string Name, IReadOnlyList<long> InputShape, IReadOnlyList<long> OutputShape)
    : LayerDescriptor(Name, InputShape, OutputShape)
{
    /// <inheritdoc />
    public override IReadOnlyList<string> TensorNames => [];
}

/// <summary>Max pooling without padding, floor rounding: ONNX <c>MaxPool</c>.</summary>
/// <param name="Name">Module path.</param>
/// <param name="InputShape">[C, H, W].</param>
/// <param name="OutputShape">[C, ⌊(H − k) / s⌋ + 1, ⌊(W − k) / s⌋ + 1].</param>
/// <param name="KernelSize">Square window side.</param>
/// <param name="Stride">Step.</param>
public sealed record MaxPool2dLayer(string Name, IReadOnlyList<long> InputShape, IReadOnlyList<long> OutputShape, long KernelSize, long Stride)
    : LayerDescriptor(Name, InputShape, OutputShape)
{
    /// <inheritdoc />
    public override IReadOnlyList<string> TensorNames => [];
}

/// <summary>Mean over height and width, [C, H, W] → [C]: ONNX <c>GlobalAveragePool</c> then <c>Flatten</c>.</summary>
/// <param name="Name">Module path.</param>
/// <param name="InputShape">[C, H, W].</param>
/// <param name="OutputShape">[C].</param>
public sealed record GlobalAvgPool2dLayer(string Name, IReadOnlyList<long> InputShape, IReadOnlyList<long> OutputShape)
    : LayerDescriptor(Name, InputShape, OutputShape)
{
    /// <inheritdoc />
    public override IReadOnlyList<string> TensorNames => [];
}

/// <summary>Dropout: identity at inference (export it as nothing, or ONNX <c>Dropout</c> in inference mode).</summary>
/// <param name="Name">Module path.</param>
/// <param name="InputShape">Any shape.</param>
/// <param name="OutputShape">Same as the input.</param>
/// <param name="Probability">Drop probability during training.</param>
public sealed record DropoutLayer(string Name, IReadOnlyList<long> InputShape, IReadOnlyList<long> OutputShape, double Probability)
    : LayerDescriptor(Name, InputShape, OutputShape)
{
    /// <inheritdoc />
    public override IReadOnlyList<string> TensorNames => [];
}

/// <summary>Fully connected layer y = x·Wᵀ + b: ONNX <c>Gemm</c> with transB = 1.</summary>
/// <param name="Name">Module path.</param>
/// <param name="InputShape">[in].</param>
/// <param name="OutputShape">[out].</param>
/// <param name="InFeatures">Input size.</param>
/// <param name="OutFeatures">Output size.</param>
/// <param name="WeightName">[out, in].</param>
/// <param name="BiasName">[out], or null.</param>
public sealed record LinearLayer(string Name, IReadOnlyList<long> InputShape, IReadOnlyList<long> OutputShape, long InFeatures, long OutFeatures, string WeightName, string? BiasName)
    : LayerDescriptor(Name, InputShape, OutputShape)
{
    /// <inheritdoc />
    public override IReadOnlyList<string> TensorNames => BiasName is null ? [WeightName] : [WeightName, BiasName];
}
