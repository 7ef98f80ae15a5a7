using Google.Protobuf;
using Onnx;
using SerMlNet.Onnx.Tests.Reference;
using SerMlNet.Tests;

namespace SerMlNet.Onnx.Tests;

public sealed class ExportTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Networks => new() { "sercnn", "unusual", "attentive" };

    private static (CnnDescription Cnn, IReadOnlyList<string> Labels) Network(string name) => name switch
    {
        "sercnn" => (TestModels.SerCnnLike(seed: 11), TestModels.Emotions),
        "attentive" => (TestModels.AttentivePooling(seed: 13), TestModels.Emotions),
        _ => (TestModels.Unusual(seed: 12), ["a", "b", "c", "d"]),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Ort_matches_a_naive_reference_forward_pass(string name)
    {
        var (cnn, labels) = Network(name);
        using var temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "model.onnx");
        OnnxExporter.Export(cnn, TestModels.Options(labels), path);

        const int batch = 3;
        int perExample = cnn.NMels * cnn.Frames;
        float[] input = TestModels.Uniform(new Random(5), batch * perExample, 3.0);
        using OnnxModel model = OnnxModel.Load(path);
        Assert.Equal(ModelInputKind.LogMel, model.InputKind);
        Assert.Equal(perExample, model.ValuesPerExample);
        var logits = new float[batch * labels.Count];
        var probabilities = new float[batch * labels.Count];
        model.Run(input, batch, logits, probabilities);

        double worst = 0;
        for (int b = 0; b < batch; b++)
        {
            var (refLogits, refProbabilities) = ReferenceCnn.Forward(cnn, input.AsSpan(b * perExample, perExample));
            for (int k = 0; k < labels.Count; k++)
            {
                worst = Math.Max(worst, Math.Abs(refLogits[k] - logits[b * labels.Count + k]));
                worst = Math.Max(worst, Math.Abs(refProbabilities[k] - probabilities[b * labels.Count + k]));
            }
        }
        Assert.True(worst <= Tolerance, $"max |ORT - reference| = {worst:E2} > {Tolerance:E0}");
        // The logits must not be trivially flat, or the comparison would prove little.
        Assert.True(logits.Max() - logits.Min() > 0.05, "logits are nearly constant; the test network is degenerate");
    }

    [Fact]
    public void Model_has_opset_17_dynamic_batch_initializers_and_metadata()
    {
        CnnDescription cnn = TestModels.SerCnnLike(seed: 1);
        using var temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "model.onnx");
        OnnxExporter.Export(cnn, TestModels.Options(), path);

        ModelProto m = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal(17, m.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal(OnnxMetadataKeys.ProducerName, m.ProducerName);
        Assert.False(string.IsNullOrEmpty(m.ProducerVersion));
        ValueInfoProto input = Assert.Single(m.Graph.Input);
        Assert.Equal("log_mel", input.Name);
        var dims = input.Type.TensorType.Shape.Dim;
        Assert.Equal("N", dims[0].DimParam);
        Assert.Equal([1L, 20L, 36L], dims.Skip(1).Select(d => d.DimValue));
        Assert.Equal(["logits", "probabilities"], m.Graph.Output.Select(o => o.Name));
        Assert.Equal("N", m.Graph.Output[1].Type.TensorType.Shape.Dim[0].DimParam);
        // Weights live in initializers: 2 conv (w, b), 2 BN (4 each), 1 linear (w, b); dropout adds nothing.
        Assert.Equal(2 * 2 + 2 * 4 + 2, m.Graph.Initializer.Count);
        Assert.DoesNotContain(m.Graph.Node, n => n.OpType == "Dropout");
        var meta = m.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(OnnxMetadataKeys.FormatName, meta["format"]);
        Assert.Equal("2", meta["format_version"]);
        Assert.Equal("log_mel", meta["input_kind"]);
        Assert.Equal("""["neutral","calm","happy","sad","angry","fearful","disgust","surprised"]""", meta["labels"]);
        Assert.Equal(TestModels.FrontEndJson, meta["frontend"]);
        Assert.Equal(TestModels.MetricsJson, meta["metrics"]);

        using OnnxModel model = OnnxModel.Load(path);
        Assert.Equal(TestModels.Emotions, model.Labels);
        Assert.Equal(TestModels.FrontEndJson, model.Metadata.FrontEndJson);
        Assert.Equal(TestModels.MetricsJson, model.Metadata.MetricsJson);
        Assert.Null(model.Metadata.SampleRate);
        Assert.Equal([-1L, 1, 20, 36], model.InputShape);
    }

    [Fact]
    public void Export_replaces_the_file_atomically_and_leaves_no_temporary_files()
    {
        using var temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "sub", "model.onnx");
        OnnxExporter.Export(TestModels.SerCnnLike(seed: 1), TestModels.Options(), path);
        byte[] first = File.ReadAllBytes(path);
        OnnxExporter.Export(TestModels.SerCnnLike(seed: 2), TestModels.Options(), path);
        byte[] second = File.ReadAllBytes(path);
        Assert.NotEqual(first, second);
        Assert.Equal(["model.onnx"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Invalid_descriptions_report_every_problem_at_once()
    {
        CnnDescription good = TestModels.SerCnnLike(seed: 3);
        var layers = good.Layers.ToList();
        var conv = (Conv2dLayer)layers[4];
        layers[4] = conv with { Weight = new WeightTensor(conv.Weight.Values, [6, 5, 3, 3]) }; // wrong in-channels and value count
        var bad = good with { Layers = layers };
        var options = new OnnxExportOptions
        {
            ClassLabels = ["a", "a", " "],
            FrontEndJson = "{not json",
        };
        using var temp = RepoPaths.NewTempFolder();
        var e = Assert.Throws<OnnxValidationException>(() => OnnxExporter.Export(bad, options, Path.Combine(temp.Path, "m.onnx")));
        Assert.Contains(e.Errors, s => s.Contains("duplicate", StringComparison.Ordinal));
        Assert.Contains(e.Errors, s => s.Contains("blank", StringComparison.Ordinal));
        Assert.Contains(e.Errors, s => s.Contains("FrontEndJson is not valid JSON", StringComparison.Ordinal));
        Assert.Contains(e.Errors, s => s.StartsWith("layer 4 (Conv2dLayer)", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Attentive_pooling_is_checked_before_anything_is_built()
    {
        var good = (AttentiveStatsPoolLayer)TestModels.AttentivePooling(seed: 2).Layers[4];
        CnnDescription cnn = TestModels.AttentivePooling(seed: 2);
        var layers = cnn.Layers.ToList();
        layers[4] = good with { Projection = new WeightTensor(new float[8 * 5], [8, 5]), Score = new float[7], Epsilon = 0 };
        var e = Assert.Throws<OnnxValidationException>(() => OnnxExporter.BuildModel(cnn with { Layers = layers }, TestModels.Options()));
        Assert.Contains("layer 4 (AttentiveStatsPoolLayer): Projection [8, 5] expects 5 channels but the input is [N, 6, 10, 18]", e.Message, StringComparison.Ordinal);
        Assert.Contains("Score must hold 8 finite values (held 7)", e.Message, StringComparison.Ordinal);
        Assert.Contains("Epsilon must be positive (was 0)", e.Message, StringComparison.Ordinal);

        // It ends flat ([N, 2C]): the head reads 12 features, and a Linear over 6 is refused.
        layers[4] = good;
        layers[6] = new LinearLayer(new WeightTensor(new float[8 * 6], [8, 6]), null);
        e = Assert.Throws<OnnxValidationException>(() => OnnxExporter.BuildModel(cnn with { Layers = layers }, TestModels.Options()));
        Assert.Contains("expects 6 input features but the input is [N, 12]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_count_must_match_the_head_and_the_net_must_end_flat()
    {
        var e = Assert.Throws<OnnxValidationException>(() =>
            OnnxExporter.BuildModel(TestModels.SerCnnLike(seed: 3, classes: 7), TestModels.Options()));
        Assert.Contains("outputs 7 logits but 8 class labels", e.Message, StringComparison.Ordinal);

        var notFlat = new CnnDescription([new ReluLayer(), new GlobalAvgPoolLayer()], 4, 4);
        e = Assert.Throws<OnnxValidationException>(() => OnnxExporter.BuildModel(notFlat, TestModels.Options()));
        Assert.Contains("must end in [N, classes]", e.Message, StringComparison.Ordinal);

        var linearOn4d = new CnnDescription([new LinearLayer(new WeightTensor(new float[32], [8, 4]), null)], 2, 2);
        e = Assert.Throws<OnnxValidationException>(() => OnnxExporter.BuildModel(linearOn4d, TestModels.Options()));
        Assert.Contains("add a FlattenLayer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ensemble_outputs_the_mean_of_its_members_probabilities_and_their_log_as_logits()
    {
        CnnDescription[] members = [TestModels.SerCnnLike(seed: 31, headScale: 40), TestModels.SerCnnLike(seed: 32, headScale: 40), TestModels.SerCnnLike(seed: 33, headScale: 40)];
        using var temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "ensemble.onnx");
        OnnxExporter.Export(members, TestModels.Options(), path);

        const int batch = 4;
        int perExample = members[0].NMels * members[0].Frames;
        float[] input = TestModels.Uniform(new Random(8), batch * perExample, 3.0);
        using OnnxModel model = OnnxModel.Load(path);
        IReadOnlyList<EmotionPrediction> predicted = model.Predict(input, batch);
        double worst = 0, softmaxOfLogits = 0, disagreement = 0;
        for (int b = 0; b < batch; b++)
        {
            double[][] each = [.. members.Select(m => ReferenceCnn.Forward(m, input.AsSpan(b * perExample, perExample)).Probabilities)];
            double[] exp = [.. predicted[b].Logits.Select(l => Math.Exp(l))];
            double[] softmax = [.. exp.Select(v => v / exp.Sum())];
            for (int k = 0; k < model.ClassCount; k++)
            {
                double mean = each.Average(p => p[k]);
                worst = Math.Max(worst, Math.Abs(mean - predicted[b].Probabilities[k]));
                softmaxOfLogits = Math.Max(softmaxOfLogits, Math.Abs(softmax[k] - predicted[b].Probabilities[k]));
                disagreement = Math.Max(disagreement, each.Max(p => p[k]) - each.Min(p => p[k]));
            }
        }
        Assert.True(disagreement > 0.2, "the members barely differ; the mean would prove little");
        Assert.True(worst <= Tolerance, $"max |ensemble - mean of members| = {worst:E2}");
        Assert.True(softmaxOfLogits <= Tolerance, $"max |softmax(logits) - probabilities| = {softmaxOfLogits:E2}");
        Assert.All(predicted, p => Assert.All(p.Logits, l => Assert.True(float.IsFinite(l))));
    }

    [Fact]
    public void An_ensemble_of_one_is_the_single_network_graph()
    {
        CnnDescription cnn = TestModels.SerCnnLike(seed: 4);
        Assert.Equal(OnnxExporter.BuildModel(cnn, TestModels.Options()).ToByteArray(), OnnxExporter.BuildModel([cnn], TestModels.Options()).ToByteArray());
    }

    [Fact]
    public void Ensemble_members_must_share_input_geometry_and_classes()
    {
        var e = Assert.Throws<OnnxValidationException>(() =>
            OnnxExporter.BuildModel([TestModels.SerCnnLike(seed: 1), TestModels.SerCnnLike(seed: 2, frames: 40), TestModels.SerCnnLike(seed: 3, classes: 7)], TestModels.Options()));
        Assert.Contains(e.Errors, s => s.StartsWith("member 2 of 3 expects 20 x 40 inputs but member 1 expects 20 x 36", StringComparison.Ordinal));
        Assert.Contains(e.Errors, s => s.StartsWith("member 3 of 3 outputs 7 logits but 8 class labels", StringComparison.Ordinal));
        e = Assert.Throws<OnnxValidationException>(() => OnnxExporter.BuildModel(Array.Empty<CnnDescription>(), TestModels.Options()));
        Assert.Contains("at least one member", e.Message, StringComparison.Ordinal);
    }
}
