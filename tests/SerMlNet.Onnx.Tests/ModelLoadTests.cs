using SerMlNet.Audio.Spectral;
using Google.Protobuf;
using Onnx;
using SerMlNet.Tests;

namespace SerMlNet.Onnx.Tests;

public sealed class ModelLoadTests
{
    [Fact]
    public void Missing_file_throws_ModelFileNotFoundException()
    {
        using var temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "nope.onnx");
        var e = Assert.Throws<ModelFileNotFoundException>(() => OnnxModel.Load(path));
        Assert.Equal(path, e.ModelPath);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> Corruptions => new() { "empty", "garbage", "truncated", "wav-header" };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Corrupt_file_throws_InvalidModelException(string kind)
    {
        using var temp = RepoPaths.NewTempFolder();
        string good = Path.Combine(temp.Path, "good.onnx"), bad = Path.Combine(temp.Path, "bad.onnx");
        OnnxExporter.Export(TestModels.SerCnnLike(seed: 1), TestModels.Options(), good);
        byte[] bytes = File.ReadAllBytes(good);
        byte[] corrupt = kind switch
        {
            "empty" => [],
            "garbage" => TestModels.Uniform(new Random(1), 4096, 1e6).SelectMany(BitConverter.GetBytes).ToArray(),
            "truncated" => bytes[..(bytes.Length / 2)],
            _ => "RIFF\u0024\0\0\0WAVEfmt "u8.ToArray().Concat(new byte[64]).ToArray(),
        };
        File.WriteAllBytes(bad, corrupt);
        var e = Assert.Throws<InvalidModelException>(() => OnnxModel.Load(bad));
        Assert.Equal(bad, e.ModelPath);
        Assert.Contains(bad, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_onnx_without_SerMlNet_metadata_is_rejected_with_the_reason()
    {
        ModelProto m = OnnxExporter.BuildModel(TestModels.SerCnnLike(seed: 1), TestModels.Options());
        m.MetadataProps.Clear();
        var e = LoadModified(m);
        Assert.Contains("metadata 'format' is missing", e.Reason, StringComparison.Ordinal);

        m = OnnxExporter.BuildModel(TestModels.SerCnnLike(seed: 1), TestModels.Options());
        m.MetadataProps.Single(p => p.Key == "format_version").Value = "3";
        Assert.Contains("format version 3 is newer", LoadModified(m).Reason, StringComparison.Ordinal);

        m = OnnxExporter.BuildModel(TestModels.SerCnnLike(seed: 1), TestModels.Options());
        m.MetadataProps.Single(p => p.Key == "labels").Value = "neutral,calm";
        Assert.Contains("'labels' is missing or not a JSON array", LoadModified(m).Reason, StringComparison.Ordinal);

        m = OnnxExporter.BuildModel(TestModels.SerCnnLike(seed: 1), TestModels.Options(["a", "b", "c", "d", "e", "f", "g", "h"]));
        m.MetadataProps.Single(p => p.Key == "labels").Value = """["a","b"]""";
        Assert.Contains("output 'logits' is not a float32 [N, 2] tensor", LoadModified(m).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Inputs_of_the_wrong_size_throw_before_reaching_onnx_runtime()
    {
        using var temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "model.onnx");
        OnnxExporter.Export(TestModels.SerCnnLike(seed: 1), TestModels.Options(), path);
        using OnnxModel model = OnnxModel.Load(path);
        int per = model.ValuesPerExample!.Value;
        Assert.Throws<ArgumentException>(() => model.Predict(new float[per + 1]));
        Assert.Throws<ArgumentException>(() => model.Predict(new float[per * 3], batchSize: 2));
        Assert.Throws<ArgumentException>(() => model.Run(new float[per], 1, new float[7], new float[8]));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Predict(new float[per], batchSize: 0));
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Predict(new float[per]));
    }

    [Fact]
    public void Runtime_failures_surface_as_OnnxModelException_with_the_native_message()
    {
        // A graph without the centre padding: its STFT convolution needs at least NFft samples, and ONNX Runtime rejects
        // a shorter signal at run time (the exported graph pads by NFft / 2 on each side, so any length runs).
        FrontEndDescription fe = TestModels.FrontEnd(padMode: PadMode.Reflect);
        ModelProto m = OnnxExporter.BuildEndToEndModel(TestModels.SerCnnLike(seed: 1), fe, TestModels.Options());
        m.Graph.Initializer.Single(t => t.Name.StartsWith("two_half", StringComparison.Ordinal)).RawData = ByteString.CopyFrom(new byte[sizeof(long)]);
        using var temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "model-e2e.onnx");
        File.WriteAllBytes(path, m.ToByteArray());
        using OnnxModel model = OnnxModel.Load(path);
        var e = Assert.Throws<OnnxModelException>(() => model.Predict(new float[fe.NFft / 4]));
        Assert.Contains("inference failed", e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.InnerException);
        Assert.Equal(8, model.Predict(TestModels.Signal(1, 4000))[0].Probabilities.Count);
    }

    private static InvalidModelException LoadModified(ModelProto model)
    {
        using var temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "modified.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return Assert.Throws<InvalidModelException>(() => OnnxModel.Load(path));
    }
}
