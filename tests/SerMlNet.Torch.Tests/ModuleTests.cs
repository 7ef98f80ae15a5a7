using SerMlNet.Torch;
using SerMlNet.Torch.NN;
using SerMlNet.Torch.Serialization;

namespace SerMlNet.Torch.Tests;

public sealed class ModuleTests
{
    private sealed class Net : Module
    {
        public Net()
        {
            Features = RegisterModule("features", new Sequential(
                new Conv2d(1, 4, 3, padding: 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 6, 3, padding: 1, bias: false), new BatchNorm2d(6), new ReLU()));
            Pool = RegisterModule("pool", new GlobalAvgPool2d());
            Drop = RegisterModule("dropout", new Dropout(0.25));
            Classifier = RegisterModule("classifier", new Linear(6, 3));
        }

        public Sequential Features { get; }

        public GlobalAvgPool2d Pool { get; }

        public Dropout Drop { get; }

        public Linear Classifier { get; }

        public override Tensor Forward(Tensor input)
        {
            using Tensor features = Features.Forward(input);
            using Tensor pooled = Pool.Forward(features);
            using Tensor dropped = Drop.Forward(pooled);
            return Classifier.Forward(dropped);
        }
    }

    [Fact]
    public void Parameters_and_buffers_have_pytorch_hierarchical_names()
    {
        using var net = new Net();
        Assert.Equal(
            ["features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias", "features.4.weight", "features.5.weight", "features.5.bias", "classifier.weight", "classifier.bias"],
            net.NamedParameters().Select(p => p.Name));
        Assert.Equal(
            ["features.1.running_mean", "features.1.running_var", "features.5.running_mean", "features.5.running_var"],
            net.NamedBuffers().Select(p => p.Name));
        Assert.All(net.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.All(net.NamedBuffers(), b => Assert.False(b.Tensor.RequiresGrad));
        Assert.Equal((4 * 9) + 4 + 4 + 4 + (6 * 4 * 9) + 6 + 6 + (3 * 6) + 3, net.ParameterCount);
        Assert.Equal([
            "features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias", "features.1.running_mean", "features.1.running_var",
            "features.4.weight", "features.5.weight", "features.5.bias", "features.5.running_mean", "features.5.running_var", "classifier.weight", "classifier.bias"],
            net.StateDict().Select(e => e.Name));
    }

    [Fact]
    public void Default_initialisation_follows_pytorch_bounds()
    {
        LibTorch.ManualSeed(0);
        using var conv = new Conv2d(3, 8, 3);
        using var linear = new Linear(50, 4);
        using var bn = new BatchNorm2d(5);
        double convBound = 1 / Math.Sqrt(27);
        Assert.All(conv.Weight.ToArray<float>(), v => Assert.InRange(v, -convBound, convBound));
        Assert.All(conv.Bias!.ToArray<float>(), v => Assert.InRange(v, -convBound, convBound));
        Assert.All(linear.Weight.ToArray<float>(), v => Assert.InRange(v, -1 / Math.Sqrt(50), 1 / Math.Sqrt(50)));
        Assert.True(conv.Weight.ToArray<float>().Max() > convBound * 0.8);
        Assert.All(bn.Weight.ToArray<float>(), v => Assert.Equal(1f, v));
        Assert.All(bn.Bias.ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.All(bn.RunningMean.ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.All(bn.RunningVar.ToArray<float>(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Batch_norm_updates_running_statistics_in_training_only()
    {
        using var scope = DisposeScope.Enter();
        using var bn = new BatchNorm2d(2, momentum: 0.1);
        // Channel 0 holds 1..8, channel 1 holds 10 everywhere, over N = 2, H = 2, W = 2.
        float[] values = [1, 2, 3, 4, 10, 10, 10, 10, 5, 6, 7, 8, 10, 10, 10, 10];
        Tensor x = Tensor.From<float>(values, [2, 2, 2, 2]);
        float[] y = bn.Forward(x).ToArray<float>();
        double mean0 = 4.5, biasedVar0 = 5.25, unbiasedVar0 = 5.25 * 8 / 7;
        Assert.Equal((1 - mean0) / Math.Sqrt(biasedVar0 + 1e-5), y[0], 5);
        Assert.Equal([0.1f * 4.5f, 0.1f * 10f], bn.RunningMean.ToArray<float>());
        float[] runningVar = bn.RunningVar.ToArray<float>();
        Assert.Equal(0.9 + (0.1 * unbiasedVar0), runningVar[0], 5);
        Assert.Equal(0.9, runningVar[1], 6);

        bn.Eval();
        float[] before = bn.RunningMean.ToArray<float>();
        float[] z = bn.Forward(x).ToArray<float>();
        Assert.Equal(before, bn.RunningMean.ToArray<float>());
        Assert.Equal((1 - before[0]) / Math.Sqrt(runningVar[0] + 1e-5), z[0], 5);
    }

    [Fact]
    public void Train_and_eval_propagate_and_change_dropout_behaviour()
    {
        using var scope = DisposeScope.Enter();
        using var net = new Net();
        Assert.True(net.Drop.IsTraining);
        net.Eval();
        Assert.False(net.IsTraining);
        Assert.False(net.Features[1].IsTraining);
        Assert.False(net.Drop.IsTraining);
        Tensor x = Tensor.Randn([2, 1, 8, 8]);
        Assert.Equal(net.Forward(x).ToArray<float>(), net.Forward(x).ToArray<float>());
        net.Train();
        Assert.True(net.Features[5].IsTraining);
    }

    [Fact]
    public void State_dict_round_trips_through_a_file_into_a_fresh_model()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sermlnet-{Guid.NewGuid():N}.sdict");
        try
        {
            using var scope = DisposeScope.Enter();
            LibTorch.ManualSeed(1);
            using var source = new Net();
            Tensor x = Tensor.Randn([4, 1, 8, 8]);
            source.Forward(x); // update running statistics
            source.Eval();
            float[] expected = source.Forward(x).ToArray<float>();
            source.Save(path);
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".*.tmp"));

            LibTorch.ManualSeed(2);
            using var target = new Net();
            target.Eval();
            Assert.NotEqual(expected, target.Forward(x).ToArray<float>());
            target.Load(path);
            Assert.Equal(expected, target.Forward(x).ToArray<float>());

            StateDict read = StateDict.Load(path);
            Assert.Equal(source.StateDict().Select(e => e.Name), read.Select(e => e.Name));
            Assert.Equal(source.Features[1].NamedBuffers()[0].Tensor.ToArray<float>(), read["features.1.running_mean"].Values);
            Assert.Equal([4L, 1L, 3L, 3L], read["features.0.weight"].Shape.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Loading_a_mismatched_state_dict_lists_every_problem_and_changes_nothing()
    {
        using var net = new Net();
        float[] before = net.Classifier.Weight.ToArray<float>();
        StateDict dict = net.StateDict();
        var edited = new StateDict(dict.Where(e => e.Name != "features.0.bias" && e.Name != "classifier.weight"));
        edited.Add(new StateDictEntry("classifier.weight", [2, 6], new float[12]));
        edited.Add(new StateDictEntry("extra", [1], [1f]));
        InvalidDataException ex = Assert.Throws<InvalidDataException>(() => net.LoadStateDict(edited));
        Assert.Contains("missing 'features.0.bias'", ex.Message);
        Assert.Contains("'classifier.weight' has shape [2, 6] but the module expects [3, 6]", ex.Message);
        Assert.Contains("unexpected 'extra'", ex.Message);
        Assert.Equal(before, net.Classifier.Weight.ToArray<float>());
    }

    [Fact]
    public void Registering_duplicate_or_dotted_names_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new BadNet("weight"));
        Assert.Throws<ArgumentException>(() => new BadNet("a.b"));
    }

    [Fact]
    public void Disposing_a_module_frees_its_tensors()
    {
        long live = LiveTensors.Baseline();
        var net = new Net();
        Assert.True(Tensor.LiveCount > live);
        net.Dispose();
        Assert.Equal(live, Tensor.LiveCount);
    }

    [Fact]
    public void Sequential_disposes_intermediates_and_keeps_its_input()
    {
        using var seq = new Sequential(new ReLU(), new ReLU(), new ReLU());
        using Tensor x = Tensor.Randn([3, 4]);
        long live = LiveTensors.Baseline();
        using Tensor y = seq.Forward(x);
        Assert.Equal(live + 1, Tensor.LiveCount);
        Assert.False(x.IsDisposed);
    }

    private sealed class BadNet : Module
    {
        public BadNet(string second)
        {
            RegisterParameter("weight", Tensor.Zeros([1]));
            RegisterParameter(second, Tensor.Zeros([1]));
        }

        public override Tensor Forward(Tensor input) => input.Alias();
    }
}
