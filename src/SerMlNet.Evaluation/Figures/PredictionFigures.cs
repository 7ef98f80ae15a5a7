using ScottPlot;

namespace SerMlNet.Evaluation.Figures;

/// <summary>Figures of one recognition (e.g. <c>EmotionRecognizer.Recognize</c>'s result). Stateless; thread-safe.</summary>
public static class PredictionFigures
{
    /// <summary>Class probabilities as bars, the predicted class highlighted.</summary>
    /// <param name="labels">Class names in model order.</param>
    /// <param name="probabilities">One probability per label, in [0, 1].</param>
    /// <param name="title">Figure title, e.g. the file and predicted class.</param>
    /// <returns>The figure.</returns>
    public static Plot Probabilities(IReadOnlyList<string> labels, IReadOnlyList<float> probabilities, string title)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (labels.Count == 0 || labels.Count != probabilities.Count)
        {
            throw new ArgumentException($"{labels.Count} labels and {probabilities.Count} probabilities: need one probability per label, at least one", nameof(probabilities));
        }
        int top = Enumerable.Range(0, probabilities.Count).MaxBy(i => probabilities[i]);
        Plot plot = FigureStyle.NewPlot(title, string.Empty, "Probability");
        Bar[] bars = [.. labels.Select((_, i) => new Bar
        {
            Position = i,
            Value = probabilities[i],
            FillColor = i == top ? FigureStyle.SeriesColor(2) : FigureStyle.Train,
            LineWidth = 0,
            Label = probabilities[i].ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
        })];
        plot.Add.Bars(bars).ValueLabelStyle.FontSize = 11;
        FigureStyle.CategoryTicks(plot, labels);
        plot.Axes.SetLimitsY(0, 1.08);
        return plot;
    }
}
