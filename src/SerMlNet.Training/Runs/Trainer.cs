using System.Diagnostics;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Evaluation.Reporting;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Randomness;
using SerMlNet.Training.Engine;
using SerMlNet.Training.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SerMlNet.Training.Runs;

/// <summary>
/// Trains a <see cref="SerCnn"/> on a <see cref="PreparedDataset"/> with TorchSharp: shuffled mini-batches, class
/// weights or balanced sampling, TorchSharp's AdamW/Adam with a warm-up + cosine <c>LambdaLR</c> schedule, a dispose
/// scope per step, optionally a gradient-reversal speaker adversary (<see cref="TrainerOptions.SpeakerAdversaryWeight"/>),
/// validation macro-F1 every epoch with early stopping, the best weights and a resumable checkpoint
/// written atomically every epoch, and <c>curves.csv</c>. Equal seed and thread
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
    /// <exception cref="SchemaMismatchException">The model does not fit the data (input size or class count).</exception>
    /// <exception cref="InvalidFileException">The run folder's checkpoint belongs to another job or dataset, or is corrupt.</exception>
    public TrainingResult Fit(PreparedDataset data, RunFolder run, string jobHash, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(run);
        return Run(new PreparedSource(data), run, jobHash, progress, cancellationToken).Result;
    }

    /// <summary>
    /// Trains on in-memory items with the same loop as the run-folder overload (same seeds, schedule, class balance,
    /// validation macro-F1 model selection and early stopping), writing no files: the best epoch's weights are kept in
    /// memory. Without validation items every epoch counts as the best, so the last epoch's weights are returned.
    /// </summary>
    /// <param name="train">Training items, at least one; features [<see cref="SerCnnOptions.InputMels"/>,
    /// <see cref="SerCnnOptions.InputFrames"/>], labels in [0, <see cref="SerCnnOptions.ClassCount"/>).</param>
    /// <param name="validation">Validation items for model selection and early stopping; may be empty.</param>
    /// <param name="progress">Receives progress on the calling thread, or null.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <param name="featureAugmenter">Applies per-epoch SpecAugment to the training items
    /// (<see cref="SerMlNet.Pipeline.Augmentation.ClipAugmenter.AugmentFeaturesForEpoch"/>, seeded by each item's clip id
    /// and draw, as the run-folder overload does with a job's augmentation), or null (default) for none.</param>
    /// <returns>The curves and best epoch, and a CPU model holding the best epoch's weights (the caller disposes it).</returns>
    /// <exception cref="SchemaMismatchException">An item does not fit the model (shape or label out of range).</exception>
    public (TrainingResult Result, SerCnn Model) Fit(IReadOnlyList<FeatureItem> train, IReadOnlyList<FeatureItem> validation, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, SerMlNet.Pipeline.Augmentation.ClipAugmenter? featureAugmenter = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        if (train.Count == 0)
        {
            throw new SchemaMismatchException("training needs at least one example");
        }
        foreach (FeatureItem item in train.Concat(validation))
        {
            if (item.Features.Rows != ModelOptions.InputMels || item.Features.Columns != ModelOptions.InputFrames || (uint)item.Label >= (uint)ModelOptions.ClassCount)
            {
                throw new SchemaMismatchException(
                    $"example '{item.Clip.Id}' is [{item.Features.Rows} x {item.Features.Columns}] with label {item.Label}; the model expects [{ModelOptions.InputMels} x {ModelOptions.InputFrames}] and labels in [0, {ModelOptions.ClassCount})");
            }
        }
        (TrainingResult result, byte[]? best) = Run(new InMemorySource(train, validation, ModelOptions.ClassCount, featureAugmenter), null, string.Empty, progress, cancellationToken);
        var model = new SerCnn(ModelOptions);
        ModelWeights.Deserialize(model, best!, "in-memory best weights");
        model.eval();
        return (result, model);
    }

    /// <summary>The training loop. With a run folder it resumes, writes <c>best.ckpt</c>, <c>last.ckpt</c> and
    /// <c>curves.csv</c>; without one it writes nothing and returns the best weights' state-dict bytes.</summary>
    private (TrainingResult Result, byte[]? BestWeights) Run(ITrainingSource data, RunFolder? run, string jobHash, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        CheckShapes(data);
        TorchEngine.SetThreads(Options.Threads);
        Device device = TorchEngine.ResolveDevice(Options.Device);
        TorchEngine.ManualSeed(Options.Seed);

        using var model = new SerCnn(ModelOptions);
        model.to(device);
        Dictionary<string, int>? speakerIndex = Options.SpeakerAdversaryWeight > 0 ? SpeakerIndex(data.Train) : null;
        using SpeakerAdversary? adversary = speakerIndex is null ? null : new SpeakerAdversary(model.EmbeddingSize, Options.SpeakerAdversaryHidden, speakerIndex.Count);
        adversary?.to(device);
        using OptimizerHelper optimizer = CreateOptimizer(model, adversary);
        int examplesPerEpoch = data.ExamplesPerEpoch;
        int batches = (examplesPerEpoch + Options.BatchSize - 1) / Options.BatchSize;
        int totalSteps = batches * Options.Epochs;
        int warmupSteps = (int)Math.Round(totalSteps * Options.WarmupFraction);
        float[] weights = ClassWeights(data.Train, data.ClassCount);
        using Tensor? classWeights = Options.ClassBalance == ClassBalance.Weights ? tensor(weights, device: device) : null;

        var curves = new List<CurveRow>();
        int startEpoch = 0, step = 0, bestEpoch = 0, stale = 0;
        double best = double.NaN;
        byte[]? bestWeights = null;
        if (run is not null && File.Exists(run.LastCheckpoint))
        {
            TrainerState state = Checkpoint.Load(run.LastCheckpoint, model, adversary, optimizer);
            if (state.JobHash != jobHash)
            {
                throw new InvalidFileException($"'{run.LastCheckpoint}' belongs to another job or dataset; use a new run folder or delete it");
            }
            (startEpoch, step, best, bestEpoch, stale) = (state.EpochsDone, state.Step, state.BestValMacroF1, state.BestEpoch, state.EpochsWithoutImprovement);
            if (File.Exists(run.Curves))
            {
                curves.AddRange(CurvesCsv.Read(run.Curves).Take(startEpoch));
            }
        }
        // The schedule is a function of the step: a resumed run continues where the checkpoint stopped.
        int resumedAt = step;
        optim.lr_scheduler.LRScheduler schedule = optim.lr_scheduler.LambdaLR(optimizer, s => LearningRateFactor(resumedAt + s, totalSteps, warmupSteps));

        int labels = data.ClassCount;
        var (rows, columns) = data.FeatureShape;
        using var staging = new BatchStaging(Options.BatchSize, rows, columns);
        bool stoppedEarly = false;
        long[] partners = Options.MixupAlpha > 0 ? new long[Options.BatchSize] : [];
        bool averaging = Options.AverageBestEpochs >= 2;
        bool validated = data.Validation.Count > 0;
        var kept = new Dictionary<int, byte[]>();

        for (int epoch = startEpoch; epoch < Options.Epochs; epoch++)
        {
            if (Options.Patience > 0 && stale >= Options.Patience)
            {
                stoppedEarly = true;
                break;
            }
            var epochClock = Stopwatch.StartNew();
            TorchEngine.ManualSeed(Options.Seed + 1_000_003L * (epoch + 1));
            IReadOnlyList<FeatureItem> items = data.TrainingItems(epoch, cancellationToken);
            int[] order = EpochOrder(items, weights, epoch);
            SeededRandom? mixup = Options.MixupAlpha > 0 ? SeededRandom.Derive(Options.Seed, "mixup", epoch) : null;
            model.train();
            adversary?.train();
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
                    data.TrainingFeatures(item, epoch).Data.AsSpan().CopyTo(staging.Example(i));
                    staging.Labels[i] = item.Label;
                    staging.Speakers[i] = speakerIndex is null ? 0 : speakerIndex[item.Clip.Speaker!];
                }
                using (NewDisposeScope())
                {
                    Tensor x = staging.Inputs(count, device);
                    Tensor y = staging.Targets(count, device);
                    Tensor input = x;
                    Tensor? permutation = null;
                    double lambda = 1;
                    if (mixup is not null)
                    {
                        lambda = MixupCoefficient(mixup, Options.MixupAlpha);
                        for (int i = 0; i < count; i++)
                        {
                            partners[i] = i;
                        }
                        mixup.Shuffle(new ArraySegment<long>(partners, 0, count));
                        permutation = tensor(partners).narrow(0, 0, count).to(device);
                        input = x.mul(lambda).add_(x.index_select(0, permutation).mul_(1 - lambda));
                    }
                    // Cross-entropy against the batch's targets, or under mixup λ·CE(t) + (1 − λ)·CE(t[π]).
                    Tensor MixedLoss(Tensor scores, Tensor targets, Tensor? weights, double smoothing)
                    {
                        Tensor own = nn.functional.cross_entropy(scores, targets, weights, label_smoothing: smoothing);
                        return permutation is null ? own
                            : own.mul(lambda).add_(nn.functional.cross_entropy(scores, targets.index_select(0, permutation), weights, label_smoothing: smoothing).mul_(1 - lambda));
                    }
                    (Tensor logits, Tensor embedding) = model.ForwardWithEmbedding(input);
                    Tensor loss = MixedLoss(logits, y, classWeights, Options.LabelSmoothing);
                    Tensor objective = loss;
                    if (adversary is not null)
                    {
                        adversary.ReversalWeight = ReversalWeight(step, totalSteps);
                        objective = loss.add(MixedLoss(adversary.forward(embedding), staging.SpeakerTargets(count, device), null, 0));
                    }
                    optimizer.zero_grad();
                    objective.backward();
                    optimizer.step();
                    schedule.step();
                    step++;
                    lossSum += loss.item<float>() * count;
                    correct += logits.argmax(1).eq(y).sum().item<long>();
                    seen += count;
                }
                progress?.Report(new TrainingProgress(epoch + 1, Options.Epochs, b + 1, batches, lossSum / seen, (double)correct / seen, curves.Count > 0 ? curves[^1].ValMacroF1 : double.NaN, best, false) { Seed = Options.Seed });
            }

            (double valLoss, ConfusionMatrix valConfusion, _) = Evaluate(model, data.Validation, classWeights, device, labels);
            // Without validation items (a split with validationFraction or validationSpeakers 0) there is nothing to
            // select on: NaN makes every epoch the best (the last one's weights are kept, averaging takes the last
            // epochs) and never stops early.
            double valF1 = validated ? valConfusion.MacroF1 : double.NaN;
            double valAccuracy = validated ? valConfusion.Accuracy : double.NaN;
            curves.Add(new CurveRow(epoch + 1, lossSum / seen, valLoss, (double)correct / seen, valAccuracy, valF1, schedule.get_last_lr().First(), epochClock.Elapsed.TotalSeconds));
            if (double.IsNaN(best) || valF1 > best)
            {
                (best, bestEpoch, stale) = (valF1, epoch + 1, 0);
                KeepModel();
            }
            else
            {
                stale++;
            }
            if (averaging)
            {
                KeepForAveraging(model, run, curves, kept, epoch + 1);
            }
            if (run is not null)
            {
                CurvesCsv.Write(run.Curves, curves);
                Checkpoint.Save(run.LastCheckpoint, model, adversary, optimizer, new TrainerState(epoch + 1, step, best, bestEpoch, stale, jobHash));
            }
            progress?.Report(new TrainingProgress(epoch + 1, Options.Epochs, batches, batches, lossSum / seen, (double)correct / seen, valF1, best, true) { Seed = Options.Seed });
        }

        var result = new TrainingResult(curves, bestEpoch, best, stoppedEarly, startEpoch, clock.Elapsed.TotalSeconds);
        if (averaging && curves.Count > 0)
        {
            // The run's kept model becomes the mean of its best epochs; training above never saw the average.
            int[] epochs = KeptEpochs.Select(curves, Options.AverageBestEpochs);
            if (run is not null)
            {
                CheckpointAveraging.Average(model, [.. epochs.Select(run.EpochCheckpoint)]);
            }
            else
            {
                CheckpointAveraging.Average(model, [.. epochs.Select(e => kept[e])], "in-memory epoch weights");
            }
            (_, ConfusionMatrix averagedConfusion, _) = Evaluate(model, data.Validation, classWeights, device, labels);
            double averagedF1 = validated ? averagedConfusion.MacroF1 : double.NaN;
            KeepModel();
            result = result with { AveragedEpochs = epochs, AveragedValMacroF1 = averagedF1 };
        }
        return (result, bestWeights);

        // The weights the run keeps (best.ckpt, or the in-memory fit's bytes): the best epoch's, or their average.
        void KeepModel()
        {
            if (run is not null)
            {
                ModelWeights.Save(model, run.BestCheckpoint);
            }
            else
            {
                bestWeights = ModelWeights.Serialize(model);
            }
        }
    }

    /// <summary>
    /// Checkpoint averaging's bookkeeping after an epoch: keeps this epoch's weights when it is among the
    /// <see cref="TrainerOptions.AverageBestEpochs"/> best so far (a file in the run's <c>epochs/</c>, or bytes in
    /// memory) and drops those that are no longer. Redoing an epoch after a crash makes the same choice.
    /// </summary>
    private void KeepForAveraging(SerCnn model, RunFolder? run, IReadOnlyList<CurveRow> curves, Dictionary<int, byte[]> kept, int epoch)
    {
        int[] chosen = KeptEpochs.Select(curves, Options.AverageBestEpochs);
        if (run is null)
        {
            if (chosen.Contains(epoch))
            {
                kept[epoch] = ModelWeights.Serialize(model);
            }
            foreach (int old in kept.Keys.Where(e => !chosen.Contains(e)).ToList())
            {
                kept.Remove(old);
            }
            return;
        }
        Directory.CreateDirectory(run.Epochs);
        if (chosen.Contains(epoch))
        {
            ModelWeights.Save(model, run.EpochCheckpoint(epoch));
        }
        var keep = new HashSet<string>(chosen.Select(run.EpochCheckpoint), StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(run.Epochs, "epoch-*.ckpt"))
        {
            if (!keep.Contains(file))
            {
                File.Delete(file);
            }
        }
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
        model.eval();
        int rows = items[0].Features.Rows, columns = items[0].Features.Columns;
        using var staging = new BatchStaging(Math.Min(EvaluationBatchSize, items.Count), rows, columns);
        float[] probs = new float[EvaluationBatchSize * labels];
        double lossSum = 0;
        using (no_grad())
        {
            for (int start = 0; start < items.Count; start += staging.Capacity)
            {
                int count = Math.Min(staging.Capacity, items.Count - start);
                for (int i = 0; i < count; i++)
                {
                    items[start + i].Features.Data.AsSpan().CopyTo(staging.Example(i));
                    staging.Labels[i] = items[start + i].Label;
                }
                using (NewDisposeScope())
                {
                    Tensor x = staging.Inputs(count, device);
                    Tensor y = staging.Targets(count, device);
                    Tensor logits = model.forward(x);
                    lossSum += nn.functional.cross_entropy(logits, y, classWeights).item<float>() * count;
                    nn.functional.softmax(logits, 1).cpu().data<float>().CopyTo(probs.AsSpan(0, count * labels));
                }
                for (int i = 0; i < count; i++)
                {
                    float[] p = probs.AsSpan(i * labels, labels).ToArray();
                    probabilities[start + i] = p;
                    confusion.Add(items[start + i].Label, ArgMax(p));
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
        return ClassWeights(data.Train, data.Catalog.Labels.Count);
    }

    private static float[] ClassWeights(IReadOnlyList<FeatureItem> train, int k)
    {
        var counts = new int[k];
        foreach (FeatureItem item in train)
        {
            counts[item.Label]++;
        }
        int present = counts.Count(c => c > 0);
        return [.. counts.Select(c => c == 0 ? 1f : (float)((double)train.Count / (present * c)))];
    }

    /// <summary>λ ~ Beta(α, α) as G₁ / (G₁ + G₂) with Gᵢ ~ Gamma(α, 1) (Marsaglia–Tsang; for α &lt; 1 boosted from
    /// Gamma(α + 1) by U^(1/α)).</summary>
    /// <param name="random">The epoch's mixup stream.</param>
    /// <param name="alpha">α &gt; 0.</param>
    /// <returns>λ in [0, 1].</returns>
    internal static double MixupCoefficient(SeededRandom random, double alpha)
    {
        double a = Gamma(random, alpha), b = Gamma(random, alpha);
        return a + b > 0 ? a / (a + b) : 0.5;
    }

    private static double Gamma(SeededRandom random, double shape)
    {
        if (shape < 1)
        {
            double u = random.NextDouble();
            return Gamma(random, shape + 1) * Math.Pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = random.NextGaussian();
                v = 1 + c * x;
            }
            while (v <= 0);
            v = v * v * v;
            double u = random.NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v)))
            {
                return d * v;
            }
        }
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

    private OptimizerHelper CreateOptimizer(SerCnn model, SpeakerAdversary? adversary)
    {
        IEnumerable<Parameter> parameters = adversary is null ? model.parameters() : model.parameters().Concat(adversary.parameters());
        return Options.Optimizer == OptimizerKind.AdamW
            ? optim.AdamW(parameters, lr: Options.LearningRate, weight_decay: Options.WeightDecay)
            : optim.Adam(parameters, lr: Options.LearningRate, weight_decay: Options.WeightDecay);
    }

    /// <summary>The speaker adversary's gradient-reversal factor at a step: DANN's ramp
    /// w · (2 / (1 + e^(−10 p)) − 1) with p = step / totalSteps (see <see cref="TrainerOptions.SpeakerAdversaryWeight"/>).</summary>
    /// <param name="step">Optimiser step, 0-based.</param>
    /// <param name="totalSteps">Steps of the whole run.</param>
    /// <returns>λ in [0, w].</returns>
    internal double ReversalWeight(int step, int totalSteps)
    {
        double progress = Math.Clamp((double)step / Math.Max(1, totalSteps), 0, 1);
        return Options.SpeakerAdversaryWeight * (2 / (1 + Math.Exp(-10 * progress)) - 1);
    }

    /// <summary>Indices 0…k−1 of the training speakers, in ordinal order of their names.</summary>
    /// <exception cref="SchemaMismatchException">A training clip has no speaker, or there are fewer than two.</exception>
    private static Dictionary<string, int> SpeakerIndex(IReadOnlyList<FeatureItem> train)
    {
        FeatureItem? anonymous = train.FirstOrDefault(item => item.Clip.Speaker is null);
        if (anonymous is not null)
        {
            throw new SchemaMismatchException($"the speaker adversary (speakerAdversaryWeight) needs a speaker for every training clip; '{anonymous.Clip.Id}' has none");
        }
        string[] speakers = [.. train.Select(item => item.Clip.Speaker!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        if (speakers.Length < 2)
        {
            throw new SchemaMismatchException($"the speaker adversary (speakerAdversaryWeight) needs at least two training speakers; the training split has {speakers.Length}");
        }
        return speakers.Select((speaker, index) => (speaker, index)).ToDictionary(p => p.speaker, p => p.index, StringComparer.Ordinal);
    }

    /// <summary>Multiplier of the base learning rate at a step: constant 1, or a linear warm-up to 1 over
    /// <paramref name="warmupSteps"/> steps followed by a cosine decay to 0 at <paramref name="totalSteps"/>.</summary>
    /// <param name="step">Optimiser step, 0-based.</param>
    /// <param name="totalSteps">Steps of the whole run.</param>
    /// <param name="warmupSteps">Warm-up steps.</param>
    /// <returns>The factor in [0, 1].</returns>
    internal double LearningRateFactor(int step, int totalSteps, int warmupSteps)
    {
        if (Options.Schedule == ScheduleKind.Constant)
        {
            return 1;
        }
        if (step < warmupSteps)
        {
            return (step + 1) / (double)warmupSteps;
        }
        double progress = Math.Min(1.0, (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps));
        return 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    private void CheckShapes(ITrainingSource data)
    {
        (int rows, int columns) = data.FeatureShape;
        if (rows != ModelOptions.InputMels || columns != ModelOptions.InputFrames)
        {
            throw new SchemaMismatchException($"the model expects [{ModelOptions.InputMels} x {ModelOptions.InputFrames}] inputs but the features are [{rows} x {columns}]");
        }
        if (data.ClassCount != ModelOptions.ClassCount)
        {
            string names = data is PreparedSource prepared ? $" ({string.Join(", ", prepared.Labels)})" : string.Empty;
            throw new SchemaMismatchException($"the model has {ModelOptions.ClassCount} classes but the dataset has {data.ClassCount}{names}; set model.classCount in the job file");
        }
    }

    internal static int ArgMax(ReadOnlySpan<float> values)
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
