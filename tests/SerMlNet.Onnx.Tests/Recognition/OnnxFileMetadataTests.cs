using SerMlNet.Onnx.Recognition;
using SerMlNet.Tests;

namespace SerMlNet.Onnx.Tests.Recognition;

public sealed class OnnxFileMetadataTests
{
    [Fact]
    public void Reads_the_same_metadata_values_as_onnx_runtime()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "model.onnx");
        string frontEnd = """{"format":"test","text":"ünïcödé \"quoted\" and a long tail""" + new string('x', 5000) + "\"}";
        OnnxExporter.Export(TestModels.SerCnnLike(3), new OnnxExportOptions { ClassLabels = TestModels.Emotions, FrontEndJson = frontEnd, MetricsJson = TestModels.MetricsJson }, path);
        using OnnxModel model = OnnxModel.Load(path);
        foreach ((string key, string value) in model.Metadata.All)
        {
            Assert.Equal(value, OnnxFileMetadata.TryRead(path, key));
        }
        Assert.Equal(frontEnd, OnnxFileMetadata.TryRead(path, OnnxMetadataKeys.FrontEnd));
        Assert.Null(OnnxFileMetadata.TryRead(path, "no-such-key"));
    }

    [Fact]
    public void Anything_that_is_not_a_model_gives_null_not_an_exception()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        string text = Path.Combine(temp.Path, "text.onnx");
        File.WriteAllText(text, "this is not protobuf at all, just text that happens to be long enough to parse as junk");
        string truncated = Path.Combine(temp.Path, "truncated.onnx");
        OnnxExporter.Export(TestModels.SerCnnLike(3), TestModels.Options(), truncated);
        byte[] bytes = File.ReadAllBytes(truncated);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        string empty = Path.Combine(temp.Path, "empty.onnx");
        File.WriteAllBytes(empty, []);

        Assert.Null(OnnxFileMetadata.TryRead(text, OnnxMetadataKeys.FrontEnd));
        Assert.Null(OnnxFileMetadata.TryRead(truncated, OnnxMetadataKeys.FrontEnd));
        Assert.Null(OnnxFileMetadata.TryRead(empty, OnnxMetadataKeys.FrontEnd));
        Assert.Null(OnnxFileMetadata.TryRead(Path.Combine(temp.Path, "missing.onnx"), OnnxMetadataKeys.FrontEnd));
        Assert.Null(OnnxFileMetadata.TryRead(temp.Path, OnnxMetadataKeys.FrontEnd));
    }
}
