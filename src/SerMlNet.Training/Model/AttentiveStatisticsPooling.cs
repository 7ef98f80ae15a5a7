using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SerMlNet.Training.Model;

/// <summary>
/// Attentive statistics pooling (Okabe et al. 2018), <see cref="SerCnn"/>'s alternative to global average pooling
/// (<see cref="SerCnnOptions.AttentionChannels"/>): every position t of the [N, C, H, W] feature map gets a score
/// eₜ = vᵀ tanh(W hₜ + b) + k (two 1 × 1 convolutions), the weights αₜ are the softmax of the scores over the H·W
/// positions, and the output is the weighted mean μ = Σ αₜ hₜ and standard deviation σ = √max(Σ αₜ hₜ² − μ², ε) of every
/// channel, concatenated: [N, 2C]. The network can so weigh the frames that carry the emotion instead of averaging
/// silence and speech alike, and report how much a channel varies over time.
/// </summary>
/// <remarks>State-dict names: <c>projection</c> (W, b) and <c>score</c> (v, k). The ONNX image is
/// <see cref="SerMlNet.Onnx.AttentiveStatsPoolLayer"/>. Not thread-safe.</remarks>
public sealed class AttentiveStatisticsPooling : Module<Tensor, Tensor>
{
    private readonly Conv2d projection;
    private readonly Conv2d score;

    /// <summary>Builds the pooling with freshly initialised weights (PyTorch's initialisation), on the CPU.</summary>
    /// <param name="channels">C, the input channels, ≥ 1.</param>
    /// <param name="attentionChannels">A, the hidden width of the scoring, ≥ 1.</param>
    /// <param name="epsilon">ε, the variance floor before the square root, &gt; 0; default 1e-5.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public AttentiveStatisticsPooling(long channels, long attentionChannels, double epsilon = 1e-5)
        : base(nameof(AttentiveStatisticsPooling))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(attentionChannels, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        Epsilon = epsilon;
        projection = Conv2d(channels, attentionChannels, 1);
        score = Conv2d(attentionChannels, 1, 1);
        RegisterComponents();
    }

    /// <summary>ε, the variance floor before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>The projection W, b (a 1 × 1 convolution C → A).</summary>
    public Conv2d Projection => projection;

    /// <summary>The score v, k (a 1 × 1 convolution A → 1).</summary>
    public Conv2d Score => score;

    /// <summary>Pools a feature map.</summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <returns>[N, 2C]: the weighted means, then the weighted standard deviations.</returns>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        Tensor weights = functional.softmax(score.forward(projection.forward(input).tanh()).flatten(2), -1);
        Tensor values = input.flatten(2);
        Tensor mean = values.mul(weights).sum(-1);
        Tensor second = values.square().mul(weights).sum(-1);
        Tensor deviation = second.sub(mean.square()).clamp_min(Epsilon).sqrt();
        return cat([mean, deviation], 1).MoveToOuterDisposeScope();
    }
}
