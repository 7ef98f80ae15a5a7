using SerMlNet.Torch;
using SerMlNet.Torch.NN;

namespace SerMlNet.Torch.Tests;

/// <summary>Finite-difference checks of every differentiable operation the bindings expose (float64 unless stated).</summary>
public sealed class GradientCheckTests
{
    [Fact]
    public void Conv2d_gradients_for_input_weight_and_bias()
    {
        GradCheck.Check(
            x => Functional.Conv2d(x[0], x[1], x[2], padding: (1, 1)),
            [GradCheck.Random(1, 2, 2, 5, 6), GradCheck.Random(2, 3, 2, 3, 3), GradCheck.Random(3, 3)]);
    }

    [Fact]
    public void Conv2d_gradients_with_stride_dilation_and_no_bias()
    {
        GradCheck.Check(
            x => Functional.Conv2d(x[0], x[1], stride: (2, 1), padding: (0, 2), dilation: (1, 2)),
            [GradCheck.Random(4, 1, 2, 7, 6), GradCheck.Random(5, 2, 2, 3, 2)]);
    }

    [Fact]
    public void Conv2d_gradients_in_float32_on_the_training_path()
    {
        GradCheck.Check(
            x => Functional.Conv2d(x[0], x[1], x[2], padding: (1, 1)),
            [GradCheck.Random(6, 2, 3, 6, 6), GradCheck.Random(7, 4, 3, 3, 3), GradCheck.Random(8, 4)],
            ScalarType.Float32, step: 1e-2, absoluteTolerance: 2e-3, relativeTolerance: 1e-2);
    }

    [Fact]
    public void BatchNorm_training_gradients_through_batch_statistics()
    {
        GradCheck.Check(
            x => Functional.BatchNorm(x[0], null, null, x[1], x[2], training: true),
            [GradCheck.Random(9, 3, 2, 3, 2), GradCheck.Random(10, 2), GradCheck.Random(11, 2)]);
    }

    [Fact]
    public void BatchNorm_training_with_running_statistics_has_the_same_gradients()
    {
        GradCheck.Check(
            x =>
            {
                Tensor mean = Tensor.Zeros([2], ScalarType.Float64);
                Tensor variance = Tensor.Ones([2], ScalarType.Float64);
                return Functional.BatchNorm(x[0], mean, variance, x[1], x[2], training: true, momentum: 0.3);
            },
            [GradCheck.Random(12, 4, 2, 2, 3), GradCheck.Random(13, 2), GradCheck.Random(14, 2)]);
    }

    [Fact]
    public void BatchNorm_eval_gradients_use_running_statistics()
    {
        GradCheck.Check(
            x =>
            {
                Tensor mean = Tensor.From<double>([0.2, -0.4], [2]);
                Tensor variance = Tensor.From<double>([1.5, 0.7], [2]);
                return Functional.BatchNorm(x[0], mean, variance, x[1], x[2], training: false);
            },
            [GradCheck.Random(15, 2, 2, 3, 3), GradCheck.Random(16, 2), GradCheck.Random(17, 2)]);
    }

    [Fact]
    public void ReLU_gradient()
    {
        GradCheck.Check(x => Functional.ReLU(x[0]), [GradCheck.Distinct(18, 3, 4, 5)]);
    }

    [Fact]
    public void MaxPool2d_gradient()
    {
        GradCheck.Check(x => Functional.MaxPool2d(x[0], (2, 2)), [GradCheck.Distinct(19, 2, 3, 6, 7)]);
    }

    [Fact]
    public void MaxPool2d_gradient_with_overlapping_windows_and_padding()
    {
        GradCheck.Check(x => Functional.MaxPool2d(x[0], (3, 3), stride: (2, 2), padding: (1, 1)), [GradCheck.Distinct(20, 1, 2, 7, 6)]);
    }

    [Fact]
    public void AvgPool2d_gradient()
    {
        GradCheck.Check(x => Functional.AvgPool2d(x[0], (2, 3), stride: (2, 2), padding: (1, 1)), [GradCheck.Random(21, 2, 2, 6, 7)]);
    }

    [Fact]
    public void GlobalAvgPool2d_gradient()
    {
        GradCheck.Check(x => Functional.GlobalAvgPool2d(x[0]), [GradCheck.Random(22, 3, 4, 3, 5)]);
    }

    [Fact]
    public void Dropout_gradient_with_a_fixed_mask()
    {
        GradCheck.Check(
            x =>
            {
                LibTorch.ManualSeed(99);
                return Functional.Dropout(x[0], 0.4, training: true);
            },
            [GradCheck.Random(23, 4, 10)]);
    }

    [Fact]
    public void Dropout_module_gradient_in_eval_mode_is_identity()
    {
        using var dropout = new Dropout(0.5);
        dropout.Eval();
        GradCheck.Check(x => dropout.Forward(x[0]), [GradCheck.Random(24, 3, 5)]);
    }

    [Fact]
    public void Linear_gradients_for_input_weight_and_bias()
    {
        GradCheck.Check(x => Functional.Linear(x[0], x[1], x[2]), [GradCheck.Random(25, 4, 5), GradCheck.Random(26, 3, 5), GradCheck.Random(27, 3)]);
    }

    [Fact]
    public void Flatten_and_reshape_gradients()
    {
        GradCheck.Check(x => Functional.Flatten(x[0]) * x[1], [GradCheck.Random(28, 2, 3, 2, 2), GradCheck.Random(29, 2, 12)]);
        GradCheck.Check(x => x[0].Reshape([4, -1]).Square(), [GradCheck.Random(30, 2, 3, 2)]);
    }

    [Fact]
    public void Softmax_gradient()
    {
        GradCheck.Check(x => Functional.Softmax(x[0], 1), [GradCheck.Random(31, 3, 5)]);
        GradCheck.Check(x => Functional.Softmax(x[0], 0), [GradCheck.Random(32, 3, 5)]);
    }

    [Fact]
    public void LogSoftmax_gradient()
    {
        GradCheck.Check(x => Functional.LogSoftmax(x[0]), [GradCheck.Random(33, 4, 6)]);
    }

    [Fact]
    public void CrossEntropy_gradient_plain()
    {
        GradCheck.Check(
            x => Functional.CrossEntropy(x[0], Tensor.From<long>([0, 3, 2, 1, 3], [5])),
            [GradCheck.Random(34, 5, 4)]);
    }

    [Fact]
    public void CrossEntropy_gradient_with_label_smoothing_and_class_weights()
    {
        GradCheck.Check(
            x => Functional.CrossEntropy(
                x[0],
                Tensor.From<long>([0, 3, 2, 1, 3, 0], [6]),
                classWeights: Tensor.From<double>([0.5, 2.0, 1.0, 1.5], [4]),
                labelSmoothing: 0.1),
            [GradCheck.Random(35, 6, 4)]);
    }

    [Fact]
    public void CrossEntropy_gradient_without_reduction()
    {
        GradCheck.Check(
            x => Functional.CrossEntropy(x[0], Tensor.From<long>([1, 0, 2], [3]), labelSmoothing: 0.2, reduction: LossReduction.None),
            [GradCheck.Random(36, 3, 3)]);
    }

    [Fact]
    public void Elementwise_arithmetic_gradients()
    {
        GradInput a = GradCheck.Random(37, 3, 4);
        GradInput b = GradCheck.Random(38, 3, 4);
        GradCheck.Check(x => x[0] + x[1], [a, b]);
        GradCheck.Check(x => x[0] - x[1], [a, b]);
        GradCheck.Check(x => x[0] * x[1], [a, b]);
        GradCheck.Check(x => x[0] / (x[1].Square() + 0.5), [a, b]);
        GradCheck.Check(x => (2.0 - x[0]) * 3.0 / 4.0 + 1.0, [a]);
        GradCheck.Check(x => 1.0 / (x[0].Square() + 1.0), [a]);
        GradCheck.Check(x => -x[0], [a]);
    }

    [Fact]
    public void Broadcasting_arithmetic_gradients()
    {
        GradCheck.Check(x => x[0] * x[1] + x[1], [GradCheck.Random(39, 2, 3, 4), GradCheck.Random(40, 1, 4)]);
    }

    [Fact]
    public void Unary_math_gradients()
    {
        GradInput a = GradCheck.Random(41, 2, 5);
        GradCheck.Check(x => x[0].Exp(), [a]);
        GradCheck.Check(x => (x[0].Square() + 0.5).Log(), [a]);
        GradCheck.Check(x => (x[0].Square() + 0.5).Sqrt(), [a]);
        GradCheck.Check(x => x[0].Tanh(), [a]);
        GradCheck.Check(x => x[0].Sigmoid(), [a]);
        GradCheck.Check(x => (x[0].Square() + 0.5).Pow(1.7), [a]);
        GradCheck.Check(x => x[0].Abs(), [GradCheck.Distinct(42, 2, 5)]);
    }

    [Fact]
    public void Reduction_and_matmul_gradients()
    {
        GradCheck.Check(x => x[0].Sum([1]), [GradCheck.Random(43, 3, 4, 2)]);
        GradCheck.Check(x => x[0].Mean([0, 2], keepDim: true), [GradCheck.Random(44, 3, 4, 2)]);
        GradCheck.Check(x => x[0].Mean(), [GradCheck.Random(45, 3, 4)]);
        GradCheck.Check(x => x[0].MatMul(x[1]), [GradCheck.Random(46, 3, 4), GradCheck.Random(47, 4, 2)]);
    }

    [Fact]
    public void Modules_chained_gradients_match_finite_differences()
    {
        // A whole block as the CNN uses it, in float64: Conv2d -> BatchNorm (training) -> ReLU -> MaxPool -> GAP -> Linear.
        GradCheck.Check(
            x =>
            {
                Tensor h = Functional.Conv2d(x[0], x[1], x[2], padding: (1, 1));
                h = Functional.BatchNorm(h, null, null, x[3], x[4], training: true);
                h = Functional.MaxPool2d(Functional.ReLU(h), (2, 2));
                return Functional.Linear(Functional.GlobalAvgPool2d(h), x[5], x[6]);
            },
            [
                GradCheck.Random(48, 3, 1, 4, 6), GradCheck.Random(49, 2, 1, 3, 3), GradCheck.Random(50, 2),
                GradCheck.Random(51, 2), GradCheck.Random(52, 2), GradCheck.Random(53, 3, 2), GradCheck.Random(54, 3),
            ],
            absoluteTolerance: 1e-6, relativeTolerance: 1e-4);
    }
}
