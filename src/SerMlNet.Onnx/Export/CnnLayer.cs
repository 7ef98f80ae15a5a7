namespace SerMlNet.Onnx;

/// <summary>
/// One layer of a CNN to export, in a neutral, libtorch-free form: weights as <see cref="float"/> arrays plus shapes
/// with PyTorch's layouts and semantics. The set is closed: <see cref="Conv2dLayer"/>, <see cref="BatchNorm2dLayer"/>,
/// <see cref="ReluLayer"/>, <see cref="MaxPool2dLayer"/>, <see cref="DropoutLayer"/>, <see cref="GlobalAvgPoolLayer"/>,
/// <see cref="AttentiveStatsPoolLayer"/>, <see cref="FlattenLayer"/> and <see cref="LinearLayer"/>. Layers are applied in order to a <c>[N, C, H, W]</c>
/// tensor (<c>H</c> = Mel bands, <c>W</c> = frames) until a <see cref="FlattenLayer"/> makes it <c>[N, features]</c>.
/// </summary>
public abstract record CnnLayer
{
    private protected CnnLayer()
    {
    }
}

/// <summary>2-D convolution, PyTorch <c>nn.Conv2d</c> (groups 1, dilation 1, zero padding, cross-correlation).</summary>
/// <param name="Weight">Kernel <c>[out_channels, in_channels, kernel_h, kernel_w]</c>.</param>
/// <param name="Bias">Per-output-channel bias of length <c>out_channels</c>, or null for none.</param>
/// <param name="Stride">Stride in both directions; default 1.</param>
/// <param name="Padding">Zero padding on each side in both directions; default 0 (1 keeps the size of a 3×3 kernel).</param>
public sealed record Conv2dLayer(WeightTensor Weight, float[]? Bias, int Stride = 1, int Padding = 0) : CnnLayer;

/// <summary>
/// Batch normalisation at inference, PyTorch <c>nn.BatchNorm2d</c> in eval mode:
/// <c>y = (x - RunningMean) / sqrt(RunningVar + Eps) * Scale + Bias</c> per channel.
/// </summary>
/// <param name="Scale">Per-channel γ (PyTorch <c>weight</c>).</param>
/// <param name="Bias">Per-channel β (PyTorch <c>bias</c>).</param>
/// <param name="RunningMean">Per-channel running mean (buffer <c>running_mean</c>).</param>
/// <param name="RunningVar">Per-channel running variance (buffer <c>running_var</c>); non-negative.</param>
/// <param name="Eps">Added to the variance; default 1e-5 (PyTorch's).</param>
public sealed record BatchNorm2dLayer(float[] Scale, float[] Bias, float[] RunningMean, float[] RunningVar, float Eps = 1e-5f) : CnnLayer;

/// <summary>Rectified linear unit, <c>max(x, 0)</c>; any rank.</summary>
public sealed record ReluLayer() : CnnLayer;

/// <summary>2-D max pooling, PyTorch <c>nn.MaxPool2d(Kernel, Stride)</c> with no padding and floor rounding.</summary>
/// <param name="Kernel">Window size in both directions; at least 1.</param>
/// <param name="Stride">Step in both directions; null (default) means <paramref name="Kernel"/>, as in PyTorch.</param>
public sealed record MaxPool2dLayer(int Kernel, int? Stride = null) : CnnLayer
{
    /// <summary>The stride in effect: <see cref="Stride"/> or, when null, <see cref="Kernel"/>.</summary>
    public int EffectiveStride => Stride ?? Kernel;
}

/// <summary>Dropout; the identity at inference, so it is omitted from the exported graph.</summary>
/// <param name="Probability">Drop probability during training, in [0, 1); recorded for completeness only.</param>
public sealed record DropoutLayer(float Probability) : CnnLayer;

/// <summary>Global average pooling over H and W: <c>[N, C, H, W] → [N, C, 1, 1]</c> (PyTorch <c>AdaptiveAvgPool2d(1)</c>).</summary>
public sealed record GlobalAvgPoolLayer() : CnnLayer;

/// <summary>
/// Attentive statistics pooling (Okabe et al. 2018) over the H × W positions: a score per position
/// eₜ = vᵀ tanh(W hₜ + b) + k, weights αₜ = softmax over the positions of eₜ, then the weighted mean μ = Σ αₜ hₜ and
/// standard deviation σ = √max(Σ αₜ hₜ² − μ², ε) per channel, concatenated: <c>[N, C, H, W] → [N, 2C]</c> (flat; μ
/// first). The 1 × 1 convolutions W and v of a PyTorch module are this layer's <see cref="Projection"/> and
/// <see cref="Score"/>.
/// </summary>
/// <param name="Projection">W, <c>[A, C]</c> (A attention channels).</param>
/// <param name="ProjectionBias">b, length A.</param>
/// <param name="Score">v, length A.</param>
/// <param name="ScoreBias">k (it cancels in the softmax; kept so that the layer is the module's exact image).</param>
/// <param name="Epsilon">ε, the variance floor before the square root, &gt; 0; default 1e-5.</param>
public sealed record AttentiveStatsPoolLayer(WeightTensor Projection, float[] ProjectionBias, float[] Score, float ScoreBias, float Epsilon = 1e-5f) : CnnLayer;

/// <summary>Flattens everything after the batch axis: <c>[N, C, H, W] → [N, C·H·W]</c> (PyTorch <c>flatten(1)</c>).</summary>
public sealed record FlattenLayer() : CnnLayer;

/// <summary>Fully connected layer, PyTorch <c>nn.Linear</c>: <c>y = x Wᵀ + b</c> on a <c>[N, in_features]</c> input.</summary>
/// <param name="Weight">Weights <c>[out_features, in_features]</c>.</param>
/// <param name="Bias">Bias of length <c>out_features</c>, or null for none.</param>
public sealed record LinearLayer(WeightTensor Weight, float[]? Bias) : CnnLayer;
