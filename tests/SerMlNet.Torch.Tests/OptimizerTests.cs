using SerMlNet.Torch;
using SerMlNet.Torch.Optim;
using SerMlNet.Torch.Serialization;

namespace SerMlNet.Torch.Tests;

public sealed class OptimizerTests
{
    private static readonly double[] Start = [0.5, -1.0, 2.0, 0.0];
    private static readonly double[] Coefficients = [1.0, -3.0, 0.25, 2.0];

    /// <summary>Loss Σ c·p + ½Σ p², gradient c + p, evaluated by autograd.</summary>
    private static void ComputeGradient(Tensor parameter)
    {
        using var scope = DisposeScope.Enter();
        Tensor c = Tensor.From<double>(Coefficients, [4]);
        ((parameter * c).Sum() + (parameter.Square().Sum() * 0.5)).Backward();
    }

    /// <summary>Textbook Adam / AdamW (Kingma &amp; Ba; Loshchilov &amp; Hutter), in double precision.</summary>
    private static double[] Reference(bool decoupled, double lr, double beta1, double beta2, double eps, double weightDecay, int steps)
    {
        double[] p = (double[])Start.Clone();
        double[] m = new double[p.Length], v = new double[p.Length];
        for (int t = 1; t <= steps; t++)
        {
            for (int i = 0; i < p.Length; i++)
            {
                double g = Coefficients[i] + p[i];
                if (decoupled)
                {
                    p[i] *= 1 - (lr * weightDecay);
                }
                else
                {
                    g += weightDecay * p[i];
                }
                m[i] = (beta1 * m[i]) + ((1 - beta1) * g);
                v[i] = (beta2 * v[i]) + ((1 - beta2) * g * g);
                double mHat = m[i] / (1 - Math.Pow(beta1, t));
                double vHat = v[i] / (1 - Math.Pow(beta2, t));
                p[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        }
        return p;
    }

    private static double[] Run(Func<Tensor, Optimizer> create, int steps)
    {
        using Tensor parameter = Tensor.From<double>(Start, [4]);
        parameter.RequiresGrad = true;
        using Optimizer optimizer = create(parameter);
        for (int step = 0; step < steps; step++)
        {
            optimizer.ZeroGrad();
            ComputeGradient(parameter);
            optimizer.Step();
        }
        return parameter.ToArray<double>();
    }

    [Fact]
    public void Adam_steps_match_the_hand_computed_update()
    {
        double[] actual = Run(p => new Adam([p], new AdamOptions { LearningRate = 0.1, Beta1 = 0.8, Beta2 = 0.95, Epsilon = 1e-6 }), 3);
        double[] expected = Reference(false, 0.1, 0.8, 0.95, 1e-6, 0, 3);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], actual[i], 12);
        }
        Assert.NotEqual(Start[0], actual[0]);
    }

    [Fact]
    public void Adam_with_l2_weight_decay_matches_the_hand_computed_update()
    {
        double[] actual = Run(p => new Adam([p], new AdamOptions { LearningRate = 0.05, WeightDecay = 0.3 }), 4);
        double[] expected = Reference(false, 0.05, 0.9, 0.999, 1e-8, 0.3, 4);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], actual[i], 12);
        }
    }

    [Fact]
    public void AdamW_steps_match_the_hand_computed_decoupled_update()
    {
        double[] actual = Run(p => new AdamW([p], new AdamWOptions { LearningRate = 0.1, WeightDecay = 0.5 }), 3);
        double[] expected = Reference(true, 0.1, 0.9, 0.999, 1e-8, 0.5, 3);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], actual[i], 12);
        }
        // Decoupled decay differs from the L2 penalty.
        Assert.NotEqual(Reference(false, 0.1, 0.9, 0.999, 1e-8, 0.5, 3)[2], actual[2], 6);
    }

    [Fact]
    public void Learning_rate_is_settable_between_steps()
    {
        using Tensor parameter = Tensor.From<double>(Start, [4]);
        parameter.RequiresGrad = true;
        using var optimizer = new AdamW([parameter], new AdamWOptions { LearningRate = 0.1, WeightDecay = 0 });
        Assert.Equal(0.1, optimizer.LearningRate);
        optimizer.LearningRate = 0.0;
        ComputeGradient(parameter);
        optimizer.Step();
        Assert.Equal(Start, parameter.ToArray<double>());
        optimizer.LearningRate = 0.2;
        optimizer.ZeroGrad();
        ComputeGradient(parameter);
        optimizer.Step();
        // Second step of the moments (t = 2) with lr 0.2.
        Assert.NotEqual(Start, parameter.ToArray<double>());
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = -1);
    }

    [Fact]
    public void Zero_grad_drops_gradients_and_step_skips_parameters_without_one()
    {
        using Tensor a = Tensor.From<double>(Start, [4]);
        using Tensor b = Tensor.From<double>(Start, [4]);
        a.RequiresGrad = true;
        b.RequiresGrad = true;
        using var optimizer = new Adam([a, b], new AdamOptions { LearningRate = 0.1 });
        ComputeGradient(a);
        optimizer.Step();
        Assert.NotEqual(Start, a.ToArray<double>());
        Assert.Equal(Start, b.ToArray<double>());
        optimizer.ZeroGrad();
        Assert.Null(a.Grad());
    }

    [Fact]
    public void Optimizer_state_round_trip_resumes_exactly()
    {
        // Run 2 steps, save, continue 2 more; vs restore into a fresh optimiser and do the same 2 steps.
        using Tensor p1 = Tensor.From<double>(Start, [4]);
        p1.RequiresGrad = true;
        using var o1 = new AdamW([p1], new AdamWOptions { LearningRate = 0.1 });
        for (int i = 0; i < 2; i++)
        {
            o1.ZeroGrad();
            ComputeGradient(p1);
            o1.Step();
        }
        StateDict state = o1.StateDict();
        Assert.Equal(["lr", "0.step", "0.exp_avg", "0.exp_avg_sq"], state.Select(e => e.Name));
        Assert.Equal(2f, state["0.step"].Values[0]);
        double[] checkpoint = p1.ToArray<double>();
        for (int i = 0; i < 2; i++)
        {
            o1.ZeroGrad();
            ComputeGradient(p1);
            o1.Step();
        }

        using Tensor p2 = Tensor.From<double>(checkpoint, [4]);
        p2.RequiresGrad = true;
        using var o2 = new AdamW([p2], new AdamWOptions { LearningRate = 0.7 });
        o2.LoadStateDict(state);
        Assert.Equal(0.1, o2.LearningRate, 6);
        for (int i = 0; i < 2; i++)
        {
            o2.ZeroGrad();
            ComputeGradient(p2);
            o2.Step();
        }
        // Moments are stored as float32, so the resumed run agrees to float precision.
        double[] resumed = p2.ToArray<double>(), continued = p1.ToArray<double>();
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(continued[i], resumed[i], 5);
        }
    }

    [Fact]
    public void Invalid_options_list_every_bad_field()
    {
        using Tensor p = Tensor.Zeros([1]);
        p.RequiresGrad = true;
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new Adam([p], new AdamOptions { LearningRate = -1, Beta2 = 1, WeightDecay = -0.1 }));
        Assert.Contains("LearningRate", ex.Message);
        Assert.Contains("Beta2", ex.Message);
        Assert.Contains("WeightDecay", ex.Message);
        Assert.Throws<ArgumentException>(() => new Adam([]));
        using Tensor frozen = Tensor.Zeros([1]);
        Assert.Throws<TorchException>(() => new AdamW([frozen]));
    }

    [Fact]
    public void Cosine_warmup_schedule_values()
    {
        var schedule = new CosineWarmupSchedule(1e-3, totalSteps: 110, warmupSteps: 10, minLearningRate: 1e-5);
        Assert.Equal(1e-4, schedule.At(0), 12);
        Assert.Equal(1e-3, schedule.At(9), 12);
        Assert.Equal(1e-3, schedule.At(10), 12);
        Assert.Equal(1e-5 + ((1e-3 - 1e-5) * 0.5), schedule.At(60), 12);
        Assert.Equal(1e-5, schedule.At(110), 12);
        Assert.Equal(1e-5, schedule.At(500), 12);
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new CosineWarmupSchedule(-1, 5, 10, 2));
        Assert.Contains("peakLearningRate", ex.Message);
        Assert.Contains("totalSteps", ex.Message);
    }

    [Fact]
    public void Step_decay_schedule_values_and_apply()
    {
        var schedule = new StepDecaySchedule(0.1, stepSize: 3, gamma: 0.5);
        Assert.Equal([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025], Enumerable.Range(0, 7).Select(schedule.At));
        using Tensor p = Tensor.Zeros([1]);
        p.RequiresGrad = true;
        using var optimizer = new Adam([p]);
        Assert.Equal(0.05, schedule.Apply(optimizer, 4));
        Assert.Equal(0.05, optimizer.LearningRate, 12);
        Assert.Equal(0.3, new ConstantSchedule(0.3).At(1000));
    }
}
