using SerMlNet.Torch;
using SerMlNet.Torch.NN;
using SerMlNet.Torch.Optim;

namespace SerMlNet.Torch.Tests;

/// <summary>End-to-end: a small CNN trained with the bindings learns, deterministically.</summary>
public sealed class TrainingTests
{
    private static Sequential TinyNet() => new(
        new Conv2d(1, 8, 3, padding: 1), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
        new Conv2d(8, 16, 3, padding: 1), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Dropout(0.1), new Linear(16 * 4 * 4, 8));

    private static (List<float> Losses, float[] Weights, double Accuracy) Train(long seed, int steps)
    {
        LibTorch.ManualSeed(seed);
        using var scope = DisposeScope.Enter();
        Tensor x = Tensor.Randn([32, 1, 16, 16]);
        Tensor y = Tensor.RandInt(0, 8, [32]);
        using Sequential net = TinyNet();
        using var optimizer = new AdamW(net.Parameters(), new AdamWOptions { LearningRate = 1e-2, WeightDecay = 1e-4 });
        var schedule = new CosineWarmupSchedule(1e-2, steps, warmupSteps: 5, minLearningRate: 1e-3);
        var losses = new List<float>();
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = DisposeScope.Enter();
            schedule.Apply(optimizer, step);
            optimizer.ZeroGrad();
            Tensor loss = Functional.CrossEntropy(net.Forward(x), y, labelSmoothing: 0.05);
            loss.Backward();
            optimizer.Step();
            losses.Add(loss.Item<float>());
        }
        net.Eval();
        double accuracy;
        using (new NoGradScope())
        {
            Tensor predicted = net.Forward(x).ArgMax(1);
            accuracy = predicted.Eq(y).Sum().Item<long>() / 32.0;
        }
        return (losses, net.Parameters()[0].ToArray<float>(), accuracy);
    }

    [Fact]
    public void Tiny_net_memorises_32_random_samples()
    {
        (List<float> losses, _, double accuracy) = Train(seed: 3, steps: 150);
        Assert.Equal(1.0, accuracy);
        Assert.True(losses[^1] < losses[0] / 3, $"loss went from {losses[0]} to {losses[^1]}");
    }

    [Fact]
    public void Same_seed_gives_identical_results_and_another_seed_does_not()
    {
        int threads = LibTorch.NumThreads;
        var first = Train(seed: 11, steps: 12);
        var second = Train(seed: 11, steps: 12);
        Assert.Equal(threads, LibTorch.NumThreads);
        Assert.Equal(first.Losses, second.Losses);
        Assert.Equal(first.Weights, second.Weights);
        var other = Train(seed: 12, steps: 12);
        Assert.NotEqual(first.Losses, other.Losses);
    }
}
