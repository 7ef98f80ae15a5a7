using System.Globalization;
using ScottPlot;
using SerMlNet.Onnx.Recognition.Timelines;

namespace SerMlNet.Evaluation.Figures;

/// <summary>The figure of a recording's emotion over time (<c>ser timeline</c>). Stateless; thread-safe.</summary>
public static class TimelineFigures
{
    /// <summary>
    /// The timeline as one figure: each segment a coloured block (colour: its smoothed label, one palette colour per
    /// class in label order; height: its mean smoothed confidence) and the smoothed confidence of every window as a
    /// grey line at the window centres. Time in seconds, or in minutes for recordings longer than 5 minutes.
    /// </summary>
    /// <param name="timeline">The timeline.</param>
    /// <returns>The figure.</returns>
    public static Plot Timeline(Timeline timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        bool minutes = timeline.DurationSeconds > 300;
        double scale = minutes ? 1 / 60.0 : 1;
        string title = string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(timeline.Source)}: {timeline.Overall.Label} overall ({timeline.Entries.Count} windows, {timeline.Segments.Count} segments)");
        Plot plot = FigureStyle.NewPlot(title, minutes ? "Time (min)" : "Time (s)", "Smoothed confidence");
        var used = new SortedSet<int>();
        foreach (TimelineSegment segment in timeline.Segments)
        {
            int c = IndexOf(timeline.Labels, segment.Label);
            used.Add(c);
            var block = plot.Add.Rectangle(segment.StartSeconds * scale, segment.EndSeconds * scale, 0, segment.Confidence);
            block.FillColor = FigureStyle.SeriesColor(c);
            block.LineWidth = 0;
        }
        double[] centres = [.. timeline.Entries.Select(e => (e.StartSeconds + e.EndSeconds) / 2 * scale)];
        double[] confidences = [.. timeline.Entries.Select(e => (double)e.Confidence)];
        var line = plot.Add.ScatterLine(centres, confidences, FigureStyle.Gap.WithAlpha(0.7));
        line.LineWidth = timeline.Entries.Count > 200 ? 0.6f : 1.2f;
        line.LegendText = "window (smoothed)";
        foreach (int c in used)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = timeline.Labels[c], FillColor = FigureStyle.SeriesColor(c) });
        }
        plot.ShowLegend(Edge.Right);
        plot.Axes.SetLimits(0, Math.Max(timeline.DurationSeconds, timeline.Entries[^1].EndSeconds) * scale, 0, 1.02);
        return plot;
    }

    private static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i] == label)
            {
                return i;
            }
        }
        throw new ArgumentException($"label '{label}' is not one of the timeline's labels", nameof(labels));
    }
}
