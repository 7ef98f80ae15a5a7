namespace SerMlNet.Onnx.Tests.Reference;

/// <summary>
/// A deliberately naive forward pass of a <see cref="CnnDescription"/> in double precision (direct loops, no tricks),
/// the independent reference the exported graph is checked against.
/// </summary>
internal static class ReferenceCnn
{
    /// <summary>Runs one example.</summary>
    /// <param name="cnn">The network.</param>
    /// <param name="input">[NMels, Frames] row-major.</param>
    /// <returns>Logits and softmax probabilities.</returns>
    public static (double[] Logits, double[] Probabilities) Forward(CnnDescription cnn, ReadOnlySpan<float> input)
    {
        int c = 1, h = cnn.NMels, w = cnn.Frames;
        double[] x = new double[input.Length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = input[i];
        }
        bool flat = false;
        foreach (CnnLayer layer in cnn.Layers)
        {
            switch (layer)
            {
                case Conv2dLayer conv:
                    (x, c, h, w) = Conv(x, c, h, w, conv);
                    break;
                case BatchNorm2dLayer bn:
                    for (int ch = 0; ch < c; ch++)
                    {
                        double scale = bn.Scale[ch] / Math.Sqrt(bn.RunningVar[ch] + (double)bn.Eps);
                        for (int i = 0; i < h * w; i++)
                        {
                            int k = ch * h * w + i;
                            x[k] = (x[k] - bn.RunningMean[ch]) * scale + bn.Bias[ch];
                        }
                    }
                    break;
                case ReluLayer:
                    for (int i = 0; i < x.Length; i++)
                    {
                        x[i] = Math.Max(0, x[i]);
                    }
                    break;
                case MaxPool2dLayer pool:
                {
                    int s = pool.EffectiveStride, k = pool.Kernel;
                    int oh = (h - k) / s + 1, ow = (w - k) / s + 1;
                    var y = new double[c * oh * ow];
                    for (int ch = 0; ch < c; ch++)
                    for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double m = double.NegativeInfinity;
                        for (int a = 0; a < k; a++)
                        for (int b = 0; b < k; b++)
                        {
                            m = Math.Max(m, x[ch * h * w + (i * s + a) * w + j * s + b]);
                        }
                        y[ch * oh * ow + i * ow + j] = m;
                    }
                    (x, h, w) = (y, oh, ow);
                    break;
                }
                case DropoutLayer:
                    break;
                case GlobalAvgPoolLayer:
                {
                    var y = new double[c];
                    for (int ch = 0; ch < c; ch++)
                    {
                        double sum = 0;
                        for (int i = 0; i < h * w; i++)
                        {
                            sum += x[ch * h * w + i];
                        }
                        y[ch] = sum / (h * w);
                    }
                    (x, h, w) = (y, 1, 1);
                    break;
                }
                case AttentiveStatsPoolLayer attentive:
                {
                    int a = attentive.Projection.Shape[0], positions = h * w;
                    Assert.Equal(c, attentive.Projection.Shape[1]);
                    double[] scores = new double[positions];
                    for (int t = 0; t < positions; t++)
                    {
                        double score = attentive.ScoreBias;
                        for (int j = 0; j < a; j++)
                        {
                            double z = attentive.ProjectionBias[j];
                            for (int ch = 0; ch < c; ch++)
                            {
                                z += attentive.Projection.Values[j * c + ch] * x[ch * positions + t];
                            }
                            score += attentive.Score[j] * Math.Tanh(z);
                        }
                        scores[t] = score;
                    }
                    double top = scores.Max();
                    double[] alpha = scores.Select(score => Math.Exp(score - top)).ToArray();
                    double norm = alpha.Sum();
                    var y = new double[2 * c];
                    for (int ch = 0; ch < c; ch++)
                    {
                        double m1 = 0, m2 = 0;
                        for (int t = 0; t < positions; t++)
                        {
                            double v = x[ch * positions + t], p = alpha[t] / norm;
                            m1 += p * v;
                            m2 += p * v * v;
                        }
                        y[ch] = m1;
                        y[c + ch] = Math.Sqrt(Math.Max(m2 - m1 * m1, attentive.Epsilon));
                    }
                    (x, h, w) = (y, 1, 1);
                    flat = true;
                    break;
                }
                case FlattenLayer:
                    flat = true;
                    break;
                case LinearLayer linear:
                {
                    Assert.True(flat);
                    int outF = linear.Weight.Shape[0], inF = linear.Weight.Shape[1];
                    Assert.Equal(inF, x.Length);
                    var y = new double[outF];
                    for (int o = 0; o < outF; o++)
                    {
                        double sum = linear.Bias?[o] ?? 0;
                        for (int i = 0; i < inF; i++)
                        {
                            sum += linear.Weight.Values[o * inF + i] * x[i];
                        }
                        y[o] = sum;
                    }
                    x = y;
                    break;
                }
                default:
                    throw new NotSupportedException(layer.GetType().Name);
            }
        }
        double max = x.Max();
        double[] e = x.Select(v => Math.Exp(v - max)).ToArray();
        double total = e.Sum();
        return (x, e.Select(v => v / total).ToArray());
    }

    private static (double[], int, int, int) Conv(double[] x, int c, int h, int w, Conv2dLayer conv)
    {
        int[] s = conv.Weight.Shape;
        int oc = s[0], kh = s[2], kw = s[3], p = conv.Padding, st = conv.Stride;
        Assert.Equal(c, s[1]);
        int oh = (h + 2 * p - kh) / st + 1, ow = (w + 2 * p - kw) / st + 1;
        var y = new double[oc * oh * ow];
        for (int o = 0; o < oc; o++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            double sum = conv.Bias?[o] ?? 0;
            for (int ci = 0; ci < c; ci++)
            for (int a = 0; a < kh; a++)
            for (int b = 0; b < kw; b++)
            {
                int r = i * st + a - p, q = j * st + b - p;
                if (r >= 0 && r < h && q >= 0 && q < w)
                {
                    sum += conv.Weight.Values[((o * c + ci) * kh + a) * kw + b] * x[ci * h * w + r * w + q];
                }
            }
            y[o * oh * ow + i * ow + j] = sum;
        }
        return (y, oc, oh, ow);
    }
}
