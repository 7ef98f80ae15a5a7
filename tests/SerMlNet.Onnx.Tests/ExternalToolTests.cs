using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Normalisation;
using System.Runtime.InteropServices;
using System.Text.Json;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Onnx.Tests;

/// <summary>
/// Both exported files checked by tools outside .NET: the official ONNX checker (Debian python3-onnx, via
/// Scripts/check-onnx.py) and ONNX Runtime for Node.js (npm onnxruntime-node, via Scripts/run-ort-node.js), which must
/// return the C# path's probabilities within 1e-4.
/// </summary>
public sealed class ExternalToolTests(ITestOutputHelper output, ExternalToolTests.ExportedModels models)
    : IClassFixture<ExternalToolTests.ExportedModels>
{
    private const string SystemPython = "/usr/bin/python3";

    private static string Scripts => Path.Combine(RepoPaths.Root, "tests", "SerMlNet.Onnx.Tests", "Scripts");

    [Fact]
    public void Onnx_checker_accepts_model_and_e2e_files()
    {
        ExportedModels m = Models;
        Assert.True(File.Exists(SystemPython), $"{SystemPython} is missing: install Debian's python3 and python3-onnx (./setup.sh does)");
        var (code, stdout, stderr) = ExternalProcess.Run(SystemPython,
            [Path.Combine(Scripts, "check-onnx.py"), m.ModelPath, m.EndToEndPath, m.EndToEndVariantPath, m.EndToEndEnsemblePath]);
        Assert.True(code != 3, $"python3-onnx is missing: {stderr.Trim()}");
        Assert.True(code == 0, $"onnx.checker rejected a model (exit {code}): {stderr.Trim()}");

        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        using JsonDocument model = JsonDocument.Parse(lines[0]);
        using JsonDocument e2e = JsonDocument.Parse(lines[1]);
        using JsonDocument variant = JsonDocument.Parse(lines[2]);
        using JsonDocument ensemble = JsonDocument.Parse(lines[3]);
        output.WriteLine($"onnx {model.RootElement.GetProperty("onnx_version")} checker (full_check + strict shape inference): all 4 files accepted");
        foreach (JsonElement r in new[] { model.RootElement, e2e.RootElement, variant.RootElement, ensemble.RootElement })
        {
            Assert.Equal(17, r.GetProperty("opset").GetProperty("ai.onnx").GetInt32());
            Assert.Equal("SerMlNet", r.GetProperty("producer")[0].GetString());
            // Strict shape inference derives [N, 8] for both outputs from the graph itself.
            foreach (string o in new[] { "logits", "probabilities" })
            {
                Assert.Equal("""["N",8]""", r.GetProperty("outputs").GetProperty(o).GetRawText().Replace(" ", ""));
            }
            Assert.Equal(TestModels.FrontEndJson, r.GetProperty("metadata").GetProperty("frontend").GetString());
        }
        Assert.Equal("""["N",1,20,36]""", model.RootElement.GetProperty("inputs").GetProperty("log_mel").GetRawText().Replace(" ", ""));
        foreach (JsonElement r in new[] { e2e.RootElement, variant.RootElement, ensemble.RootElement })
        {
            Assert.Equal("""["N","samples"]""", r.GetProperty("inputs").GetProperty("pcm").GetRawText().Replace(" ", ""));
            Assert.Equal("""["N"]""", r.GetProperty("inputs").GetProperty("lengths").GetRawText().Replace(" ", ""));
            Assert.Equal("16000", r.GetProperty("metadata").GetProperty("sample_rate").GetString());
        }
        Assert.Equal("false", e2e.RootElement.GetProperty("metadata").GetProperty("trims_silence").GetString());
        Assert.Equal("true", variant.RootElement.GetProperty("metadata").GetProperty("trims_silence").GetString());
    }

    [Fact]
    public void Onnx_checker_rejects_a_broken_model()
    {
        // Guards the test above against a checker that accepts anything: a node reading an undefined value must fail.
        var onnxModel = OnnxExporter.BuildModel(TestModels.SerCnnLike(seed: 1), TestModels.Options());
        onnxModel.Graph.Node[0].Input[0] = "no_such_value";
        using var temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "broken.onnx");
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(onnxModel));
        var (code, _, stderr) = ExternalProcess.Run(SystemPython, [Path.Combine(Scripts, "check-onnx.py"), path]);
        Assert.True(code != 3, $"python3-onnx is missing: {stderr.Trim()}");
        Assert.Equal(1, code);
        Assert.Contains("no_such_value", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Onnxruntime_node_returns_the_same_probabilities_for_both_files()
    {
        ExportedModels m = Models;
        string nodeModules = Path.Combine(RepoPaths.Root, "npm", "node_modules");
        Assert.True(Directory.Exists(Path.Combine(nodeModules, "onnxruntime-node")), $"onnxruntime-node is missing from {nodeModules}: run ./setup.sh (npm ci in npm/)");

        using OnnxModel model = OnnxModel.Load(m.ModelPath);
        using OnnxModel e2e = OnnxModel.Load(m.EndToEndPath);
        var cases = new (string Name, string Path, float[] Input, long[] Dims, OnnxModel CSharp)[]
        {
            ("model.onnx", m.ModelPath, m.Features, [m.Batch, 1, m.Cnn.NMels, m.Cnn.Frames], model),
            ("model-e2e.onnx", m.EndToEndPath, m.Pcm, [m.Batch, m.Pcm.Length / m.Batch], e2e),
        };
        using var temp = RepoPaths.NewTempFolder();
        foreach (var c in cases)
        {
            string inputPath = Path.Combine(temp.Path, c.Name + ".f32");
            File.WriteAllBytes(inputPath, MemoryMarshal.AsBytes(c.Input.AsSpan()).ToArray());
            var (code, stdout, stderr) = ExternalProcess.Run("node",
                [Path.Combine(Scripts, "run-ort-node.js"), c.Path, inputPath, string.Join(',', c.Dims)],
                new Dictionary<string, string> { ["NODE_PATH"] = nodeModules });
            Assert.True(code == 0, $"onnxruntime-node failed on {c.Name} (exit {code}): {stderr.Trim()}");
            using JsonDocument result = JsonDocument.Parse(stdout);
            float[] nodeProbabilities = result.RootElement.GetProperty("probabilities").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            float[] nodeLogits = result.RootElement.GetProperty("logits").EnumerateArray().Select(e => e.GetSingle()).ToArray();

            var logits = new float[m.Batch * c.CSharp.ClassCount];
            var probabilities = new float[logits.Length];
            c.CSharp.Run(c.Input, m.Batch, logits, probabilities);
            Assert.Equal(probabilities.Length, nodeProbabilities.Length);
            double worst = probabilities.Zip(nodeProbabilities, (a, b) => (double)Math.Abs(a - b)).Max();
            double worstLogit = logits.Zip(nodeLogits, (a, b) => (double)Math.Abs(a - b)).Max();
            output.WriteLine($"{c.Name}: max |C# ORT - onnxruntime-node| probability = {worst:E2}, logit = {worstLogit:E2}");
            Assert.True(worst <= 1e-4, $"{c.Name}: probabilities differ by {worst:E2} > 1e-4");
        }
    }

    private ExportedModels Models => models;

    /// <summary>One model.onnx / model-e2e.onnx pair and inputs for it, exported once for the class.</summary>
    public sealed class ExportedModels : IDisposable
    {
        private readonly TempFolder _folder = RepoPaths.NewTempFolder();

        public ExportedModels()
        {
            Cnn = TestModels.SerCnnLike(seed: 7, nMels: 20, frames: 36, headScale: 20);
            FrontEndDescription fe = TestModels.FrontEnd(nMels: 20, frames: 36);
            ModelPath = Path.Combine(_folder.Path, "model.onnx");
            EndToEndPath = Path.Combine(_folder.Path, "model-e2e.onnx");
            OnnxExporter.Export(Cnn, TestModels.Options(), ModelPath);
            OnnxExporter.ExportEndToEnd(Cnn, fe, TestModels.Options(), EndToEndPath);
            // The other front-end branches (in-graph trimming, reflect pad, |X|^1, no top_db, centre crop, per-band statistics).
            EndToEndVariantPath = Path.Combine(_folder.Path, "model-e2e-variant.onnx");
            var rng = new Random(5);
            FrontEndDescription variant = TestModels.FrontEnd(nMels: 20, frames: 36, padMode: PadMode.Reflect, crop: CropAlignment.Center,
                normalisation: FeatureNormalisation.PerBand, power: 1f, topDb: null,
                bandMean: TestModels.Uniform(rng, 20, 10), bandStd: TestModels.Uniform(rng, 20, 1).Select(v => v + 2).ToArray(),
                trim: new Audio.Trimming.TrimOptions { TopDb = 30, FrameLength = 400, HopLength = 150 });
            OnnxExporter.ExportEndToEnd(Cnn, variant, TestModels.Options(), EndToEndVariantPath);
            // An ensemble of three networks on one front end (Mean of the softmax outputs, Max, Log), the third with
            // attentive statistics pooling (1 x 1 Conv, Tanh, Reshape, Softmax, ReduceSum, Sqrt, Concat).
            EndToEndEnsemblePath = Path.Combine(_folder.Path, "model-e2e-ensemble.onnx");
            OnnxExporter.ExportEndToEnd([Cnn, TestModels.SerCnnLike(seed: 8, nMels: 20, frames: 36, headScale: 20), TestModels.AttentivePooling(seed: 9)], fe, TestModels.Options(), EndToEndEnsemblePath);
            Features = TestModels.Uniform(new Random(3), Batch * Cnn.NMels * Cnn.Frames, 2.0);
            Pcm = [.. TestModels.Signal(1, 4000), .. TestModels.Signal(2, 4000), .. TestModels.Signal(3, 4000)];
        }

        public int Batch => 3;

        public CnnDescription Cnn { get; }

        public string ModelPath { get; }

        public string EndToEndPath { get; }

        public string EndToEndVariantPath { get; }

        public string EndToEndEnsemblePath { get; }

        public float[] Features { get; }

        public float[] Pcm { get; }

        public void Dispose() => _folder.Dispose();
    }
}
