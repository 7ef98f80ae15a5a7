using SerMlNet.Torch;
using SerMlNet.Torch.NN;

namespace SerMlNet.Torch.Tests;

public sealed class TensorTests
{
    [Fact]
    public void Native_library_is_beside_the_tests_and_reports_libtorch()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "libsermlnet_torch.so")), "libsermlnet_torch.so was not copied to the test output");
        Assert.Matches(@"^\d+\.\d+\.\d+", LibTorch.Version);
    }

    [Fact]
    public void From_float_array_round_trips_values_and_shape()
    {
        float[] data = [1, 2, 3, 4, 5, 6];
        using Tensor t = Tensor.From<float>(data, [2, 3]);
        Assert.Equal([2L, 3L], t.Shape);
        Assert.Equal(2, t.Rank);
        Assert.Equal(6, t.ElementCount);
        Assert.Equal(ScalarType.Float32, t.ScalarType);
        Assert.Equal(Device.Cpu, t.Device);
        Assert.Equal(data, t.ToArray<float>());
        data[0] = 100;
        Assert.Equal(1f, t.ToArray<float>()[0]);
    }

    [Fact]
    public void From_span_infers_the_element_type_and_copies_into_a_span()
    {
        ReadOnlySpan<double> data = [0.5, -1.5, 2.25];
        using Tensor t = Tensor.From(data, [3]);
        Assert.Equal(ScalarType.Float64, t.ScalarType);
        Span<double> back = stackalloc double[3];
        t.CopyTo(back);
        Assert.Equal(data.ToArray(), back.ToArray());
    }

    [Fact]
    public void Length_and_shape_mismatch_is_rejected_before_native_code()
    {
        Assert.Throws<ArgumentException>(() => Tensor.From<float>([1, 2, 3], [2, 2]));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, -1]));
    }

    [Fact]
    public void Wrong_element_type_on_read_throws_torch_exception()
    {
        using Tensor t = Tensor.Zeros([3]);
        TorchException ex = Assert.Throws<TorchException>(() => t.ToArray<double>());
        Assert.Contains("does not match tensor type", ex.Message);
    }

    [Fact]
    public void Labels_are_int64()
    {
        using Tensor labels = Tensor.Labels([3, 1, 7]);
        Assert.Equal(ScalarType.Int64, labels.ScalarType);
        Assert.Equal([3L, 1L, 7L], labels.ToArray<long>());
    }

    [Fact]
    public void Scalars_have_an_empty_shape_and_an_item()
    {
        using Tensor s = Tensor.From<float>([2.5f], []);
        Assert.Empty(s.Shape);
        Assert.Equal(2.5f, s.Item<float>());
        Assert.Equal(2.5, s.Item<double>());
        using Tensor v = Tensor.Zeros([2]);
        Assert.Throws<TorchException>(() => v.Item<float>());
    }

    [Fact]
    public void Factories_fill_as_documented()
    {
        Assert.All(Tensor.Zeros([2, 2]).ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.All(Tensor.Ones([3], ScalarType.Float64).ToArray<double>(), v => Assert.Equal(1.0, v));
        Assert.All(Tensor.Full([4], 7.5).ToArray<float>(), v => Assert.Equal(7.5f, v));
        Assert.All(Tensor.Rand([1000]).ToArray<float>(), v => Assert.InRange(v, 0f, 1f));
        long[] ints = Tensor.RandInt(2, 5, [1000]).ToArray<long>();
        Assert.All(ints, v => Assert.InRange(v, 2L, 4L));
        Assert.Contains(2L, ints);
        Assert.Contains(4L, ints);
        float[] normal = Tensor.Randn([20000]).ToArray<float>();
        double mean = normal.Average();
        double variance = normal.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(variance, 0.95, 1.05);
    }

    [Fact]
    public void Arithmetic_matches_hand_computed_values()
    {
        using var scope = DisposeScope.Enter();
        Tensor a = Tensor.From<float>([1, 2, 3, 4], [2, 2]);
        Tensor b = Tensor.From<float>([10, 20], [1, 2]);
        Assert.Equal([11f, 22f, 13f, 24f], (a + b).ToArray<float>());
        Assert.Equal([-9f, -18f, -7f, -16f], (a - b).ToArray<float>());
        Assert.Equal([10f, 40f, 30f, 80f], (a * b).ToArray<float>());
        Assert.Equal([0.1f, 0.1f, 0.3f, 0.2f], (a / b).ToArray<float>());
        Assert.Equal([3f, 4f, 5f, 6f], (a + 2).ToArray<float>());
        Assert.Equal([1f, 0f, -1f, -2f], (2 - a).ToArray<float>());
        Assert.Equal([2f, 4f, 6f, 8f], (2 * a).ToArray<float>());
        Assert.Equal([1f, 0.5f, 1f / 3, 0.25f], (1 / a).ToArray<float>());
        Assert.Equal([-1f, -2f, -3f, -4f], (-a).ToArray<float>());
        Assert.Equal([1f, 4f, 9f, 16f], a.Square().ToArray<float>());
        Assert.Equal([1f, 8f, 27f, 64f], a.Pow(3).ToArray<float>());
        Assert.Equal(10f, a.Sum().Item<float>());
        Assert.Equal(2.5f, a.Mean().Item<float>());
        Assert.Equal([4f, 6f], a.Sum([0]).ToArray<float>());
        Assert.Equal([1.5f, 3.5f], a.Mean([1]).ToArray<float>());
        Assert.Equal([1f, 2f, 3f, 4f], a.Reshape([4]).ToArray<float>());
        Assert.Equal([50f, 110f], a.MatMul(Tensor.From<float>([10, 20], [2, 1])).ToArray<float>());
    }

    [Fact]
    public void ArgMax_returns_int64_indices_and_eq_counts_matches()
    {
        using var scope = DisposeScope.Enter();
        Tensor logits = Tensor.From<float>([0.1f, 0.9f, 0.0f, 3f, -1f, 2f], [2, 3]);
        Tensor predicted = logits.ArgMax(1);
        Assert.Equal(ScalarType.Int64, predicted.ScalarType);
        Assert.Equal([1L, 0L], predicted.ToArray<long>());
        Tensor correct = predicted.Eq(Tensor.Labels([1, 2])).Sum();
        Assert.Equal(1L, correct.Item<long>());
        Assert.Equal([2L, 1L], logits.ArgMax(1, keepDim: true).Shape);
    }

    [Fact]
    public void Softmax_rows_sum_to_one_and_log_softmax_is_its_log()
    {
        using var scope = DisposeScope.Enter();
        Tensor x = Tensor.From<double>([1, 2, 3, -1, 0, 5], [2, 3]);
        double[] p = Functional.Softmax(x, 1).ToArray<double>();
        Assert.Equal(1.0, p[0] + p[1] + p[2], 12);
        Assert.Equal(Math.Exp(3) / (Math.Exp(1) + Math.Exp(2) + Math.Exp(3)), p[2], 12);
        double[] logP = Functional.LogSoftmax(x, 1).ToArray<double>();
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(Math.Log(p[i]), logP[i], 12);
        }
    }

    [Fact]
    public void Cross_entropy_with_smoothing_and_weights_matches_the_formula()
    {
        using var scope = DisposeScope.Enter();
        double[] logits = [1.0, 2.0, 0.5, -1.0, 0.0, 3.0];
        long[] target = [1, 0];
        double[] w = [0.5, 2.0, 1.0];
        const double eps = 0.1;
        double loss = Functional.CrossEntropy(Tensor.From<double>(logits, [2, 3]), Tensor.From<long>(target, [2]),
            Tensor.From<double>(w, [3]), eps).Item<double>();

        // PyTorch: per sample, (1 - eps) * w[y] * (-log p[y]) + (eps / C) * Σ_c w[c] * (-log p[c]); mean divides by Σ w[y].
        double total = 0, weightSum = 0;
        for (int n = 0; n < 2; n++)
        {
            double[] row = logits[(n * 3)..((n * 3) + 3)];
            double logSum = Math.Log(row.Sum(Math.Exp));
            double nll = -(row[target[n]] - logSum);
            double smooth = 0;
            for (int c = 0; c < 3; c++)
            {
                smooth += w[c] * -(row[c] - logSum);
            }
            total += ((1 - eps) * w[target[n]] * nll) + (eps / 3 * smooth);
            weightSum += w[target[n]];
        }
        Assert.Equal(total / weightSum, loss, 10);
    }

    [Fact]
    public void Pooling_and_conv_shapes_follow_the_formulas()
    {
        using var scope = DisposeScope.Enter();
        Tensor x = Tensor.Randn([2, 3, 128, 300]);
        Tensor w = Tensor.Randn([16, 3, 3, 3]);
        Tensor conv = Functional.Conv2d(x, w, padding: (1, 1));
        Assert.Equal([2L, 16L, 128L, 300L], conv.Shape);
        Assert.Equal([2L, 16L, 64L, 150L], Functional.MaxPool2d(conv, (2, 2)).Shape);
        Assert.Equal([2L, 16L, 42L, 100L], Functional.AvgPool2d(conv, (3, 3)).Shape);
        Assert.Equal([2L, 16L], Functional.GlobalAvgPool2d(conv).Shape);
        Assert.Equal([2L, 16L * 128 * 300], Functional.Flatten(conv).Shape);
    }

    [Fact]
    public void Global_average_pooling_is_the_channel_mean()
    {
        using var scope = DisposeScope.Enter();
        Tensor x = Tensor.From<float>([1, 2, 3, 4, 10, 20, 30, 40], [1, 2, 2, 2]);
        Assert.Equal([2.5f, 25f], Functional.GlobalAvgPool2d(x).ToArray<float>());
    }

    [Fact]
    public void Dropout_zeroes_about_p_and_rescales_the_rest()
    {
        using var scope = DisposeScope.Enter();
        LibTorch.ManualSeed(5);
        float[] y = Functional.Dropout(Tensor.Ones([10000]), 0.3).ToArray<float>();
        int zeros = y.Count(v => v == 0);
        Assert.InRange(zeros, 2700, 3300);
        Assert.All(y.Where(v => v != 0), v => Assert.Equal(1 / 0.7f, v, 5));
        Assert.All(Functional.Dropout(Tensor.Ones([100]), 0.3, training: false).ToArray<float>(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Autograd_basics_detach_clone_and_clear_grad()
    {
        using var scope = DisposeScope.Enter();
        Tensor x = Tensor.From<float>([1, 2, 3], [3]);
        Assert.False(x.RequiresGrad);
        Assert.Null(x.Grad());
        x.RequiresGrad = true;
        Tensor y = (x * x).Sum();
        Assert.True(y.RequiresGrad);
        y.Backward();
        Assert.Equal([2f, 4f, 6f], x.Grad()!.ToArray<float>());
        (x * 3).Sum().Backward();
        Assert.Equal([5f, 7f, 9f], x.Grad()!.ToArray<float>());
        x.ClearGrad();
        Assert.Null(x.Grad());
        Assert.False(x.Detach().RequiresGrad);
        Tensor c = x.Clone();
        Assert.True(c.RequiresGrad);
        Assert.Equal(x.ToArray<float>(), c.ToArray<float>());
    }

    [Fact]
    public void Setting_requires_grad_on_a_non_leaf_throws_libtorch_message()
    {
        using var scope = DisposeScope.Enter();
        Tensor x = Tensor.Ones([2]);
        x.RequiresGrad = true;
        Tensor y = x * 2;
        TorchException ex = Assert.Throws<TorchException>(() => y.RequiresGrad = false);
        Assert.Contains("leaf variables", ex.Message);
    }

    [Fact]
    public void No_grad_scope_stops_recording_and_restores_the_mode()
    {
        using var scope = DisposeScope.Enter();
        Tensor x = Tensor.Ones([2]);
        x.RequiresGrad = true;
        Assert.True(LibTorch.IsGradEnabled);
        using (new NoGradScope())
        {
            Assert.False(LibTorch.IsGradEnabled);
            using (new NoGradScope())
            {
                Assert.False((x * 2).RequiresGrad);
            }
            Assert.False(LibTorch.IsGradEnabled);
        }
        Assert.True(LibTorch.IsGradEnabled);
        Assert.True((x * 2).RequiresGrad);
    }

    [Fact]
    public void Copy_from_overwrites_in_place()
    {
        using Tensor t = Tensor.Zeros([2, 2]);
        t.CopyFrom<float>([1, 2, 3, 4]);
        Assert.Equal([1f, 2f, 3f, 4f], t.ToArray<float>());
        using Tensor source = Tensor.From<double>([5, 6, 7, 8], [2, 2]);
        t.CopyFrom(source);
        Assert.Equal([5f, 6f, 7f, 8f], t.ToArray<float>());
        Assert.Throws<TorchException>(() => t.CopyFrom<float>([1, 2, 3]));
    }

    [Fact]
    public void Using_a_disposed_tensor_throws_object_disposed()
    {
        Tensor t = Tensor.Zeros([1]);
        t.Dispose();
        Assert.True(t.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => t.ToArray<float>());
        t.Dispose();
    }

    [Fact]
    public void Thread_count_defaults_to_the_processor_count_and_is_settable()
    {
        int before = LibTorch.NumThreads;
        string? omp = Environment.GetEnvironmentVariable("OMP_NUM_THREADS");
        int expected = int.TryParse(omp, out int n) && n > 0 ? n : Environment.ProcessorCount;
        Assert.Equal(expected, before);
        LibTorch.SetNumThreads(1);
        Assert.Equal(1, LibTorch.NumThreads);
        LibTorch.SetNumThreads(before);
        Assert.Throws<ArgumentOutOfRangeException>(() => LibTorch.SetNumThreads(0));
    }

    [Fact]
    public void To_type_converts()
    {
        using var scope = DisposeScope.Enter();
        Tensor t = Tensor.From<float>([1.5f, -2f], [2]);
        Assert.Equal([1.5, -2.0], t.To(ScalarType.Float64).ToArray<double>());
        Assert.Equal([1L, -2L], t.To(ScalarType.Int64).ToArray<long>());
        Assert.Equal("Tensor[2] Float32 cpu", t.ToString());
    }
}
