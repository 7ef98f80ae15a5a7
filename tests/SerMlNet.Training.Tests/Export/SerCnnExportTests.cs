using SerMlNet.Onnx;
using Xunit.Abstractions;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Tests;
using SerMlNet.Training.Engine;
using SerMlNet.Training.Export;
using SerMlNet.Training.Model;
using static TorchSharp.torch;

namespace SerMlNet.Training.Tests.Export;

public class SerCnnExportTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0, 0, 100, 0)]
    [InlineData(64, 2, 100, 0)]
    [InlineData(64, 2, 100, 32)]
    public void OnnxRuntimeMatchesTorchSharpOn100ValidationInputs(int temporalChannels, int temporalBlocks, float headScale, int attentionChannels)
    {
        DatasetCatalog full = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        var small = new DatasetCatalog(full.Root, [.. full.Clips.Where(c => c.Speaker is "actor05" or "actor06")], full.Labels);
        PreparedDataset data = new DatasetPreparation(new FrontEndOptions(), null, null).Prepare(small, Splitter.Stratified(small, 0.1, 0.85, seed: 3));
        FeatureItem[] inputs = [.. data.Validation.Concat(data.Test).Take(100)];
        Assert.Equal(100, inputs.Length);

        // The architecture with seeded random weights whose head is sharpened, and batch-norm statistics moved away from
        // (0, 1), so the probabilities are far from uniform and a mismatch anywhere in the graph shows.
        var options = new SerCnnOptions { TemporalChannels = temporalChannels, TemporalBlocks = temporalBlocks, AttentionChannels = attentionChannels };
        TorchEngine.ManualSeed(5);
        using var model = new SerCnn(options);
        using (no_grad())
        {
            foreach ((string name, Tensor tensor) in model.state_dict())
            {
                if (name.StartsWith("classifier.weight", StringComparison.Ordinal))
                {
                    tensor.mul_(headScale);
                }
                else if (name.EndsWith("running_var", StringComparison.Ordinal))
                {
                    tensor.uniform_(0.5, 2.0);
                }
                else if (name.EndsWith("running_mean", StringComparison.Ordinal))
                {
                    tensor.uniform_(-0.2, 0.2);
                }
                else if (name.StartsWith("pool.score.weight", StringComparison.Ordinal))
                {
                    tensor.mul_(20); // peaked attention weights, so a wrong softmax axis would show
                }
            }
        }
        model.eval();

        using TempFolder temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "model.onnx");
        OnnxExporter.Export(SerCnnExport.Describe(model), new OnnxExportOptions { ClassLabels = data.Catalog.Labels, FrontEndJson = data.Pipeline.ToJson() }, path);
        using OnnxModel onnx = OnnxModel.Load(path);

        int size = 128 * 300;
        float[] batch = new float[inputs.Length * size];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i].Features.Data.CopyTo(batch, i * size);
        }
        float[] expected;
        using (no_grad())
        using (NewDisposeScope())
        {
            Tensor logits = model.forward(tensor(batch, [inputs.Length, 1, 128, 300]));
            expected = nn.functional.softmax(logits, 1).data<float>().ToArray();
        }
        float[] logitsOut = new float[inputs.Length * 8];
        float[] actual = new float[inputs.Length * 8];
        onnx.Run(batch, inputs.Length, logitsOut, actual);

        double maxDiff = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(expected[i] - actual[i]));
        }
        output.WriteLine($"ORT vs TorchSharp on {inputs.Length} validation inputs (temporal {temporalChannels}x{temporalBlocks}, attention {attentionChannels}): max |dp| = {maxDiff:E2}, max p = {expected.Max():F3}");
        Assert.True(maxDiff <= 1e-4, $"max |p_torch - p_ort| = {maxDiff:E2}");
        Assert.True(expected.Max() > 0.5, $"probabilities are too flat for a meaningful comparison (max {expected.Max()})");
        Assert.True(expected.Count(p => p is > 0.01f and < 0.99f) > expected.Length / 10, "probabilities are saturated: a mismatch in the graph would not show");
    }

    [Fact]
    public void TheDescriptionFollowsTheModuleTreeInApplicationOrder()
    {
        using var model = new SerCnn(new SerCnnOptions { Channels = [4], InputMels = 8, InputFrames = 8, TemporalChannels = 6, TemporalBlocks = 1 });
        CnnDescription description = SerCnnExport.Describe(model);
        Assert.Equal(
            [typeof(Conv2dLayer), typeof(BatchNorm2dLayer), typeof(ReluLayer), typeof(MaxPool2dLayer),
             typeof(Conv2dLayer), typeof(BatchNorm2dLayer), typeof(ReluLayer), typeof(Conv2dLayer), typeof(BatchNorm2dLayer), typeof(ReluLayer),
             typeof(GlobalAvgPoolLayer), typeof(FlattenLayer), typeof(DropoutLayer), typeof(LinearLayer)],
            description.Layers.Select(l => l.GetType()));
        var spanning = (Conv2dLayer)description.Layers[4];
        Assert.Equal([6, 4, 4, 1], spanning.Weight.Shape);
        Assert.Null(spanning.Bias);
        Assert.Equal((8, 8), (description.NMels, description.Frames));
    }

    [Fact]
    public void AttentivePoolingIsDescribedAsOneLayerThatEndsFlat()
    {
        using var model = new SerCnn(new SerCnnOptions { Channels = [4], InputMels = 8, InputFrames = 8, TemporalChannels = 6, TemporalBlocks = 1, AttentionChannels = 5 });
        CnnDescription description = SerCnnExport.Describe(model);
        Assert.Equal(
            [typeof(Conv2dLayer), typeof(BatchNorm2dLayer), typeof(ReluLayer), typeof(MaxPool2dLayer),
             typeof(Conv2dLayer), typeof(BatchNorm2dLayer), typeof(ReluLayer), typeof(Conv2dLayer), typeof(BatchNorm2dLayer), typeof(ReluLayer),
             typeof(AttentiveStatsPoolLayer), typeof(DropoutLayer), typeof(LinearLayer)],
            description.Layers.Select(l => l.GetType()));
        var attentive = (AttentiveStatsPoolLayer)description.Layers[10];
        Assert.Equal([5, 6], attentive.Projection.Shape);
        Assert.Equal(5, attentive.ProjectionBias.Length);
        Assert.Equal(5, attentive.Score.Length);
        Assert.Equal(1e-5f, attentive.Epsilon);
        Assert.Equal([8, 12], ((LinearLayer)description.Layers[12]).Weight.Shape);
    }
}
