using SerMlNet.Torch;
using Xunit.Abstractions;

namespace SerMlNet.Torch.Tests;

/// <summary>Native tensors are released deterministically: explicit disposal, dispose scopes, and finalisers.</summary>
public sealed class MemoryTests(ITestOutputHelper output)
{
    private const long Megabyte = 1024 * 1024;

    [Fact]
    public void Creating_and_disposing_100000_tensors_keeps_resident_memory_and_live_count_flat()
    {
        // Warm-up: libtorch's allocator caches and the GC's committed heap reach their steady size first.
        float[] data = new float[256];
        Churn(100_000, data);
        Settle();
        long live = LiveTensors.Baseline();
        long rss = ResidentBytes();

        Churn(100_000, data);
        Settle();

        Assert.Equal(live, Tensor.LiveCount);
        long growth = ResidentBytes() - rss;
        output.WriteLine($"100,000 tensors created and disposed: resident memory {rss / (double)Megabyte:F1} MB -> {(rss + growth) / (double)Megabyte:F1} MB ({growth / (double)Megabyte:+0.0;-0.0} MB), live tensors {live} -> {Tensor.LiveCount}");
        Assert.True(growth < 4 * Megabyte, $"resident memory grew by {growth / (double)Megabyte:F1} MB over 100,000 tensors");
    }

    [Fact]
    public void Dispose_scope_frees_every_tensor_made_inside_it()
    {
        long live = LiveTensors.Baseline();
        Tensor kept;
        using (var scope = DisposeScope.Enter())
        {
            Tensor a = Tensor.Ones([10]);
            Tensor b = (a * 2) + 1;
            kept = b.Sum().MoveToOuterDisposeScope();
            Assert.Equal(3, scope.Count);
            Assert.Equal(live + 4, Tensor.LiveCount);
        }
        Assert.Equal(live + 1, Tensor.LiveCount);
        Assert.Equal(30f, kept.Item<float>());
        kept.Dispose();
        Assert.Equal(live, Tensor.LiveCount);
    }

    [Fact]
    public void Nested_scopes_move_tensors_outwards_and_end_inner_scopes_left_open()
    {
        long live = LiveTensors.Baseline();
        using (DisposeScope.Enter())
        {
            Tensor outer = Tensor.Ones([2]);
            Tensor moved;
            using (DisposeScope.Enter())
            {
                moved = (outer + 1).MoveToOuterDisposeScope();
                _ = outer * 5;
            }
            Assert.Equal(live + 2, Tensor.LiveCount);
            Assert.Equal([2f, 2f], moved.ToArray<float>());
            _ = DisposeScope.Enter();
            _ = Tensor.Zeros([3]);
        }
        Assert.Null(DisposeScope.Current);
        Assert.Equal(live, Tensor.LiveCount);
    }

    [Fact]
    public void Training_step_loop_under_scopes_keeps_live_count_flat()
    {
        LibTorch.ManualSeed(1);
        using var model = new NN.Sequential(new NN.Conv2d(1, 4, 3, padding: 1), new NN.BatchNorm2d(4), new NN.ReLU(), new NN.GlobalAvgPool2d(), new NN.Linear(4, 3));
        using var optimizer = new Optim.AdamW(model.Parameters());
        using Tensor x = Tensor.Randn([8, 1, 6, 6]);
        using Tensor y = Tensor.Labels([0, 1, 2, 0, 1, 2, 0, 1]);
        long? live = null;
        for (int epoch = 0; epoch < 5; epoch++)
        {
            for (int step = 0; step < 4; step++)
            {
                using var scope = DisposeScope.Enter();
                optimizer.ZeroGrad();
                Tensor loss = NN.Functional.CrossEntropy(model.Forward(x), y);
                loss.Backward();
                optimizer.Step();
            }
            live ??= LiveTensors.Baseline();
            Assert.Equal(live, Tensor.LiveCount);
        }
    }

    [Fact]
    public void Dropped_tensors_are_freed_by_their_finalisers()
    {
        Settle();
        long live = LiveTensors.Baseline();
        DropMany(5_000);
        Assert.True(Tensor.LiveCount > live, "tensors should be alive before collection");
        Settle();
        Assert.Equal(live, Tensor.LiveCount);
    }

    private static void DropMany(int count)
    {
        for (int i = 0; i < count; i++)
        {
            _ = Tensor.Zeros([16]);
        }
    }

    private static void Churn(int count, float[] data)
    {
        for (int i = 0; i < count; i++)
        {
            using Tensor t = Tensor.From<float>(data, [data.Length]);
            using Tensor u = t * 2f;
        }
    }

    /// <summary>Runs pending finalisers, then an aggressive collection so the GC gives its free regions back to the
    /// OS: what remains of resident growth is native.</summary>
    private static void Settle()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    private static long ResidentBytes()
    {
        string[] fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }
}
