namespace SerMlNet.Torch.NN;

/// <summary>
/// Batch normalisation over the channels of [N, C, H, W] (PyTorch's <c>nn.BatchNorm2d</c> with affine parameters and
/// running statistics): parameters <c>weight</c> (γ, ones) and <c>bias</c> (β, zeros); buffers <c>running_mean</c>
/// (zeros) and <c>running_var</c> (ones), updated in training mode with <see cref="Momentum"/>.
/// </summary>
/// <remarks>PyTorch's <c>num_batches_tracked</c> counter is not kept: it only matters with momentum = None
/// (cumulative averaging), which this layer does not offer.</remarks>
public sealed class BatchNorm2d : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="features">Channels C, ≥ 1.</param>
    /// <param name="eps">Added to the variance; default 1e-5.</param>
    /// <param name="momentum">Weight of each new batch in the running statistics, in [0, 1]; default 0.1.</param>
    public BatchNorm2d(long features, double eps = 1e-5, double momentum = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eps);
        ArgumentOutOfRangeException.ThrowIfLessThan(momentum, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(momentum, 1.0);
        Features = features;
        Eps = eps;
        Momentum = momentum;
        Weight = RegisterParameter("weight", Tensor.Ones([features]));
        Bias = RegisterParameter("bias", Tensor.Zeros([features]));
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([features]));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones([features]));
    }

    /// <summary>Channels.</summary>
    public long Features { get; }

    /// <summary>Added to the variance.</summary>
    public double Eps { get; }

    /// <summary>Weight of each new batch in the running statistics.</summary>
    public double Momentum { get; }

    /// <summary>Scale γ, [C].</summary>
    public Tensor Weight { get; }

    /// <summary>Shift β, [C].</summary>
    public Tensor Bias { get; }

    /// <summary>Running mean, [C] (buffer).</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running unbiased variance, [C] (buffer).</summary>
    public Tensor RunningVar { get; }

    /// <summary>Normalises <paramref name="input"/> [N, C, H, W]: batch statistics (and a running-statistics update)
    /// in training mode, running statistics in evaluation mode.</summary>
    /// <param name="input">The batch.</param>
    /// <returns>Same shape.</returns>
    public override Tensor Forward(Tensor input) =>
        Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, IsTraining, Momentum, Eps);
}
