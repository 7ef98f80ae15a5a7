using ScottPlot;
using SerMlNet.Evaluation.Reporting;

namespace SerMlNet.Evaluation.Figures;

/// <summary>
/// Figures of the per-epoch training curves (<see cref="CurvesCsv.Read"/>): training set dashed, validation set
/// solid, the best epoch (highest validation macro-F1) dotted; the weights a run keeps are that epoch's or, with
/// checkpoint averaging, the mean of the best few (<see cref="KeptEpochs"/>). Stateless; thread-safe.
/// </summary>
public static class TrainingFigures
{
    /// <summary>The epoch with the highest finite validation macro-F1 (the first of equals), or null when none is finite.</summary>
    /// <param name="curves">Per-epoch rows.</param>
    /// <returns>The row, or null.</returns>
    public static CurveRow? BestEpoch(IReadOnlyList<CurveRow> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        CurveRow? best = null;
        foreach (CurveRow row in curves)
        {
            if (double.IsFinite(row.ValMacroF1) && (best is null || row.ValMacroF1 > best.ValMacroF1))
            {
                best = row;
            }
        }
        return best;
    }

    /// <summary>Cross-entropy loss per epoch on the training and validation sets.</summary>
    /// <param name="curves">Per-epoch rows, at least one.</param>
    /// <returns>The figure.</returns>
    public static Plot Loss(IReadOnlyList<CurveRow> curves) => Curves(curves, "Loss", "Cross-entropy loss", null,
        ("Train", r => r.TrainLoss, FigureStyle.Train, true), ("Validation", r => r.ValLoss, FigureStyle.Validation, false));

    /// <summary>Accuracy per epoch on the training and validation sets (y from 0 to 1).</summary>
    /// <param name="curves">Per-epoch rows, at least one.</param>
    /// <returns>The figure.</returns>
    public static Plot Accuracy(IReadOnlyList<CurveRow> curves) => Curves(curves, "Accuracy", "Accuracy", 1,
        ("Train", r => r.TrainAcc, FigureStyle.Train, true), ("Validation", r => r.ValAcc, FigureStyle.Validation, false));

    /// <summary>Validation macro-F1 per epoch, the early-stopping criterion (y from 0 to 1).</summary>
    /// <param name="curves">Per-epoch rows, at least one.</param>
    /// <returns>The figure.</returns>
    public static Plot MacroF1(IReadOnlyList<CurveRow> curves) => Curves(curves, "Validation macro-F1", "Macro-F1", 1,
        ("Validation", r => r.ValMacroF1, FigureStyle.Validation, false));

    private static Plot Curves(IReadOnlyList<CurveRow> curves, string title, string yLabel, double? yMax,
        params (string Name, Func<CurveRow, double> Value, Color Color, bool Dashed)[] series)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0)
        {
            throw new ArgumentException("no training curves to draw", nameof(curves));
        }
        Plot plot = FigureStyle.NewPlot(title, "Epoch", yLabel);
        double[] epochs = [.. curves.Select(r => (double)r.Epoch)];
        foreach (var (name, value, color, dashed) in series)
        {
            double[] values = [.. curves.Select(value)];
            if (values.All(double.IsNaN))
            {
                continue; // a run without validation items: no validation line, no legend entry
            }
            var line = plot.Add.ScatterLine(epochs, values, color);
            line.LegendText = name;
            line.LineWidth = 2;
            line.LinePattern = dashed ? LinePattern.Dashed : LinePattern.Solid;
        }
        if (BestEpoch(curves) is { } best)
        {
            var marker = plot.Add.VerticalLine(best.Epoch, 1.5f, FigureStyle.Gap, LinePattern.Dotted);
            marker.LegendText = $"best epoch {best.Epoch}";
        }
        if (yMax is { } max)
        {
            plot.Axes.SetLimitsY(0, max * 1.02);
        }
        plot.ShowLegend(yMax is null ? Alignment.UpperRight : Alignment.LowerRight);
        return plot;
    }
}
