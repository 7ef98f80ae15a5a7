using System.Text.Json.Serialization;
using SerMlNet.Audio;

namespace SerMlNet.Training.Runs;

/// <summary>Optimiser used by the trainer.</summary>
public enum OptimizerKind
{
    /// <summary>Adam with L2 penalty folded into the gradient (classic Adam weight decay).</summary>
    Adam,

    /// <summary>AdamW: decoupled weight decay.</summary>
    AdamW,
}

/// <summary>Learning-rate schedule over the whole run (per optimiser step).</summary>
public enum ScheduleKind
{
    /// <summary>The base learning rate throughout.</summary>
    Constant,

    /// <summary>Linear warm-up over <see cref="TrainerOptions.WarmupFraction"/> of the steps, then cosine decay to zero.</summary>
    WarmupCosine,
}

/// <summary>How the trainer accounts for unequal class sizes (RAVDESS neutral has half the clips of the other classes).</summary>
public enum ClassBalance
{
    /// <summary>Nothing: every example counts the same.</summary>
    None,

    /// <summary>Cross-entropy class weights n / (k · n_c), so every class contributes equally to the loss.</summary>
    Weights,

    /// <summary>Each epoch draws examples with probability proportional to 1 / n_c (with replacement).</summary>
    Sampler,
}

/// <summary>Training settings of a job (the <c>training</c> section of the job file).</summary>
public sealed record TrainerOptions
{
    /// <summary>Maximum number of epochs; default 40.</summary>
    public int Epochs { get; init; } = 40;

    /// <summary>Examples per optimiser step; default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Optimiser; default AdamW.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;

    /// <summary>Peak learning rate; default 0.002.</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>Weight decay (decoupled for AdamW, L2 for Adam); default 0.0005.</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Learning-rate schedule; default warm-up then cosine.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.WarmupCosine;

    /// <summary>Fraction of all steps spent warming up (WarmupCosine); default 0.1.</summary>
    public double WarmupFraction { get; init; } = 0.1;

    /// <summary>Label smoothing of the cross-entropy in [0, 1); default 0.1.</summary>
    public double LabelSmoothing { get; init; } = 0.1;

    /// <summary>
    /// Mixup (Zhang et al. 2018): when positive, every training batch is replaced by λ·x + (1 − λ)·x[π] for a random
    /// permutation π of the batch, with λ ~ Beta(α, α) drawn per batch from (seed, epoch), and the loss is
    /// λ·CE(y) + (1 − λ)·CE(y[π]) (class weights and label smoothing apply to both). 0 (default) disables it; 0.2–0.4
    /// are usual values. Validation and test are never mixed.
    /// </summary>
    public double MixupAlpha { get; init; }

    /// <summary>
    /// Gradient-reversal speaker adversary (Ganin &amp; Lempitsky 2015; arXiv 1903.09606 for speech emotion): when
    /// positive, a <see cref="Model.SpeakerAdversary"/> head learns to tell the training speakers apart from the pooled
    /// embedding, its cross-entropy is added to the loss, and the network below receives its gradient reversed and
    /// scaled by λ(p) = w · (2 / (1 + e^(−10 p)) − 1), where w is this value and p ∈ [0, 1] the fraction of the run's
    /// steps done (DANN's ramp: 0 at the start, 0.85 w after a quarter of the steps, 0.99 w at half way). 0 (default) disables it; 0.1–1 are
    /// usual. Every training clip needs a speaker. The head is not part of the exported model; <c>last.ckpt</c> holds
    /// it so that a run resumes exactly.
    /// </summary>
    public double SpeakerAdversaryWeight { get; init; }

    /// <summary>Hidden units of the speaker adversary's head (<see cref="SpeakerAdversaryWeight"/>); default 128.</summary>
    public int SpeakerAdversaryHidden { get; init; } = 128;

    /// <summary>
    /// Checkpoint averaging (as ESPnet's and fairseq's <c>average_checkpoints</c>): when at least 2, the run's
    /// <c>best.ckpt</c> (and the model an in-memory fit returns) is the element-wise mean of the weights of this many
    /// epochs with the highest validation macro-F1 (<see cref="CheckpointAveraging"/>; the last epochs when there is no
    /// validation), batch-norm running statistics included. Training itself is unchanged, so the curves equal those of
    /// the same job without averaging. A run folder keeps the chosen epochs' weights in <c>epochs/</c> while it trains
    /// (one weights file each, the ones that drop out of the best deleted), so a stopped run resumes to the same average.
    /// 0 (default) and 1 keep the single best epoch.
    /// </summary>
    public int AverageBestEpochs { get; init; }

    /// <summary>Class balancing; default class weights.</summary>
    public ClassBalance ClassBalance { get; init; } = ClassBalance.Weights;

    /// <summary>Stop when validation macro-F1 has not improved for this many epochs; 0 disables early stopping. Default 12.
    /// A run without validation items never stops early.</summary>
    public int Patience { get; init; } = 12;

    /// <summary>Seed of initialisation, shuffling and dropout; default 42.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>
    /// Seed ensemble: the seeds of the networks trained after the first (which <see cref="Seed"/> seeds); null (default)
    /// or empty for one network. Every member trains on the same prepared data with the same settings, one after the
    /// other, in the run folder's <c>members/seed&lt;N&gt;/</c> (the first in the run folder itself), so training time
    /// grows with the member count. The run's model is the mean of the members' class probabilities: its test figures
    /// (<c>metrics.json</c>, <c>predictions.csv</c>) are the ensemble's, and <c>ser export -r &lt;run&gt;</c> writes
    /// the members as one ONNX graph. At most 15 seeds, distinct, none equal to <see cref="Seed"/>. The ML.NET
    /// trainer (<see cref="MlNet.SerCnnTrainer"/>) trains the same members in memory and its transformer scores their
    /// mean. Not written
    /// to JSON when null, so a job without it keeps its identity.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<long>? EnsembleSeeds { get; init; }

    /// <summary>Every network's seed in training order: <see cref="Seed"/>, then <see cref="EnsembleSeeds"/>.</summary>
    /// <returns>One seed for a single network.</returns>
    public IReadOnlyList<long> NetworkSeeds() => [Seed, .. EnsembleSeeds ?? []];

    /// <summary>The options one network of the seed ensemble trains with: these, with its seed and no ensemble.</summary>
    /// <param name="seed">The network's seed.</param>
    /// <returns>The member's options.</returns>
    public TrainerOptions ForNetwork(long seed) => this with { Seed = seed, EnsembleSeeds = null };

    /// <summary>libtorch intra-op threads; 0 = one per core (default).</summary>
    public int Threads { get; init; }

    /// <summary>Device: <c>cpu</c> (default) or <c>cuda</c> (needs TorchSharp-cuda-linux instead of TorchSharp-cpu, and an NVIDIA GPU).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Checks every field.</summary>
    /// <exception cref="OptionsValidationException">One or more fields are out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add(message);
            }
        }
        Require(Epochs is >= 1 and <= 10000, $"epochs must be in [1, 10000] (was {Epochs})");
        Require(BatchSize is >= 1 and <= 4096, $"batchSize must be in [1, 4096] (was {BatchSize})");
        Require(Enum.IsDefined(Optimizer), $"optimizer {(int)Optimizer} is not defined");
        Require(LearningRate > 0 && LearningRate < 10, $"learningRate must be in (0, 10) (was {LearningRate})");
        Require(WeightDecay >= 0 && WeightDecay < 1, $"weightDecay must be in [0, 1) (was {WeightDecay})");
        Require(Enum.IsDefined(Schedule), $"schedule {(int)Schedule} is not defined");
        Require(WarmupFraction >= 0 && WarmupFraction < 1, $"warmupFraction must be in [0, 1) (was {WarmupFraction})");
        Require(LabelSmoothing >= 0 && LabelSmoothing < 1, $"labelSmoothing must be in [0, 1) (was {LabelSmoothing})");
        Require(MixupAlpha >= 0 && MixupAlpha <= 10, $"mixupAlpha must be in [0, 10] (was {MixupAlpha})");
        Require(SpeakerAdversaryWeight >= 0 && SpeakerAdversaryWeight <= 10, $"speakerAdversaryWeight must be in [0, 10] (was {SpeakerAdversaryWeight})");
        Require(SpeakerAdversaryHidden is >= 1 and <= 4096, $"speakerAdversaryHidden must be in [1, 4096] (was {SpeakerAdversaryHidden})");
        Require(AverageBestEpochs >= 0 && AverageBestEpochs <= Epochs, $"averageBestEpochs must be in [0, epochs = {Epochs}] (was {AverageBestEpochs})");
        Require(Enum.IsDefined(ClassBalance), $"classBalance {(int)ClassBalance} is not defined");
        Require(Patience >= 0, $"patience must be >= 0 (was {Patience})");
        if (EnsembleSeeds is not null)
        {
            Require(EnsembleSeeds.Count <= 15, $"ensembleSeeds may list at most 15 seeds (was {EnsembleSeeds.Count})");
            Require(EnsembleSeeds.Distinct().Count() == EnsembleSeeds.Count, $"ensembleSeeds must be distinct (was [{string.Join(", ", EnsembleSeeds)}])");
            Require(!EnsembleSeeds.Contains(Seed), $"ensembleSeeds must not repeat seed {Seed}, the first member's");
        }
        Require(Threads is >= 0 and <= 1024, $"threads must be in [0, 1024] (was {Threads})");
        Require(Device is "cpu" or "cuda", $"device must be 'cpu' or 'cuda' (was '{Device}')");
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(TrainerOptions), errors);
        }
    }
}
