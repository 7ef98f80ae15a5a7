using System.Diagnostics;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Evaluation.Reporting;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Randomness;
using SerMlNet.Torch;
using SerMlNet.Torch.NN;
using SerMlNet.Torch.Optim;
using SerMlNet.Torch.Serialization;
using SerMlNet.Training.Model;

namespace SerMlNet.Training.Runs;

/// <summary>
/// Trains a <see cref="SerCnn"/> on a <see cref="PreparedDataset"/>: shuffled mini-batches, class weights or balanced
/// sampling, AdamW/Adam with warm-up + cosine schedule, validation macro-F1 every epoch with early stopping, the best
/// weights and a resumable checkpoint written atomically every epoch, and <c>curves.csv</c>. Equal seed and thread
/// count give equal results, also across a crash and resume (every random draw is derived from (seed, epoch)).
/// One trainer runs one job at a time; it is not thread-safe.
/// </summary>
public sealed class Trainer
{
    private const int EvaluationBatchSize = 64;

    /// <summary>Creates a trainer.</summary>
    /// <param name="model">Model options (input size and class count must match the data).</param>
    /// <param name="options">Training options.</param>
    public Trainer(SerCnnOptions model, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        model.Validate();
        options.Validate();
        ModelOptions = model;
        Options = options;
    }

    /// <summary>The model options.</summary>
    public SerCnnOptions ModelOptions { get; }

    /// <summary>The training options.</summary>
    public TrainerOptions Options { get; }

    /// <summary>
    /// Trains, resuming from <see cref="RunFolder.LastCheckpoint"/> when it exists and belongs to the same job
    /// (<paramref name="jobHash"/>); afterwards the run folder holds <c>best.ckpt</c> (model weights of the best epoch),
    /// <c>last.ckpt</c> and <c>curves.csv</c>.
    /// </summary>
    /// <param name="data">The prepared split.</param>
    /// <param name="run">The run folder.</param>
    /// <param name="jobHash">Identifies the job and data; a checkpoint of another job is not resumed (it is an error).</param>
    /// <param name="progress">Receives progress on the calling thread, or null.</param>
    /// <param name="cancellationToken">Stops between steps; the last finished epoch stays resumable.</param>
    /// <returns>The curves and the best epoch.</returns>
    /// <exception cref="InvalidOperationException">The model does not fit the data, or the checkpoint belongs to another job.</exception>
    public TrainingResult Fit(PreparedDataset data, RunFolder run, string jobHash, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(run);
        var clock = Stopwatch.StartNew();
        CheckShapes(data);
        LibTorch.SetNumThreads(Options.Threads > 0 ? Options.Threads : Environment.ProcessorCount);
        Device device = Options.Device == "cuda" ? Device.Cuda() : Device.Cpu;
        LibTorch.ManualSeed(Options.Seed);

        using var model = new SerCnn(ModelOptions);
        model.To(device);
        using Optimizer optimizer = CreateOptimizer(model);
        int examplesPerEpoch = data.ExamplesPerEpoch;
        int batches = (examplesPerEpoch + Options.BatchSize - 1) / Options.BatchSize;
        int totalSteps = batches * Options.Epochs;
        LearningRateSchedule schedule = Options.Schedule == ScheduleKind.Constant
            ? new ConstantSchedule(Options.LearningRate)
            : new CosineWarmupSchedule(Options.LearningRate, totalSteps, (int)Math.Round(totalSteps * Options.WarmupFraction));
        float[] weights = ClassWeights(data);
        using Tensor? classWeights = Options.ClassBalance == ClassBalance.Weights ? Tensor.From<float>(weights, [weights.Length], device) : null;

        var curves = new List<CurveRow>();
        int startEpoch = 0, step = 0, bestEpoch = 0, stale = 0;
        double best = double.NaN;
        if (File.Exists(run.LastCheckpoint))
        {
            Checkpoint checkpoint = Checkpoint.Load(run.LastCheckpoint);
            if (checkpoint.JobHash != jobHash)
            {
                throw new InvalidOperationException($"'{run.LastCheckpoint}' belongs to another job or dataset; use a new run folder or delete it");
            }
            model.LoadStateDict(checkpoint.Model);
            optimizer.LoadStateDict(checkpoint.Optimizer);
            (startEpoch, step, best, bestEpoch, stale) = (checkpoint.EpochsDone, checkpoint.Step, checkpoint.BestValMacroF1, checkpoint.BestEpoch, checkpoint.EpochsWithoutImprovement);
            if (File.Exists(run.Curves))
            {
                curves.AddRange(CurvesCsv.Read(run.Curves).Take(startEpoch));
            }
        }

        int labels = data.Catalog.Labels.Count;
        var (rows, columns) = data.FeatureShape;
        int exampleSize = rows * columns;
        float[] batchBuffer = new float[Options.BatchSize * exampleSize];
        int[] batchLabels = new int[Options.BatchSize];
        bool stoppedEarly = false;

        for (int epoch = startEpoch; epoch < Options.Epochs; epoch++)
        {
            if (Options.Patience > 0 && stale >= Options.Patience)
            {
                stoppedEarly = true;
                break;
            }
            var epochClock = Stopwatch.StartNew();
            LibTorch.ManualSeed(Options.Seed + 1_000_003L * (epoch + 1));
            IReadOnlyList<FeatureItem> items = data.TrainingItems(epoch, cancellationToken);
            int[] order = EpochOrder(items, weights, epoch);
            model.Train();
            double lossSum = 0;
            long correct = 0, seen = 0;
            for (int b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int start = b * Options.BatchSize;
                int count = Math.Min(Options.BatchSize, order.Length - start);
                for (int i = 0; i < count; i++)
                {
                    FeatureItem item = items[order[start + i]];
                    data.TrainingFeatures(item, epoch).Data.AsSpan().CopyTo(batchBuffer.AsSpan(i * exampleSize, exampleSize));
                    batchLabels[i] = item.Label;
                }
                using (DisposeScope.Enter())
                {
                    Tensor x = Tensor.From<float>(batchBuffer.AsSpan(0, count * exampleSize), [count, 1, rows, columns], device);
                    Tensor y = Tensor.Labels(batchLabels.AsSpan(0, count), device);
                    Tensor logits = model.Forward(x);
                    Tensor loss = Functional.CrossEntropy(logits, y, classWeights, Options.LabelSmoothing);
                    optimizer.ZeroGrad();
                    loss.Backward();
                    schedule.Apply(optimizer, step++);
                    optimizer.Step();
                    lossSum += loss.Item<float>() * count;
                    correct += logits.ArgMax(1).Eq(y).Sum().Item<long>();
                    seen += count;
                }
                progress?.Report(new TrainingProgress(epoch + 1, Options.Epochs, b + 1, batches, lossSum / seen, (double)correct / seen, curves.Count > 0 ? curves[^1].ValMacroF1 : double.NaN, best, false));
            }

            (double valLoss, ConfusionMatrix valConfusion, _) = Evaluate(model, data.Validation, classWeights, device, labels);
            double valF1 = valConfusion.MacroF1;
            curves.Add(new CurveRow(epoch + 1, lossSum / seen, valLoss, (double)correct / seen, valConfusion.Accuracy, valF1, optimizer.LearningRate, epochClock.Elapsed.TotalSeconds));
            StateDict state = model.StateDict();
            if (double.IsNaN(best) || valF1 > best)
            {
                (best, bestEpoch, stale) = (valF1, epoch + 1, 0);
                state.Save(run.BestCheckpoint);
            }
            else
            {
                stale++;
            }
            CurvesCsv.Write(run.Curves, curves);
            new Checkpoint(state, optimizer.StateDict(), epoch + 1, step, best, bestEpoch, stale, jobHash).Save(run.LastCheckpoint);
            progress?.Report(new TrainingProgress(epoch + 1, Options.Epochs, batches, batches, lossSum / seen, (double)correct / seen, valF1, best, true));
        }

        return new TrainingResult(curves, bestEpoch, best, stoppedEarly, startEpoch, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Runs a model over items in evaluation mode.</summary>
    /// <param name="model">The model.</param>
    /// <param name="items">The items (never augmented).</param>
    /// <param name="classWeights">Loss class weights, or null.</param>
    /// <param name="device">Where the model lives.</param>
    /// <param name="labels">Number of classes.</param>
    /// <returns>Mean loss, confusion matrix, and per-item class probabilities.</returns>
    public static (double Loss, ConfusionMatrix Confusion, float[][] Probabilities) Evaluate(SerCnn model, IReadOnlyList<FeatureItem> items, Tensor? classWeights, Device device, int labels)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(items);
        var confusion = new ConfusionMatrix(labels);
        var probabilities = new float[items.Count][];
        if (items.Count == 0)
        {
            return (double.NaN, confusion, probabilities);
        }
        model.Eval();
        int rows = items[0].Features.Rows, columns = items[0].Features.Columns, size = rows * columns;
        float[] buffer = new float[EvaluationBatchSize * size];
        int[] batchLabels = new int[EvaluationBatchSize];
        float[] probs = new float[EvaluationBatchSize * labels];
        double lossSum = 0;
        using (new NoGradScope())
        {
            for (int start = 0; start < items.Count; start += EvaluationBatchSize)
            {
                int count = Math.Min(EvaluationBatchSize, items.Count - start);
                for (int i = 0; i < count; i++)
                {
                    items[start + i].Features.Data.AsSpan().CopyTo(buffer.AsSpan(i * size, size));
                    batchLabels[i] = items[start + i].Label;
                }
                using (DisposeScope.Enter())
                {
                    Tensor x = Tensor.From<float>(buffer.AsSpan(0, count * size), [count, 1, rows, columns], device);
                    Tensor y = Tensor.Labels(batchLabels.AsSpan(0, count), device);
                    Tensor logits = model.Forward(x);
                    lossSum += Functional.CrossEntropy(logits, y, classWeights).Item<float>() * count;
                    Functional.Softmax(logits, 1).CopyTo<float>(probs.AsSpan(0, count * labels));
                }
                for (int i = 0; i < count; i++)
                {
                    float[] p = probs.AsSpan(i * labels, labels).ToArray();
                    probabilities[start + i] = p;
                    confusion.Add(batchLabels[i], ArgMax(p));
                }
            }
        }
        return (lossSum / items.Count, confusion, probabilities);
    }

    /// <summary>Class weights n / (k · n_c) over the training examples (1 for absent classes).</summary>
    /// <param name="data">The prepared data.</param>
    /// <returns>One weight per class.</returns>
    public static float[] ClassWeights(PreparedDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int k = data.Catalog.Labels.Count;
        var counts = new int[k];
        foreach (FeatureItem item in data.Train)
        {
            counts[item.Label]++;
        }
        int present = counts.Count(c => c > 0);
        return [.. counts.Select(c => c == 0 ? 1f : (float)((double)data.Train.Count / (present * c)))];
    }

    private int[] EpochOrder(IReadOnlyList<FeatureItem> items, float[] weights, int epoch)
    {
        SeededRandom random = SeededRandom.Derive(Options.Seed, "epoch-order", epoch);
        if (Options.ClassBalance != ClassBalance.Sampler)
        {
            int[] order = [.. Enumerable.Range(0, items.Count)];
            random.Shuffle(order);
            return order;
        }
        // Balanced sampling with replacement: P(item) ∝ weight of its class.
        double[] cumulative = new double[items.Count];
        double total = 0;
        for (int i = 0; i < items.Count; i++)
        {
            total += weights[items[i].Label];
            cumulative[i] = total;
        }
        var drawn = new int[items.Count];
        for (int i = 0; i < drawn.Length; i++)
        {
            int index = Array.BinarySearch(cumulative, random.NextDouble() * total);
            drawn[i] = Math.Min(index < 0 ? ~index : index, items.Count - 1);
        }
        return drawn;
    }

    private Optimizer CreateOptimizer(SerCnn model) => Options.Optimizer == OptimizerKind.AdamW
        ? new AdamW(model.Parameters(), new AdamWOptions { LearningRate = Options.LearningRate, WeightDecay = Options.WeightDecay })
        : new Adam(model.Parameters(), new AdamOptions { LearningRate = Options.LearningRate, WeightDecay = Options.WeightDecay });

    private void CheckShapes(PreparedDataset data)
    {
        (int rows, int columns) = data.FeatureShape;
        if (rows != ModelOptions.InputMels || columns != ModelOptions.InputFrames)
        {
            throw new InvalidOperationException($"the model expects [{ModelOptions.InputMels} x {ModelOptions.InputFrames}] inputs but the features are [{rows} x {columns}]");
        }
        if (data.Catalog.Labels.Count != ModelOptions.ClassCount)
        {
            throw new InvalidOperationException($"the model has {ModelOptions.ClassCount} classes but the dataset has {data.Catalog.Labels.Count} ({string.Join(", ", data.Catalog.Labels)}); set model.classCount in the job file");
        }
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }
}
