namespace SerMlNet.Torch.NN;

/// <summary>Inverted dropout (PyTorch's <c>nn.Dropout</c>): active in training mode only.</summary>
/// <param name="probability">Drop probability in [0, 1); default 0.5.</param>
public sealed class Dropout(double probability = 0.5) : Module
{
    /// <summary>Drop probability.</summary>
    public double Probability { get; } = probability is >= 0 and < 1
        ? probability
        : throw new ArgumentOutOfRangeException(nameof(probability), probability, "dropout probability must be in [0, 1)");

    /// <summary>Drops (training) or passes through (evaluation).</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>Same shape.</returns>
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, Probability, IsTraining);
}

/// <summary>max(0, x) (PyTorch's <c>nn.ReLU</c>).</summary>
public sealed class ReLU : Module
{
    /// <summary>Applies the activation.</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>Same shape.</returns>
    public override Tensor Forward(Tensor input) => Functional.ReLU(input);
}

/// <summary>Square-window 2-D pooling without padding: the kernel size and stride <see cref="MaxPool2d"/> and
/// <see cref="AvgPool2d"/> share.</summary>
public abstract class Pool2d : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">Square window side, ≥ 1 (2 halves height and width).</param>
    /// <param name="stride">Step, ≥ 1; default the kernel size.</param>
    protected Pool2d(long kernelSize, long? stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        ArgumentOutOfRangeException.ThrowIfLessThan(Stride, 1, nameof(stride));
    }

    /// <summary>Window side.</summary>
    public long KernelSize { get; }

    /// <summary>Step.</summary>
    public long Stride { get; }
}

/// <summary>2-D max pooling (PyTorch's <c>nn.MaxPool2d</c>).</summary>
/// <param name="kernelSize">Square window side, ≥ 1 (2 halves height and width).</param>
/// <param name="stride">Step, ≥ 1; default the kernel size.</param>
public sealed class MaxPool2d(long kernelSize, long? stride = null) : Pool2d(kernelSize, stride)
{
    /// <summary>Pools <paramref name="input"/> [N, C, H, W].</summary>
    /// <param name="input">The batch.</param>
    /// <returns>[N, C, ⌊(H − k) / s⌋ + 1, ⌊(W − k) / s⌋ + 1].</returns>
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, (KernelSize, KernelSize), (Stride, Stride));
}

/// <summary>2-D average pooling (PyTorch's <c>nn.AvgPool2d</c>, no padding).</summary>
/// <param name="kernelSize">Square window side, ≥ 1.</param>
/// <param name="stride">Step, ≥ 1; default the kernel size.</param>
public sealed class AvgPool2d(long kernelSize, long? stride = null) : Pool2d(kernelSize, stride)
{
    /// <summary>Pools <paramref name="input"/> [N, C, H, W].</summary>
    /// <param name="input">The batch.</param>
    /// <returns>[N, C, ⌊(H − k) / s⌋ + 1, ⌊(W − k) / s⌋ + 1].</returns>
    public override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, (KernelSize, KernelSize), (Stride, Stride));
}

/// <summary>Global average pooling: [N, C, H, W] → [N, C] (ONNX <c>GlobalAveragePool</c> + flatten; PyTorch's
/// <c>nn.AdaptiveAvgPool2d(1)</c> + <c>nn.Flatten()</c>).</summary>
public sealed class GlobalAvgPool2d : Module
{
    /// <summary>Averages each channel over height and width.</summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <returns>[N, C].</returns>
    public override Tensor Forward(Tensor input) => Functional.GlobalAvgPool2d(input);
}

/// <summary>Merges dimensions (PyTorch's <c>nn.Flatten</c>, default: all but the batch dimension).</summary>
/// <param name="startDim">First merged dimension (default 1).</param>
/// <param name="endDim">Last merged dimension (default -1).</param>
public sealed class Flatten(long startDim = 1, long endDim = -1) : Module
{
    /// <summary>First merged dimension.</summary>
    public long StartDim { get; } = startDim;

    /// <summary>Last merged dimension.</summary>
    public long EndDim { get; } = endDim;

    /// <summary>Flattens.</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>E.g. [N, C, H, W] → [N, C·H·W].</returns>
    public override Tensor Forward(Tensor input) => Functional.Flatten(input, StartDim, EndDim);
}
