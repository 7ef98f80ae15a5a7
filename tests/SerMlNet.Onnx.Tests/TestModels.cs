using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Trimming;
namespace SerMlNet.Onnx.Tests;

/// <summary>Seeded random networks, front ends and signals shared by the tests.</summary>
internal static class TestModels
{
    /// <summary>The 8 RAVDESS emotions, in the dataset's code order.</summary>
    public static readonly string[] Emotions = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"];

    public const string FrontEndJson = """{"format":"test-front-end","sample_rate":16000,"n_mels":20}""";

    public const string MetricsJson = """{"accuracy":0.5,"macro_f1":0.25}""";

    /// <summary>
    /// SerCnn-like: two conv3x3/pad1 + BN + ReLU + MaxPool2 blocks, dropout, GAP, linear head. <paramref name="headScale"/>
    /// scales the head's weights: large values make the probabilities react strongly to the input (like a trained
    /// model's, far from uniform), so comparisons of probabilities are sensitive.
    /// </summary>
    public static CnnDescription SerCnnLike(int seed, int nMels = 20, int frames = 36, int classes = 8, double headScale = 1)
    {
        var rng = new Random(seed);
        return new CnnDescription(
        [
            Conv(rng, 4, 1, 3, bias: true, stride: 1, padding: 1),
            BatchNorm(rng, 4),
            new ReluLayer(),
            new MaxPool2dLayer(2),
            Conv(rng, 6, 4, 3, bias: true, stride: 1, padding: 1),
            BatchNorm(rng, 6),
            new ReluLayer(),
            new MaxPool2dLayer(2),
            new DropoutLayer(0.3f),
            new GlobalAvgPoolLayer(),
            new FlattenLayer(),
            Linear(rng, classes, 6, bias: true, headScale),
        ], nMels, frames);
    }

    /// <summary>One conv block, then attentive statistics pooling (8 attention channels) over the 10 × 18 map and a
    /// linear head over its 2 × 6 means and deviations.</summary>
    public static CnnDescription AttentivePooling(int seed, int nMels = 20, int frames = 36, int classes = 8)
    {
        var rng = new Random(seed);
        return new CnnDescription(
        [
            Conv(rng, 6, 1, 3, bias: true, stride: 1, padding: 1),
            BatchNorm(rng, 6),
            new ReluLayer(),
            new MaxPool2dLayer(2),
            new AttentiveStatsPoolLayer(new WeightTensor(Uniform(rng, 8 * 6, 1.0), [8, 6]), Uniform(rng, 8, 0.5), Uniform(rng, 8, 2.0), 0.3f),
            new DropoutLayer(0.3f),
            Linear(rng, classes, 12, bias: true, 3),
        ], nMels, frames);
    }

    /// <summary>Exercises the less common paths: no biases, stride 2 without padding, overlapping pool, an MLP head over a flattened map.</summary>
    public static CnnDescription Unusual(int seed, int nMels = 17, int frames = 29)
    {
        var rng = new Random(seed);
        // 17x29 -conv 3x3 s2 p0-> 8x14 -pool k3 s2-> 3x6 -flatten-> 5*3*6 = 90.
        return new CnnDescription(
        [
            Conv(rng, 5, 1, 3, bias: false, stride: 2, padding: 0),
            BatchNorm(rng, 5),
            new ReluLayer(),
            new MaxPool2dLayer(3, 2),
            new FlattenLayer(),
            Linear(rng, 12, 90, bias: false),
            new ReluLayer(),
            new DropoutLayer(0.5f),
            Linear(rng, 4, 12, bias: true),
        ], nMels, frames);
    }

    public static OnnxExportOptions Options(IReadOnlyList<string>? labels = null) => new()
    {
        ClassLabels = labels ?? Emotions,
        FrontEndJson = FrontEndJson,
        MetricsJson = MetricsJson,
    };

    /// <summary>Uniform values in [-scale, scale).</summary>
    public static float[] Uniform(Random rng, int count, double scale)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++)
        {
            v[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    /// <summary>A front end at 16 kHz with a triangular (HTK-style) Mel filterbank.</summary>
    public static FrontEndDescription FrontEnd(
        int nMels = 20, int frames = 36, int nFft = 256, int hop = 80, int? winLength = 200,
        PadMode padMode = PadMode.Constant, CropAlignment crop = CropAlignment.Start,
        FeatureNormalisation normalisation = FeatureNormalisation.Utterance, float power = 2f, float? topDb = 80f,
        float[]? bandMean = null, float[]? bandStd = null, TrimOptions? trim = null) => new()
    {
        SampleRate = 16000,
        Trim = trim,
        NFft = nFft,
        HopLength = hop,
        WinLength = winLength,
        PadMode = padMode,
        Power = power,
        NMels = nMels,
        MelFilterbank = MelFilterbank(16000, nFft, nMels),
        TopDb = topDb,
        Frames = frames,
        CropAlignment = crop,
        Normalisation = normalisation,
        BandMean = bandMean,
        BandStd = bandStd,
    };

    /// <summary>Triangular filters evenly spaced on the HTK Mel scale from 0 Hz to Nyquist, area-normalised.</summary>
    public static float[] MelFilterbank(int sampleRate, int nFft, int nMels)
    {
        int bins = nFft / 2 + 1;
        static double HzToMel(double f) => 2595 * Math.Log10(1 + f / 700);
        static double MelToHz(double m) => 700 * (Math.Pow(10, m / 2595) - 1);
        double maxMel = HzToMel(sampleRate / 2.0);
        var edges = Enumerable.Range(0, nMels + 2).Select(i => MelToHz(maxMel * i / (nMels + 1))).ToArray();
        var fb = new float[nMels * bins];
        for (int m = 0; m < nMels; m++)
        {
            for (int k = 0; k < bins; k++)
            {
                double f = (double)k * sampleRate / nFft;
                double up = (f - edges[m]) / (edges[m + 1] - edges[m]);
                double down = (edges[m + 2] - f) / (edges[m + 2] - edges[m + 1]);
                double weight = Math.Max(0, Math.Min(up, down)) * 2 / (edges[m + 2] - edges[m]);
                fb[m * bins + k] = (float)weight;
            }
        }
        return fb;
    }

    /// <summary>A speech-like test signal: a gliding harmonic tone with an envelope, plus a little noise.</summary>
    public static float[] Signal(int seed, int samples, int sampleRate = 16000)
    {
        var rng = new Random(seed);
        double f0 = 120 + 80 * rng.NextDouble();
        var x = new float[samples];
        double phase = 0;
        for (int i = 0; i < samples; i++)
        {
            double t = (double)i / sampleRate;
            double f = f0 * (1 + 0.2 * Math.Sin(2 * Math.PI * 1.5 * t));
            phase += 2 * Math.PI * f / sampleRate;
            double envelope = 0.5 * (1 - Math.Cos(2 * Math.PI * Math.Min(1, t / 0.8)));
            double v = 0;
            for (int h = 1; h <= 6; h++)
            {
                v += Math.Sin(h * phase) / h;
            }
            x[i] = (float)(0.3 * envelope * v + 0.01 * (rng.NextDouble() * 2 - 1));
        }
        return x;
    }

    private static Conv2dLayer Conv(Random rng, int outC, int inC, int k, bool bias, int stride, int padding) => new(
        new WeightTensor(Uniform(rng, outC * inC * k * k, 1.0 / Math.Sqrt(inC * k * k)), [outC, inC, k, k]),
        bias ? Uniform(rng, outC, 0.2) : null,
        stride,
        padding);

    private static BatchNorm2dLayer BatchNorm(Random rng, int c) => new(
        Uniform(rng, c, 0.5).Select(v => 1 + v).ToArray(),
        Uniform(rng, c, 0.3),
        Uniform(rng, c, 0.5),
        Uniform(rng, c, 0.4).Select(v => 1 + v).ToArray(),
        1e-5f);

    private static LinearLayer Linear(Random rng, int outF, int inF, bool bias, double scale = 1) => new(
        new WeightTensor(Uniform(rng, outF * inF, scale / Math.Sqrt(inF)), [outF, inF]),
        bias ? Uniform(rng, outF, 0.2) : null);
}
