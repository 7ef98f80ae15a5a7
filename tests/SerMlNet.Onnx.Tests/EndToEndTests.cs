using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Normalisation;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using SerMlNet.Onnx.Tests.Reference;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Onnx.Tests;

public sealed class EndToEndTests(ITestOutputHelper output)
{
    // 1 s and 0.55 s at 16 kHz with hop 80: 201 and 111 STFT frames around the 160 the CNN takes (crop and pad).
    private const int LongClip = 16000;
    private const int ShortClip = 8800;

    public static TheoryData<string> FrontEnds => new()
    {
        "constant-utterance-start",
        "reflect-perband-center",
        "constant-none-end-power1-notopdb",
        "reflect-utterance-end-fullwindow",
    };

    private static FrontEndDescription Describe(string name)
    {
        const int mels = 20, frames = 160;
        var rng = new Random(9);
        return name switch
        {
            "constant-utterance-start" => TestModels.FrontEnd(mels, frames),
            "reflect-perband-center" => TestModels.FrontEnd(mels, frames, padMode: PadMode.Reflect, crop: CropAlignment.Center,
                normalisation: FeatureNormalisation.PerBand,
                bandMean: TestModels.Uniform(rng, mels, 20).Select(v => v - 40).ToArray(),
                bandStd: TestModels.Uniform(rng, mels, 5).Select(v => v + 12).ToArray()),
            "constant-none-end-power1-notopdb" => TestModels.FrontEnd(mels, frames, crop: CropAlignment.End,
                normalisation: FeatureNormalisation.None, power: 1f, topDb: null),
            "reflect-utterance-end-fullwindow" => TestModels.FrontEnd(mels, frames, nFft: 256, hop: 100, winLength: null,
                padMode: PadMode.Reflect, crop: CropAlignment.End),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    [Theory]
    [MemberData(nameof(FrontEnds))]
    public void In_graph_front_end_matches_a_plain_double_precision_reference(string name)
    {
        FrontEndDescription fe = Describe(name);
        using var temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "frontend.onnx");
        File.WriteAllBytes(path, OnnxExporter.BuildFrontEndModel(fe).ToByteArray());
        using var session = new InferenceSession(path);

        foreach (int samples in new[] { LongClip, ShortClip })
        {
            float[] a = TestModels.Signal(seed: 1, samples), b = TestModels.Signal(seed: 2, samples);
            float[] batch = [.. a, .. b];
            using OrtValue input = OrtValue.CreateTensorValueFromMemory(batch, [2, samples]);
            using OrtValue lengths = OrtValue.CreateTensorValueFromMemory(new long[] { samples, samples }, [2]);
            using var results = session.Run(new RunOptions(), ["pcm", "lengths"], [input, lengths], ["log_mel"]);
            ReadOnlySpan<float> got = results[0].GetTensorDataAsSpan<float>();
            int per = fe.NMels * fe.Frames;
            Assert.Equal(2 * per, got.Length);
            double worst = 0;
            for (int e = 0; e < 2; e++)
            {
                float[] expected = ReferenceFrontEnd.Compute(fe, e == 0 ? a : b);
                for (int i = 0; i < per; i++)
                {
                    worst = Math.Max(worst, Math.Abs(expected[i] - got[e * per + i]));
                }
            }
            // dB features span ~80 units; normalised ones ~4. Both must agree to well under a thousandth of their range.
            double tolerance = fe.Normalisation == FeatureNormalisation.None ? 5e-4 : 1e-4;
            output.WriteLine($"{name}, {samples} samples: max |graph - reference| = {worst:E2} (tolerance {tolerance:E0})");
            Assert.True(worst <= tolerance, $"{name}, {samples} samples: max |graph - reference| = {worst:E2} > {tolerance:E0}");
        }
    }

    [Theory]
    [MemberData(nameof(FrontEnds))]
    public void End_to_end_model_matches_front_end_plus_model_onnx(string name)
    {
        FrontEndDescription fe = Describe(name);
        CnnDescription cnn = TestModels.SerCnnLike(seed: 21, nMels: fe.NMels, frames: fe.Frames, headScale: 40);
        using var temp = RepoPaths.NewTempFolder();
        string modelPath = Path.Combine(temp.Path, "model.onnx"), e2ePath = Path.Combine(temp.Path, "model-e2e.onnx");
        OnnxExporter.Export(cnn, TestModels.Options(), modelPath);
        OnnxExporter.ExportEndToEnd(cnn, fe, TestModels.Options(), e2ePath);
        using OnnxModel model = OnnxModel.Load(modelPath);
        using OnnxModel e2e = OnnxModel.Load(e2ePath);
        Assert.Equal(ModelInputKind.Pcm, e2e.InputKind);
        Assert.Equal(16000, e2e.Metadata.SampleRate);
        Assert.Equal([-1L, -1L], e2e.InputShape);

        foreach (int samples in new[] { LongClip, ShortClip })
        {
            float[][] clips = [TestModels.Signal(3, samples), TestModels.Signal(4, samples), TestModels.Signal(5, samples)];
            float[] features = clips.SelectMany(c => ReferenceFrontEnd.Compute(fe, c)).ToArray();
            IReadOnlyList<EmotionPrediction> separate = model.Predict(features, clips.Length);
            IReadOnlyList<EmotionPrediction> endToEnd = e2e.Predict(clips.SelectMany(c => c).ToArray(), clips.Length);
            double worst = 0, spread = 0;
            for (int i = 0; i < clips.Length; i++)
            {
                for (int k = 0; k < model.ClassCount; k++)
                {
                    worst = Math.Max(worst, Math.Abs(separate[i].Probabilities[k] - endToEnd[i].Probabilities[k]));
                    spread = Math.Max(spread, Math.Abs(separate[i].Probabilities[k] - 1.0 / model.ClassCount));
                }
            }
            output.WriteLine($"{name}, {samples} samples: max |e2e - (front end + model.onnx)| probability = {worst:E2}; largest distance from uniform = {spread:F3}");
            Assert.True(spread > 0.2, "the test network barely reacts to its input; the comparison would prove little");
            Assert.True(worst <= 1e-3, $"{name}: max probability difference {worst:E2} > 1e-3");
        }
    }

    [Fact]
    public void Front_end_and_network_must_agree_on_geometry()
    {
        FrontEndDescription fe = TestModels.FrontEnd(nMels: 20, frames: 50) with { HopLength = 0, MelFilterbank = new float[7] };
        CnnDescription cnn = TestModels.SerCnnLike(seed: 1, nMels: 24, frames: 60);
        var e = Assert.Throws<OnnxValidationException>(() => OnnxExporter.BuildEndToEndModel(cnn, fe, TestModels.Options()));
        Assert.Contains(e.Errors, s => s.Contains("HopLength", StringComparison.Ordinal));
        Assert.Contains(e.Errors, s => s.Contains("MelFilterbank holds 7 values", StringComparison.Ordinal));
        Assert.Contains(e.Errors, s => s.Contains("20 Mel bands but the network expects 24", StringComparison.Ordinal));
        Assert.Contains(e.Errors, s => s.Contains("50 frames but the network expects 60", StringComparison.Ordinal));
    }

    [Fact]
    public void An_end_to_end_ensemble_shares_one_front_end_and_averages_its_members()
    {
        FrontEndDescription fe = Describe("reflect-perband-center");
        CnnDescription[] members = [.. new[] { 41, 42 }.Select(seed => TestModels.SerCnnLike(seed, nMels: fe.NMels, frames: fe.Frames, headScale: 40))];
        using var temp = RepoPaths.NewTempFolder();
        string[] singlePaths = [Path.Combine(temp.Path, "a.onnx"), Path.Combine(temp.Path, "b.onnx")];
        string ensemblePath = Path.Combine(temp.Path, "ensemble-e2e.onnx");
        for (int m = 0; m < members.Length; m++)
        {
            OnnxExporter.ExportEndToEnd(members[m], fe, TestModels.Options(), singlePaths[m]);
        }
        OnnxExporter.ExportEndToEnd(members, fe, TestModels.Options(), ensemblePath);
        // One front end: the ensemble adds the second network, its softmax, Mean, Max and Log to a single model's graph.
        int NodeCount(string path) => global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Node.Count;
        int networkNodes = OnnxExporter.BuildModel(members[1], TestModels.Options()).Graph.Node.Count - 1;
        Assert.Equal(NodeCount(singlePaths[0]) + networkNodes + 4, NodeCount(ensemblePath));

        float[][] clips = [TestModels.Signal(6, LongClip), TestModels.Signal(7, LongClip)];
        float[] pcm = [.. clips.SelectMany(c => c)];
        using OnnxModel first = OnnxModel.Load(singlePaths[0]), second = OnnxModel.Load(singlePaths[1]), ensemble = OnnxModel.Load(ensemblePath);
        IReadOnlyList<EmotionPrediction> a = first.Predict(pcm, clips.Length), b = second.Predict(pcm, clips.Length), both = ensemble.Predict(pcm, clips.Length);
        double worst = 0, disagreement = 0;
        for (int i = 0; i < clips.Length; i++)
        {
            for (int k = 0; k < ensemble.ClassCount; k++)
            {
                worst = Math.Max(worst, Math.Abs((a[i].Probabilities[k] + b[i].Probabilities[k]) / 2 - both[i].Probabilities[k]));
                disagreement = Math.Max(disagreement, Math.Abs(a[i].Probabilities[k] - b[i].Probabilities[k]));
            }
        }
        output.WriteLine($"end-to-end ensemble of 2: max |ensemble - mean of members| = {worst:E2}; largest member disagreement = {disagreement:F3}");
        Assert.True(disagreement > 0.2, "the members barely differ; the mean would prove little");
        Assert.True(worst <= 1e-5, $"max |ensemble - mean of members| = {worst:E2}");
    }
}
