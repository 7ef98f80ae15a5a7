using SerMlNet.Audio;
using SerMlNet.Training.Engine;
using SerMlNet.Training.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SerMlNet.Training.Tests.Model;

public sealed class SerCnnTests
{
    [Fact]
    public void DefaultModelMaps128By300SpectrogramsTo8Logits()
    {
        TorchEngine.ManualSeed(0);
        using var scope = NewDisposeScope();
        using var model = new SerCnn();
        Tensor x = randn(2, 1, 128, 300);
        Assert.Equal([2L, 8L], model.forward(x).shape);
        Assert.Equal([1L, 128L, 300L], model.InputShape);
        // 3x3 convolutions without bias, batch norm (2 per channel), linear head.
        long expected = (1 * 16 * 9) + (16 * 32 * 9) + (32 * 64 * 9) + (64 * 128 * 9) + (2 * (16 + 32 + 64 + 128)) + (128 * 8) + 8;
        Assert.Equal(expected, model.ParameterCount);
    }

    [Fact]
    public void StateDictNamesMatchThePyTorchModel()
    {
        // tests/benchmarks/torch_step.py builds the same network in PyTorch with these names.
        using var model = new SerCnn(new SerCnnOptions { Channels = [4, 8], InputMels = 32, InputFrames = 50, TemporalChannels = 12, TemporalBlocks = 1 });
        string[] batchNorm = ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"];
        string[] expected =
        [
            "features.0.weight", .. batchNorm.Select(n => $"features.1.{n}"),
            "features.4.weight", .. batchNorm.Select(n => $"features.5.{n}"),
            "features.8.weight", .. batchNorm.Select(n => $"features.9.{n}"),
            "features.11.weight", .. batchNorm.Select(n => $"features.12.{n}"),
            "classifier.weight", "classifier.bias",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), model.state_dict().Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            ["features.0", "features.1", "features.2", "features.3", "features.4", "features.5", "features.6", "features.7",
             "features.8", "features.9", "features.10", "features.11", "features.12", "features.13", "pool", "dropout", "classifier"],
            model.Layers.Select(l => l.Name));
    }

    [Fact]
    public void TemporalStageSpansTheFrequencyAxisThenConvolvesTime()
    {
        TorchEngine.ManualSeed(2);
        using var scope = NewDisposeScope();
        using var model = new SerCnn(new SerCnnOptions { Channels = [4, 8], InputMels = 32, InputFrames = 40, TemporalChannels = 12, TemporalBlocks = 2 });
        var layers = model.Layers.ToDictionary(l => l.Name, l => l.Module);
        var collapse = (Conv2d)layers["features.8"];
        Assert.Equal((8L, 12L), (collapse.in_channels, collapse.out_channels));
        Assert.Equal([8L, 1L], collapse.kernel_size);
        Assert.Equal([0L, 0L], collapse.padding!);
        Assert.Null(collapse.bias);
        Assert.Equal([1L, 3L], ((Conv2d)layers["features.11"]).kernel_size);

        Tensor current = randn(2, 1, 32, 40);
        var shapes = new List<long[]>();
        foreach ((string name, nn.Module module) in model.Layers.TakeWhile(l => l.Name.StartsWith("features.", StringComparison.Ordinal)))
        {
            current = ((nn.Module<Tensor, Tensor>)module).forward(current);
            shapes.Add(current.shape[1..]);
        }
        Assert.Equal([8L, 8L, 10L], shapes[7]);    // after two 2x2 poolings: 32x40 -> 8x10
        Assert.Equal([12L, 1L, 10L], shapes[10]);  // the frequency axis spanned
        Assert.Equal([12L, 1L, 6L], shapes[^1]);   // two 1x3 convolutions without padding
        Assert.Equal([2L, 8L], model.forward(randn(2, 1, 32, 40)).shape);
        Assert.Throws<OptionsValidationException>(() => new SerCnnOptions { TemporalBlocks = 1 }.Validate());
    }

    [Fact]
    public void SameSeedGivesTheSameWeightsAndOutputs()
    {
        using var scope = NewDisposeScope();
        var options = new SerCnnOptions { Channels = [4, 8], InputMels = 16, InputFrames = 16 };
        TorchEngine.ManualSeed(7);
        using var a = new SerCnn(options);
        TorchEngine.ManualSeed(7);
        using var b = new SerCnn(options);
        foreach ((string name, Tensor tensor) in a.state_dict())
        {
            Assert.True(tensor.equal(b.state_dict()[name]).all().item<bool>(), name);
        }
        a.eval();
        b.eval();
        Tensor x = randn(2, 1, 16, 16);
        Assert.Equal(a.forward(x).data<float>().ToArray(), b.forward(x).data<float>().ToArray());
    }

    [Fact]
    public void InvalidOptionsReportEveryProblem()
    {
        var options = new SerCnnOptions { Channels = [8, 0, 16, 32, 64, 128, 256], InputMels = 64, Dropout = 1, ClassCount = 1, BatchNormEpsilon = 0 };
        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(() => new SerCnn(options));
        Assert.Contains(ex.Errors, e => e.Contains("Channels[1]", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("InputMels must be >= 128", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("Dropout", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("ClassCount", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("BatchNormEpsilon", StringComparison.Ordinal));
        Assert.Equal(5, ex.Errors.Count);
    }

    [Fact]
    public void SmallModelLearnsASeparableToyTaskAndLiveTensorsStayFlat()
    {
        TorchEngine.ManualSeed(3);
        // Class c lights up Mel band 2c: a task the convolutional stack must localise in frequency.
        const int n = 32;
        float[] data = new float[n * 16 * 24];
        long[] labels = new long[n];
        var random = new Random(3);
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 8;
            for (int j = 0; j < 16 * 24; j++)
            {
                data[(i * 16 * 24) + j] = (float)(random.NextDouble() * 0.2);
            }
            for (int t = 0; t < 24; t++)
            {
                data[(i * 16 * 24) + (2 * (int)labels[i] * 24) + t] += 1f;
            }
        }
        using Tensor x = tensor(data, [n, 1, 16, 24]);
        using Tensor y = tensor(labels);
        using var model = new SerCnn(new SerCnnOptions { Channels = [8, 16], InputMels = 16, InputFrames = 24, Dropout = 0.1 });
        using var optimizer = optim.AdamW(model.parameters(), lr: 0.02);
        long live = 0;
        for (int step = 0; step < 120; step++)
        {
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                nn.functional.cross_entropy(model.forward(x), y).backward();
                optimizer.step();
            }
            if (step == 10)
            {
                live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            }
        }
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        model.eval();
        using (no_grad())
        using (NewDisposeScope())
        {
            Assert.Equal(n, model.forward(x).argmax(1).eq(y).sum().item<long>());
        }
    }
}
