namespace SerMlNet.Training.Runs;

/// <summary>Progress of a training run, reported after every optimiser step and after every epoch.</summary>
/// <param name="Epoch">Current epoch, 1-based.</param>
/// <param name="Epochs">Maximum epochs.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="TrainLoss">Mean training loss so far this epoch.</param>
/// <param name="TrainAccuracy">Training accuracy so far this epoch.</param>
/// <param name="ValMacroF1">Validation macro-F1 of the last finished epoch (NaN before the first).</param>
/// <param name="BestValMacroF1">Best validation macro-F1 so far (NaN before the first epoch).</param>
/// <param name="EpochFinished">True for the report that closes an epoch.</param>
public readonly record struct TrainingProgress(
    int Epoch,
    int Epochs,
    int Batch,
    int Batches,
    double TrainLoss,
    double TrainAccuracy,
    double ValMacroF1,
    double BestValMacroF1,
    bool EpochFinished)
{
    /// <summary>Which network of a seed ensemble is training, 1-based (<see cref="TrainerOptions.EnsembleSeeds"/>); 1
    /// for a single network.</summary>
    public int Member { get; init; } = 1;

    /// <summary>How many networks the run trains, one after the other; 1 (default) for a single network.</summary>
    public int Members { get; init; } = 1;

    /// <summary>The training seed of the network that is training.</summary>
    public long Seed { get; init; }
}
