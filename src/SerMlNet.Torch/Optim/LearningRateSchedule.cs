namespace SerMlNet.Torch.Optim;

/// <summary>
/// A learning rate as a function of the step (or epoch) index, applied to an optimiser before each step:
/// <c>optimizer.LearningRate = schedule.At(step)</c>, or <see cref="Apply"/>. Immutable and thread-safe.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate at <paramref name="step"/>.</summary>
    /// <param name="step">0-based step (or epoch) index, ≥ 0.</param>
    /// <returns>The learning rate, ≥ 0.</returns>
    public abstract double At(int step);

    /// <summary>Sets <paramref name="optimizer"/>'s learning rate to <see cref="At"/>(<paramref name="step"/>).</summary>
    /// <param name="optimizer">The optimiser.</param>
    /// <param name="step">0-based index of the step about to run.</param>
    /// <returns>The learning rate set.</returns>
    public double Apply(Optimizer optimizer, int step)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        double rate = At(step);
        optimizer.LearningRate = rate;
        return rate;
    }
}

/// <summary>The same learning rate at every step.</summary>
/// <param name="learningRate">The rate, ≥ 0.</param>
public sealed class ConstantSchedule(double learningRate) : LearningRateSchedule
{
    private readonly double _rate = learningRate >= 0 && double.IsFinite(learningRate)
        ? learningRate
        : throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "learning rate must be finite and >= 0");

    /// <inheritdoc />
    public override double At(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return _rate;
    }
}

/// <summary>
/// Linear warm-up from 0 to the peak over <see cref="WarmupSteps"/> steps, then cosine decay to
/// <see cref="MinLearningRate"/> at <see cref="TotalSteps"/> (held there afterwards):
/// lr(t) = peak·(t + 1) / warmup for t &lt; warmup, else min + (peak − min)·(1 + cos(π·(t − warmup) / (total − warmup))) / 2.
/// </summary>
public sealed class CosineWarmupSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="peakLearningRate">Rate at the end of warm-up, &gt; 0.</param>
    /// <param name="totalSteps">Steps of the whole run, &gt; <paramref name="warmupSteps"/>.</param>
    /// <param name="warmupSteps">Warm-up steps, ≥ 0 (default 0).</param>
    /// <param name="minLearningRate">Final rate, in [0, peak] (default 0).</param>
    public CosineWarmupSchedule(double peakLearningRate, int totalSteps, int warmupSteps = 0, double minLearningRate = 0)
    {
        var errors = new List<string>();
        if (!(peakLearningRate > 0) || !double.IsFinite(peakLearningRate))
        {
            errors.Add($"peakLearningRate must be finite and > 0 (got {peakLearningRate})");
        }
        if (warmupSteps < 0)
        {
            errors.Add($"warmupSteps must be >= 0 (got {warmupSteps})");
        }
        if (totalSteps <= warmupSteps)
        {
            errors.Add($"totalSteps ({totalSteps}) must exceed warmupSteps ({warmupSteps})");
        }
        if (!(minLearningRate >= 0 && minLearningRate <= peakLearningRate))
        {
            errors.Add($"minLearningRate must be in [0, peakLearningRate] (got {minLearningRate})");
        }
        if (errors.Count > 0)
        {
            throw new ArgumentException($"invalid {nameof(CosineWarmupSchedule)}: {string.Join("; ", errors)}");
        }
        PeakLearningRate = peakLearningRate;
        TotalSteps = totalSteps;
        WarmupSteps = warmupSteps;
        MinLearningRate = minLearningRate;
    }

    /// <summary>Rate at the end of warm-up.</summary>
    public double PeakLearningRate { get; }

    /// <summary>Steps of the whole run.</summary>
    public int TotalSteps { get; }

    /// <summary>Warm-up steps.</summary>
    public int WarmupSteps { get; }

    /// <summary>Final rate.</summary>
    public double MinLearningRate { get; }

    /// <inheritdoc />
    public override double At(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps)
        {
            return PeakLearningRate * (step + 1) / WarmupSteps;
        }
        double progress = Math.Min(1.0, (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps));
        return MinLearningRate + ((PeakLearningRate - MinLearningRate) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}

/// <summary>Step decay (PyTorch's <c>StepLR</c>): lr(t) = initial·γ^⌊t / stepSize⌋.</summary>
public sealed class StepDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">Rate of the first period, &gt; 0.</param>
    /// <param name="stepSize">Steps (or epochs) per period, ≥ 1.</param>
    /// <param name="gamma">Factor applied at each period boundary, in (0, 1]; default 0.1.</param>
    public StepDecaySchedule(double initialLearningRate, int stepSize, double gamma = 0.1)
    {
        var errors = new List<string>();
        if (!(initialLearningRate > 0) || !double.IsFinite(initialLearningRate))
        {
            errors.Add($"initialLearningRate must be finite and > 0 (got {initialLearningRate})");
        }
        if (stepSize < 1)
        {
            errors.Add($"stepSize must be >= 1 (got {stepSize})");
        }
        if (!(gamma > 0 && gamma <= 1))
        {
            errors.Add($"gamma must be in (0, 1] (got {gamma})");
        }
        if (errors.Count > 0)
        {
            throw new ArgumentException($"invalid {nameof(StepDecaySchedule)}: {string.Join("; ", errors)}");
        }
        InitialLearningRate = initialLearningRate;
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Rate of the first period.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Steps per period.</summary>
    public int StepSize { get; }

    /// <summary>Factor per period.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public override double At(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return InitialLearningRate * Math.Pow(Gamma, step / StepSize);
    }
}
