namespace SerMlNet.Torch.NN;

/// <summary>
/// 2-D convolution layer (PyTorch's <c>nn.Conv2d</c>, groups = 1, dilation = 1): parameters <c>weight</c>
/// [out, in, kH, kW] and optional <c>bias</c> [out], initialised as PyTorch does (U(−b, b), b = 1/√(in·kH·kW)), so the
/// same seed gives PyTorch's initial weights.
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="inChannels">Input channels, ≥ 1.</param>
    /// <param name="outChannels">Output channels (filters), ≥ 1.</param>
    /// <param name="kernelSize">Kernel (height, width), each ≥ 1.</param>
    /// <param name="stride">Step (height, width); default (1, 1).</param>
    /// <param name="padding">Zero padding per side (height, width); default (0, 0). (1, 1) keeps the size for 3×3.</param>
    /// <param name="bias">Whether to learn a bias (default true).</param>
    public Conv2d(long inChannels, long outChannels, (long Height, long Width) kernelSize, (long Height, long Width)? stride = null,
        (long Height, long Width)? padding = null, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize.Height, 1, nameof(kernelSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize.Width, 1, nameof(kernelSize));
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride ?? (1, 1);
        Padding = padding ?? (0, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(Math.Min(Stride.Height, Stride.Width), 1, nameof(stride));
        ArgumentOutOfRangeException.ThrowIfNegative(Math.Min(Padding.Height, Padding.Width), nameof(padding));
        double bound = 1.0 / Math.Sqrt(inChannels * kernelSize.Height * kernelSize.Width);
        Weight = RegisterParameter("weight", Tensor.Empty([outChannels, inChannels, kernelSize.Height, kernelSize.Width]));
        Weight.FillUniform(-bound, bound);
        if (bias)
        {
            Bias = RegisterParameter("bias", Tensor.Empty([outChannels]));
            Bias.FillUniform(-bound, bound);
        }
    }

    /// <summary>Square-kernel convenience: <paramref name="kernelSize"/>×<paramref name="kernelSize"/>, equal stride
    /// and padding on both axes.</summary>
    /// <param name="inChannels">Input channels, ≥ 1.</param>
    /// <param name="outChannels">Output channels, ≥ 1.</param>
    /// <param name="kernelSize">Kernel side, ≥ 1.</param>
    /// <param name="stride">Step, ≥ 1 (default 1).</param>
    /// <param name="padding">Zero padding per side, ≥ 0 (default 0).</param>
    /// <param name="bias">Whether to learn a bias (default true).</param>
    public Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool bias = true)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), bias)
    {
    }

    /// <summary>Input channels.</summary>
    public long InChannels { get; }

    /// <summary>Output channels.</summary>
    public long OutChannels { get; }

    /// <summary>Kernel (height, width).</summary>
    public (long Height, long Width) KernelSize { get; }

    /// <summary>Step (height, width).</summary>
    public (long Height, long Width) Stride { get; }

    /// <summary>Zero padding per side (height, width).</summary>
    public (long Height, long Width) Padding { get; }

    /// <summary>The kernels, [out, in, kH, kW].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, [out], or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Convolves <paramref name="input"/> [N, in, H, W].</summary>
    /// <param name="input">The batch.</param>
    /// <returns>[N, out, H_out, W_out].</returns>
    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding);
}
