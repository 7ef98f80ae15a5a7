using SerMlNet.Evaluation.Reporting;

namespace SerMlNet.Training.Runs;

/// <summary>What a training run produced.</summary>
/// <param name="Curves">One row per finished epoch.</param>
/// <param name="BestEpoch">1-based epoch of the best validation macro-F1 (its weights are kept); the last epoch when the
/// run had no validation items.</param>
/// <param name="BestValMacroF1">The best validation macro-F1; NaN when the run had no validation items.</param>
/// <param name="StoppedEarly">Whether early stopping ended the run before the last epoch.</param>
/// <param name="ResumedFromEpoch">Epochs already done when the run started (0 unless it resumed a checkpoint).</param>
/// <param name="Seconds">Wall time of this call, seconds.</param>
public sealed record TrainingResult(
    IReadOnlyList<CurveRow> Curves,
    int BestEpoch,
    double BestValMacroF1,
    bool StoppedEarly,
    int ResumedFromEpoch,
    double Seconds)
{
    /// <summary>The epochs (1-based, ascending) whose weights were averaged into the kept model
    /// (<see cref="TrainerOptions.AverageBestEpochs"/>); empty when the best epoch's weights are kept as they are.</summary>
    public IReadOnlyList<int> AveragedEpochs { get; init; } = [];

    /// <summary>Validation macro-F1 of the averaged model; NaN when nothing was averaged or there is no validation.</summary>
    public double AveragedValMacroF1 { get; init; } = double.NaN;
}
