using Onnx;
using SerMlNet.Onnx.Graph;

namespace SerMlNet.Onnx.Export;

/// <summary>
/// Turns a <see cref="CnnDescription"/> into ONNX nodes: Conv, BatchNormalization, Relu, MaxPool, GlobalAveragePool,
/// attentive statistics pooling (1 × 1 Conv, Tanh, Softmax over the positions, ReduceSum, Sqrt, Concat), Flatten and
/// Gemm (<c>transB = 1</c>), weights as initializers; dropout is dropped. <see cref="Check"/> walks the
/// shapes first so that a mismatched description is reported with layer indices before anything is built. Stateless.
/// </summary>
internal static class CnnGraph
{
    /// <summary>Checks the description and computes the number of output classes.</summary>
    /// <param name="cnn">The network.</param>
    /// <param name="errors">Where problems go.</param>
    /// <returns>The output width (number of logits), or null when the description is invalid.</returns>
    public static int? Check(CnnDescription cnn, ValidationErrors errors)
    {
        if (cnn is null)
        {
            errors.Add("the CNN description is missing");
            return null;
        }
        errors.Require(cnn.NMels >= 1, $"CnnDescription.NMels must be at least 1 (was {cnn.NMels})");
        errors.Require(cnn.Frames >= 1, $"CnnDescription.Frames must be at least 1 (was {cnn.Frames})");
        if (cnn.Layers is null || cnn.Layers.Count == 0)
        {
            errors.Add("CnnDescription.Layers is empty");
            return null;
        }
        if (cnn.NMels < 1 || cnn.Frames < 1)
        {
            return null;
        }

        // Shape after each layer: [C, H, W] while 4-D, [F] once flattened (the batch axis is implicit).
        long c = 1, h = cnn.NMels, w = cnn.Frames;
        long features = 0;
        bool flat = false;
        for (int i = 0; i < cnn.Layers.Count; i++)
        {
            CnnLayer layer = cnn.Layers[i];
            string at = $"layer {i} ({layer?.GetType().Name ?? "null"})";
            string shapeNow = flat ? $"[N, {features}]" : $"[N, {c}, {h}, {w}]";
            switch (layer)
            {
                case Conv2dLayer conv:
                {
                    if (!RequireSpatial(errors, flat, at) || !CheckWeight(errors, conv.Weight, 4, at))
                    {
                        return null;
                    }
                    int[] s = conv.Weight.Shape;
                    bool ok = errors.Require(s[1] == c, $"{at}: weight {conv.Weight.FormatShape()} expects {s[1]} input channels but the input is {shapeNow}");
                    ok &= errors.Require(conv.Bias is null || conv.Bias.Length == s[0], $"{at}: bias holds {conv.Bias?.Length} values, expected out_channels = {s[0]}");
                    ok &= errors.Require(conv.Stride >= 1, $"{at}: Stride must be at least 1 (was {conv.Stride})");
                    ok &= errors.Require(conv.Padding >= 0, $"{at}: Padding must be non-negative (was {conv.Padding})");
                    ok &= errors.Require(conv.Bias is null || ValidationErrors.AllFinite(conv.Bias), $"{at}: bias has a non-finite value");
                    if (!ok)
                    {
                        return null;
                    }
                    long oh = (h + 2 * conv.Padding - s[2]) / conv.Stride + 1;
                    long ow = (w + 2 * conv.Padding - s[3]) / conv.Stride + 1;
                    if (!errors.Require(h + 2 * conv.Padding >= s[2] && w + 2 * conv.Padding >= s[3],
                            $"{at}: kernel {s[2]}x{s[3]} is larger than the padded input {shapeNow}"))
                    {
                        return null;
                    }
                    (c, h, w) = (s[0], oh, ow);
                    break;
                }
                case BatchNorm2dLayer bn:
                {
                    if (!RequireSpatial(errors, flat, at))
                    {
                        return null;
                    }
                    bool ok = true;
                    foreach (var (name, values) in new[] { ("Scale", bn.Scale), ("Bias", bn.Bias), ("RunningMean", bn.RunningMean), ("RunningVar", bn.RunningVar) })
                    {
                        ok &= errors.Require(values is not null && values.Length == c, $"{at}: {name} holds {values?.Length ?? 0} values, expected {c} channels (input {shapeNow})")
                              && errors.Require(ValidationErrors.AllFinite(values!), $"{at}: {name} has a non-finite value");
                    }
                    ok &= errors.Require(bn.RunningVar is null || Array.TrueForAll(bn.RunningVar, v => v >= 0), $"{at}: RunningVar has a negative value");
                    ok &= errors.Require(float.IsFinite(bn.Eps) && bn.Eps > 0, $"{at}: Eps must be positive (was {bn.Eps})");
                    if (!ok)
                    {
                        return null;
                    }
                    break;
                }
                case ReluLayer:
                case DropoutLayer:
                    if (layer is DropoutLayer d)
                    {
                        errors.Require(d.Probability is >= 0 and < 1, $"{at}: Probability must be in [0, 1) (was {d.Probability})");
                    }
                    break;
                case MaxPool2dLayer pool:
                {
                    if (!RequireSpatial(errors, flat, at))
                    {
                        return null;
                    }
                    if (!errors.Require(pool.Kernel >= 1 && pool.EffectiveStride >= 1, $"{at}: Kernel and Stride must be at least 1 (were {pool.Kernel}, {pool.EffectiveStride})")
                        || !errors.Require(h >= pool.Kernel && w >= pool.Kernel, $"{at}: kernel {pool.Kernel} is larger than the input {shapeNow}"))
                    {
                        return null;
                    }
                    h = (h - pool.Kernel) / pool.EffectiveStride + 1;
                    w = (w - pool.Kernel) / pool.EffectiveStride + 1;
                    break;
                }
                case GlobalAvgPoolLayer:
                    if (!RequireSpatial(errors, flat, at))
                    {
                        return null;
                    }
                    (h, w) = (1, 1);
                    break;
                case AttentiveStatsPoolLayer attentive:
                {
                    if (!RequireSpatial(errors, flat, at) || !CheckWeight(errors, attentive.Projection, 2, at))
                    {
                        return null;
                    }
                    int[] s = attentive.Projection.Shape;
                    bool ok = errors.Require(s[1] == c, $"{at}: Projection {attentive.Projection.FormatShape()} expects {s[1]} channels but the input is {shapeNow}");
                    ok &= errors.Require(attentive.ProjectionBias is not null && attentive.ProjectionBias.Length == s[0] && ValidationErrors.AllFinite(attentive.ProjectionBias),
                        $"{at}: ProjectionBias must hold {s[0]} finite values (held {attentive.ProjectionBias?.Length ?? 0})");
                    ok &= errors.Require(attentive.Score is not null && attentive.Score.Length == s[0] && ValidationErrors.AllFinite(attentive.Score),
                        $"{at}: Score must hold {s[0]} finite values (held {attentive.Score?.Length ?? 0})");
                    ok &= errors.Require(float.IsFinite(attentive.ScoreBias), $"{at}: ScoreBias must be finite (was {attentive.ScoreBias})");
                    ok &= errors.Require(float.IsFinite(attentive.Epsilon) && attentive.Epsilon > 0, $"{at}: Epsilon must be positive (was {attentive.Epsilon})");
                    if (!ok)
                    {
                        return null;
                    }
                    features = 2 * c;
                    flat = true;
                    break;
                }
                case FlattenLayer:
                    if (!flat)
                    {
                        features = c * h * w;
                        flat = true;
                    }
                    break;
                case LinearLayer linear:
                {
                    if (!errors.Require(flat, $"{at}: needs a [N, features] input but the input is {shapeNow}; add a FlattenLayer before it")
                        || !CheckWeight(errors, linear.Weight, 2, at))
                    {
                        return null;
                    }
                    int[] s = linear.Weight.Shape;
                    bool ok = errors.Require(s[1] == features, $"{at}: weight {linear.Weight.FormatShape()} expects {s[1]} input features but the input is {shapeNow}");
                    ok &= errors.Require(linear.Bias is null || linear.Bias.Length == s[0], $"{at}: bias holds {linear.Bias?.Length} values, expected out_features = {s[0]}");
                    ok &= errors.Require(linear.Bias is null || ValidationErrors.AllFinite(linear.Bias), $"{at}: bias has a non-finite value");
                    if (!ok)
                    {
                        return null;
                    }
                    features = s[0];
                    break;
                }
                default:
                    errors.Add($"{at}: unsupported layer");
                    return null;
            }
        }
        if (!errors.Require(flat, $"the network ends in [N, {c}, {h}, {w}]; it must end in [N, classes] (add GlobalAvgPoolLayer, FlattenLayer and a LinearLayer head)"))
        {
            return null;
        }
        return (int)features;
    }

    /// <summary>Appends the network's nodes; the description must have passed <see cref="Check"/>.</summary>
    /// <param name="g">The graph.</param>
    /// <param name="cnn">The network.</param>
    /// <param name="input">Name of the <c>[N, 1, NMels, Frames]</c> input value.</param>
    /// <param name="logitsName">Name to give the final <c>[N, classes]</c> value.</param>
    public static void Append(OnnxGraphBuilder g, CnnDescription cnn, string input, string logitsName)
    {
        string x = input;
        int last = LastEmittingLayer(cnn.Layers);
        for (int i = 0; i < cnn.Layers.Count; i++)
        {
            string? output = i == last ? logitsName : null;
            switch (cnn.Layers[i])
            {
                case Conv2dLayer conv:
                {
                    int[] s = conv.Weight.Shape;
                    string wName = g.AddFloat($"conv{i}_weight", conv.Weight.Values, s[0], s[1], s[2], s[3]);
                    string[] inputs = conv.Bias is null ? [x, wName] : [x, wName, g.AddFloat($"conv{i}_bias", conv.Bias, s[0])];
                    x = g.Node("Conv", inputs,
                    [
                        Attr.Ints("kernel_shape", s[2], s[3]),
                        Attr.Ints("strides", conv.Stride, conv.Stride),
                        Attr.Ints("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding),
                        Attr.Ints("dilations", 1, 1),
                        Attr.Int("group", 1),
                    ], output);
                    break;
                }
                case BatchNorm2dLayer bn:
                {
                    long ch = bn.Scale.Length;
                    x = g.Node("BatchNormalization",
                    [
                        x,
                        g.AddFloat($"bn{i}_scale", bn.Scale, ch),
                        g.AddFloat($"bn{i}_bias", bn.Bias, ch),
                        g.AddFloat($"bn{i}_mean", bn.RunningMean, ch),
                        g.AddFloat($"bn{i}_var", bn.RunningVar, ch),
                    ], [Attr.Float("epsilon", bn.Eps)], output);
                    break;
                }
                case ReluLayer:
                    x = g.Node("Relu", [x], null, output);
                    break;
                case MaxPool2dLayer pool:
                    x = g.Node("MaxPool", [x],
                    [
                        Attr.Ints("kernel_shape", pool.Kernel, pool.Kernel),
                        Attr.Ints("strides", pool.EffectiveStride, pool.EffectiveStride),
                    ], output);
                    break;
                case GlobalAvgPoolLayer:
                    x = g.Node("GlobalAveragePool", [x], null, output);
                    break;
                case AttentiveStatsPoolLayer attentive:
                    x = AppendAttentiveStatsPool(g, attentive, i, x, output);
                    break;
                case FlattenLayer:
                    x = g.Node("Flatten", [x], [Attr.Int("axis", 1)], output);
                    break;
                case LinearLayer linear:
                {
                    int[] s = linear.Weight.Shape;
                    string wName = g.AddFloat($"linear{i}_weight", linear.Weight.Values, s[0], s[1]);
                    string[] inputs = linear.Bias is null ? [x, wName] : [x, wName, g.AddFloat($"linear{i}_bias", linear.Bias, s[0])];
                    x = g.Node("Gemm", inputs, [Attr.Int("transB", 1)], output);
                    break;
                }
                case DropoutLayer:
                    break; // the identity at inference
                default:
                    throw new InvalidOperationException($"layer {i} is not supported; Check() should have rejected it");
            }
        }
    }

    /// <summary>[N, C, H, W] → [N, 2C]: scores by two 1 × 1 convolutions, softmax over the H·W positions (reshaped to
    /// [N, 1, H·W]), weighted first and second moments by ReduceSum over the positions, σ = √max(m₂ − μ², ε).</summary>
    private static string AppendAttentiveStatsPool(OnnxGraphBuilder g, AttentiveStatsPoolLayer layer, int i, string x, string? output)
    {
        int[] s = layer.Projection.Shape;
        string projection = g.AddFloat($"attention{i}_projection", layer.Projection.Values, s[0], s[1], 1, 1);
        string hidden = g.Node("Tanh", [g.Node("Conv", [x, projection, g.AddFloat($"attention{i}_projection_bias", layer.ProjectionBias, s[0])], [Attr.Ints("kernel_shape", 1, 1)])]);
        string scores = g.Node("Conv", [hidden, g.AddFloat($"attention{i}_score", layer.Score, 1, s[0], 1, 1), g.AddFloat($"attention{i}_score_bias", [layer.ScoreBias], 1)], [Attr.Ints("kernel_shape", 1, 1)]);
        // Reshape's 0 copies the input's dimension: [N, 1, H·W] and [N, C, H·W] for any batch size.
        string weights = g.Node("Softmax", [g.Node("Reshape", [scores, g.AddInt64($"attention{i}_score_shape", [0, 1, -1], 3)])], [Attr.Int("axis", -1)]);
        string values = g.Node("Reshape", [x, g.AddInt64($"attention{i}_value_shape", [0, 0, -1], 3)]);
        string positions = g.AddInt64($"attention{i}_axes", [2], 1);
        AttributeProto[] dropAxis = [Attr.Int("keepdims", 0)];
        string mean = g.Node("ReduceSum", [g.Node("Mul", [values, weights]), positions], dropAxis);
        string second = g.Node("ReduceSum", [g.Node("Mul", [g.Node("Mul", [values, values]), weights]), positions], dropAxis);
        string variance = g.Node("Max", [g.Node("Sub", [second, g.Node("Mul", [mean, mean])]), g.AddScalar($"attention{i}_epsilon", layer.Epsilon)]);
        return g.Node("Concat", [mean, g.Node("Sqrt", [variance])], [Attr.Int("axis", 1)], output);
    }

    private static int LastEmittingLayer(IReadOnlyList<CnnLayer> layers)
    {
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            if (layers[i] is not DropoutLayer)
            {
                return i;
            }
        }
        return -1;
    }

    private static bool RequireSpatial(ValidationErrors errors, bool flat, string at) =>
        errors.Require(!flat, $"{at}: needs a [N, C, H, W] input but the tensor was already flattened");

    private static bool CheckWeight(ValidationErrors errors, WeightTensor? weight, int rank, string at)
    {
        if (weight?.Values is null || weight.Shape is null)
        {
            errors.Add($"{at}: weight is missing");
            return false;
        }
        if (!errors.Require(weight.Shape.Length == rank && Array.TrueForAll(weight.Shape, d => d >= 1),
                $"{at}: weight shape {weight.FormatShape()} must have {rank} positive dimensions"))
        {
            return false;
        }
        return errors.Require(weight.ElementCount == weight.Values.Length,
                   $"{at}: weight holds {weight.Values.Length} values but its shape {weight.FormatShape()} needs {weight.ElementCount}")
               && errors.Require(ValidationErrors.AllFinite(weight.Values), $"{at}: weight has a non-finite value");
    }
}
