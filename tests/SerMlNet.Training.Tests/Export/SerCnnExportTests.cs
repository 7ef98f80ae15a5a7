using SerMlNet.Onnx;
using Xunit.Abstractions;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Tests;
using SerMlNet.Torch;
using SerMlNet.Torch.NN;
using SerMlNet.Torch.Serialization;
using SerMlNet.Training.Export;
using SerMlNet.Training.Model;

namespace SerMlNet.Training.Tests.Export;

public class SerCnnExportTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0, 0, 300)]
    [InlineData(64, 2, 3000)]
    public void OnnxRuntimeMatchesLibtorchOn100ValidationInputs(int temporalChannels, int temporalBlocks, float headScale)
    {
        DatasetCatalog full = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        var small = new DatasetCatalog(full.Root, [.. full.Clips.Where(c => c.Speaker is "actor05" or "actor06")], full.Labels);
        PreparedDataset data = new DatasetPreparation(new FrontEndOptions(), null, null).Prepare(small, Splitter.Stratified(small, 0.1, 0.85, seed: 3));
        FeatureItem[] inputs = [.. data.Validation.Concat(data.Test).Take(100)];
        Assert.Equal(100, inputs.Length);

        // The default architecture with seeded random weights whose head is sharpened, so the probabilities are far
        // from uniform and a mismatch anywhere in the graph shows.
        var options = new SerCnnOptions { TemporalChannels = temporalChannels, TemporalBlocks = temporalBlocks };
        LibTorch.ManualSeed(5);
        StateDict weights;
        using (var model = new SerCnn(options))
        {
            weights = model.StateDict();
        }
        foreach (StateDictEntry entry in weights.Where(e => e.Name.Contains("head", StringComparison.Ordinal) || e.Shape.Length == 2))
        {
            for (int i = 0; i < entry.Values.Length; i++)
            {
                entry.Values[i] *= headScale;
            }
        }
        using var torchModel = new SerCnn(options);
        torchModel.LoadStateDict(weights);
        torchModel.Eval();

        using TempFolder temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "model.onnx");
        OnnxExporter.Export(SerCnnExport.Describe(options, weights), new OnnxExportOptions { ClassLabels = data.Catalog.Labels, FrontEndJson = data.Pipeline.ToJson() }, path);
        using OnnxModel onnx = OnnxModel.Load(path);

        int size = 128 * 300;
        float[] batch = new float[inputs.Length * size];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i].Features.Data.CopyTo(batch, i * size);
        }
        float[] expected = new float[inputs.Length * 8];
        using (new NoGradScope())
        using (DisposeScope.Enter())
        {
            Tensor logits = torchModel.Forward(Tensor.From<float>(batch, [inputs.Length, 1, 128, 300]));
            Functional.Softmax(logits, 1).CopyTo<float>(expected);
        }
        float[] logitsOut = new float[inputs.Length * 8];
        float[] actual = new float[inputs.Length * 8];
        onnx.Run(batch, inputs.Length, logitsOut, actual);

        double maxDiff = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(expected[i] - actual[i]));
        }
        output.WriteLine($"ORT vs libtorch on {inputs.Length} validation inputs (temporal {temporalChannels}x{temporalBlocks}): max |dp| = {maxDiff:E2}, max p = {expected.Max():F3}");
        Assert.True(maxDiff <= 1e-4, $"max |p_torch - p_ort| = {maxDiff:E2}");
        Assert.True(expected.Max() > 0.5, $"probabilities are too flat for a meaningful comparison (max {expected.Max()})");
    }
}
