using SerMlNet.Audio;
using SerMlNet.Torch;
using SerMlNet.Torch.NN;
using SerMlNet.Training.Model;

namespace SerMlNet.Training.Tests.Model;

public sealed class SerCnnTests
{
    [Fact]
    public void Default_model_maps_128_by_300_spectrograms_to_8_logits()
    {
        LibTorch.ManualSeed(0);
        using var scope = DisposeScope.Enter();
        using var model = new SerCnn();
        Tensor x = Tensor.Randn([2, 1, 128, 300]);
        Assert.Equal([2L, 8L], model.Forward(x).Shape);
        Assert.Equal([1L, 128L, 300L], model.InputShape);
        // 3x3 convolutions without bias, batch norm (2 per channel), linear head.
        long expected = (1 * 16 * 9) + (16 * 32 * 9) + (32 * 64 * 9) + (64 * 128 * 9) + (2 * (16 + 32 + 64 + 128)) + (128 * 8) + 8;
        Assert.Equal(expected, model.ParameterCount);
    }

    [Fact]
    public void Layer_descriptors_cover_the_state_dict_exactly_and_in_order()
    {
        using var model = new SerCnn(new SerCnnOptions { Channels = [4, 8, 16], InputMels = 32, InputFrames = 50 });
        Assert.Equal(model.StateDict().Select(e => e.Name), model.Layers.SelectMany(l => l.TensorNames));
        Assert.Equal(
            ["features.0", "features.1", "features.2", "features.3", "features.4", "features.5", "features.6", "features.7",
             "features.8", "features.9", "features.10", "features.11", "pool", "dropout", "classifier"],
            model.Layers.Select(l => l.Name));
        Assert.IsType<Conv2dLayer>(model.Layers[0]);
        Assert.IsType<BatchNorm2dLayer>(model.Layers[1]);
        Assert.IsType<ReLULayer>(model.Layers[2]);
        Assert.IsType<MaxPool2dLayer>(model.Layers[3]);
        var conv = (Conv2dLayer)model.Layers[4];
        Assert.Equal((4L, 8L, (3L, 3L), (1L, 1L), (1L, 1L)), (conv.InChannels, conv.OutChannels, conv.KernelSize, conv.Stride, conv.Padding));
        Assert.Null(conv.BiasName);
        var head = (LinearLayer)model.Layers[^1];
        Assert.Equal((16L, 8L, "classifier.weight", "classifier.bias"), (head.InFeatures, head.OutFeatures, head.WeightName, head.BiasName));
        Assert.Equal(0.3, ((DropoutLayer)model.Layers[^2]).Probability);
    }

    [Fact]
    public void Layer_shapes_match_the_activations()
    {
        LibTorch.ManualSeed(1);
        using var scope = DisposeScope.Enter();
        using var model = new SerCnn(new SerCnnOptions { Channels = [4, 8], InputMels = 20, InputFrames = 33 });
        Tensor current = Tensor.Randn([3, 1, 20, 33]);
        Module features = model.Children.Single(c => c.Name == "features").Module;
        var sequential = (Sequential)features;
        for (int i = 0; i < sequential.Count; i++)
        {
            Assert.Equal(model.Layers[i].InputShape, current.Shape[1..]);
            current = sequential[i].Forward(current);
            Assert.Equal(model.Layers[i].OutputShape, current.Shape[1..]);
        }
        Assert.Equal([8L, 5L, 8L], model.Layers[7].OutputShape);
        Assert.Equal([8L], model.Layers[^3].OutputShape);
    }

    [Fact]
    public void Temporal_stage_spans_the_frequency_axis_then_convolves_time()
    {
        LibTorch.ManualSeed(2);
        using var scope = DisposeScope.Enter();
        using var model = new SerCnn(new SerCnnOptions { Channels = [4, 8], InputMels = 32, InputFrames = 40, TemporalChannels = 12, TemporalBlocks = 2 });
        Assert.Equal(model.StateDict().Select(e => e.Name), model.Layers.SelectMany(l => l.TensorNames));
        var collapse = (Conv2dLayer)model.Layers[8];
        Assert.Equal((8L, 12L, (8L, 1L), (0L, 0L)), (collapse.InChannels, collapse.OutChannels, collapse.KernelSize, collapse.Padding));
        Assert.Equal([12L, 1L, 10L], collapse.OutputShape);
        Assert.Equal((1L, 3L), ((Conv2dLayer)model.Layers[11]).KernelSize);
        Assert.Equal([12L, 1L, 6L], model.Layers[16].OutputShape);
        var sequential = (Sequential)model.Children.Single(c => c.Name == "features").Module;
        Tensor current = Tensor.Randn([2, 1, 32, 40]);
        for (int i = 0; i < sequential.Count; i++)
        {
            current = sequential[i].Forward(current);
            Assert.Equal(model.Layers[i].OutputShape, current.Shape[1..]);
        }
        Assert.Equal([2L, 8L], model.Forward(Tensor.Randn([2, 1, 32, 40])).Shape);
        Assert.Throws<SerMlNet.Audio.OptionsValidationException>(() => new SerCnnOptions { TemporalBlocks = 1 }.Validate());
    }

    [Fact]
    public void Same_seed_gives_the_same_weights_and_outputs()
    {
        using var scope = DisposeScope.Enter();
        var options = new SerCnnOptions { Channels = [4, 8], InputMels = 16, InputFrames = 16 };
        LibTorch.ManualSeed(7);
        using var a = new SerCnn(options);
        LibTorch.ManualSeed(7);
        using var b = new SerCnn(options);
        Assert.Equal(a.StateDict().Select(e => e.Values), b.StateDict().Select(e => e.Values));
        a.Eval();
        b.Eval();
        Tensor x = Tensor.Randn([2, 1, 16, 16]);
        Assert.Equal(a.Forward(x).ToArray<float>(), b.Forward(x).ToArray<float>());
    }

    [Fact]
    public void Clone_is_independent_and_equal()
    {
        using var scope = DisposeScope.Enter();
        LibTorch.ManualSeed(4);
        using var model = new SerCnn(new SerCnnOptions { Channels = [4], InputMels = 8, InputFrames = 8 });
        model.Eval();
        using SerCnn copy = model.Clone();
        Assert.False(copy.IsTraining);
        Tensor x = Tensor.Randn([2, 1, 8, 8]);
        Assert.Equal(model.Forward(x).ToArray<float>(), copy.Forward(x).ToArray<float>());
        copy.Parameters()[0].CopyFrom<float>(new float[36]);
        Assert.NotEqual(model.Forward(x).ToArray<float>(), copy.Forward(x).ToArray<float>());
    }

    [Fact]
    public void Invalid_options_report_every_problem()
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
    public void Small_model_learns_a_separable_toy_task()
    {
        LibTorch.ManualSeed(3);
        using var scope = DisposeScope.Enter();
        // Class c lights up Mel band 2c: a task the convolutional stack must localise in frequency.
        const int n = 32;
        float[] data = new float[n * 16 * 24];
        int[] labels = new int[n];
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
                data[(i * 16 * 24) + (2 * labels[i] * 24) + t] += 1f;
            }
        }
        Tensor x = Tensor.From<float>(data, [n, 1, 16, 24]);
        Tensor y = Tensor.Labels(labels);
        using var model = new SerCnn(new SerCnnOptions { Channels = [8, 16], InputMels = 16, InputFrames = 24, Dropout = 0.1 });
        using var optimizer = new SerMlNet.Torch.Optim.AdamW(model.Parameters(), new SerMlNet.Torch.Optim.AdamWOptions { LearningRate = 0.02 });
        for (int step = 0; step < 120; step++)
        {
            using var stepScope = DisposeScope.Enter();
            optimizer.ZeroGrad();
            Functional.CrossEntropy(model.Forward(x), y).Backward();
            optimizer.Step();
        }
        model.Eval();
        using (new NoGradScope())
        {
            long correct = model.Forward(x).ArgMax(1).Eq(y).Sum().Item<long>();
            Assert.Equal(n, correct);
        }
    }
}
