using SerMlNet.Torch;
using SerMlNet.Torch.NN;

namespace SerMlNet.Torch.Tests;

public sealed class NativeErrorTests
{
    [Fact]
    public void Conv2d_channel_mismatch_surfaces_libtorch_message_as_torch_exception()
    {
        using var scope = DisposeScope.Enter();
        long live = LiveTensors.Baseline();
        Tensor input = Tensor.Zeros([1, 2, 8, 8]);
        Tensor weight = Tensor.Zeros([4, 3, 3, 3]);
        TorchException ex = Assert.Throws<TorchException>(() => Functional.Conv2d(input, weight));
        Assert.Contains("expected input[1, 2, 8, 8] to have 3 channels, but got 2 channels instead", ex.Message);
        Assert.DoesNotContain("Exception raised from", ex.Message);
        Assert.Equal(live + 2, Tensor.LiveCount);
    }

    [Fact]
    public void Shape_mismatch_in_arithmetic_surfaces_libtorch_message()
    {
        using var scope = DisposeScope.Enter();
        TorchException ex = Assert.Throws<TorchException>(() => Tensor.Zeros([3]) + Tensor.Zeros([4]));
        Assert.Contains("must match the size of tensor b (4)", ex.Message);
    }

    [Fact]
    public void Linear_shape_mismatch_and_bad_targets_are_reported()
    {
        using var scope = DisposeScope.Enter();
        Assert.Throws<TorchException>(() => Functional.Linear(Tensor.Zeros([2, 5]), Tensor.Zeros([3, 4])));
        TorchException ex = Assert.Throws<TorchException>(() => Functional.CrossEntropy(Tensor.Zeros([2, 3]), Tensor.From<float>([0, 1], [2])));
        Assert.NotEmpty(ex.Message);
        Assert.Throws<TorchException>(() => Functional.CrossEntropy(Tensor.Zeros([2, 3]), Tensor.Labels([0, 7])));
    }

    [Fact]
    public void Backward_on_a_non_scalar_without_gradient_is_reported()
    {
        using var scope = DisposeScope.Enter();
        Tensor x = Tensor.Ones([3]);
        x.RequiresGrad = true;
        TorchException ex = Assert.Throws<TorchException>(() => (x * 2).Backward());
        Assert.Contains("grad can be implicitly created only for scalar outputs", ex.Message);
    }

    [Fact]
    public void Global_pooling_of_a_non_4d_input_is_reported()
    {
        using var scope = DisposeScope.Enter();
        TorchException ex = Assert.Throws<TorchException>(() => Functional.GlobalAvgPool2d(Tensor.Zeros([2, 3])));
        Assert.Contains("4-d input", ex.Message);
    }
}
