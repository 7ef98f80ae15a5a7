using SerMlNet.Torch;

namespace SerMlNet.Torch.Tests;

/// <summary>One input of a gradient check: values (float64) and shape.</summary>
internal sealed record GradInput(double[] Values, long[] Shape);

/// <summary>
/// Finite-difference gradient checks: compares autograd's gradient of L = Σ f(x)·R (R fixed random weights) with the
/// central difference (L(x + h) − L(x − h)) / 2h for every element of every input, in float64.
/// </summary>
internal static class GradCheck
{
    /// <summary>Random values in [-1, 1) (float64), from a fixed seed.</summary>
    public static GradInput Random(int seed, params long[] shape)
    {
        var random = new Random(seed);
        long count = 1;
        foreach (long size in shape)
        {
            count *= size;
        }
        double[] values = new double[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextDouble() * 2) - 1;
        }
        return new GradInput(values, shape);
    }

    /// <summary>Distinct values (a shuffled ramp with steps of 0.01, offset away from 0): no ties for max pooling, no
    /// kinks for ReLU.</summary>
    public static GradInput Distinct(int seed, params long[] shape)
    {
        var random = new Random(seed);
        long count = 1;
        foreach (long size in shape)
        {
            count *= size;
        }
        double[] values = new double[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ((i - (count / 2)) * 0.01) + 0.005;
        }
        random.Shuffle(values);
        return new GradInput(values, shape);
    }

    /// <summary>Asserts that autograd's gradients of <paramref name="function"/> match finite differences.</summary>
    /// <param name="function">Maps the input tensors (float64, leaves) to an output; may use them in any way.</param>
    /// <param name="inputs">Inputs to differentiate with respect to.</param>
    /// <param name="type">Element type of the check (Float64 by default; Float32 needs looser tolerances).</param>
    /// <param name="step">Finite-difference step h.</param>
    /// <param name="absoluteTolerance">Allowed absolute difference.</param>
    /// <param name="relativeTolerance">Allowed difference relative to the numeric gradient.</param>
    public static void Check(Func<Tensor[], Tensor> function, GradInput[] inputs, ScalarType type = ScalarType.Float64,
        double step = 1e-6, double absoluteTolerance = 1e-7, double relativeTolerance = 1e-5)
    {
        long liveBefore = LiveTensors.Baseline();
        double[][] analytic = new double[inputs.Length][];
        double[] weights;
        using (DisposeScope.Enter())
        {
            Tensor[] leaves = new Tensor[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                leaves[i] = Make(inputs[i].Values, inputs[i].Shape, type);
                leaves[i].RequiresGrad = true;
            }
            Tensor output = function(leaves);
            Assert.True(output.RequiresGrad, "the output does not depend on the inputs through autograd");
            var random = new Random(12345);
            weights = new double[output.ElementCount];
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = (random.NextDouble() * 2) - 1;
            }
            Tensor loss = Weighted(output, weights, type);
            loss.Backward();
            for (int i = 0; i < inputs.Length; i++)
            {
                Tensor? grad = leaves[i].Grad();
                Assert.NotNull(grad);
                analytic[i] = grad.To(ScalarType.Float64).ToArray<double>();
            }
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            double[] values = inputs[i].Values;
            for (int j = 0; j < values.Length; j++)
            {
                double original = values[j];
                values[j] = original + step;
                double plus = Evaluate(function, inputs, weights, type);
                values[j] = original - step;
                double minus = Evaluate(function, inputs, weights, type);
                values[j] = original;
                double numeric = (plus - minus) / (2 * step);
                double difference = Math.Abs(analytic[i][j] - numeric);
                Assert.True(difference <= absoluteTolerance + (relativeTolerance * Math.Abs(numeric)),
                    $"input {i}, element {j}: autograd {analytic[i][j]:R} vs finite difference {numeric:R} (|diff| {difference:E3})");
            }
        }
        Assert.Equal(liveBefore, Tensor.LiveCount);
    }

    private static double Evaluate(Func<Tensor[], Tensor> function, GradInput[] inputs, double[] weights, ScalarType type)
    {
        using (DisposeScope.Enter())
        using (new NoGradScope())
        {
            Tensor[] tensors = new Tensor[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                tensors[i] = Make(inputs[i].Values, inputs[i].Shape, type);
            }
            return Weighted(function(tensors), weights, ScalarType.Float64).Item<double>();
        }
    }

    private static Tensor Make(double[] values, long[] shape, ScalarType type)
    {
        Tensor tensor = Tensor.From<double>(values, shape);
        return type == ScalarType.Float64 ? tensor : tensor.To(type);
    }

    private static Tensor Weighted(Tensor output, double[] weights, ScalarType type)
    {
        Tensor r = Tensor.From<double>(weights, output.Shape);
        Tensor product = output.To(ScalarType.Float64) * r;
        return product.Sum();
    }
}
