namespace SerMlNet.Evaluation.Reporting;

/// <summary>One epoch of training, one row of <c>curves.csv</c>. Missing values are NaN. Immutable.</summary>
/// <param name="Epoch">Epoch number (1-based as the trainer writes it).</param>
/// <param name="TrainLoss">Mean training loss over the epoch.</param>
/// <param name="ValLoss">Validation loss after the epoch.</param>
/// <param name="TrainAcc">Training accuracy over the epoch, in [0, 1].</param>
/// <param name="ValAcc">Validation accuracy, in [0, 1].</param>
/// <param name="ValMacroF1">Validation macro-F1, in [0, 1] (the early-stopping criterion).</param>
/// <param name="Lr">Learning rate used in the epoch.</param>
/// <param name="Seconds">Wall time of the epoch, seconds.</param>
public sealed record CurveRow(
    int Epoch,
    double TrainLoss,
    double ValLoss,
    double TrainAcc,
    double ValAcc,
    double ValMacroF1,
    double Lr,
    double Seconds);
