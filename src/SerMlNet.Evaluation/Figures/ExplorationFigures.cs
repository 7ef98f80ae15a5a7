using System.Globalization;
using ScottPlot;
using SerMlNet.Audio;
using SerMlNet.Audio.Trimming;
using SerMlNet.Evaluation.Exploration;

namespace SerMlNet.Evaluation.Figures;

/// <summary>Figures of the exploratory analysis (<see cref="ExploratoryAnalysis"/>). Stateless; thread-safe.</summary>
public static class ExplorationFigures
{
    /// <summary>Range of the spectrograms' colour scale below the loudest value, in dB (librosa's <c>top_db</c>).</summary>
    public const double DynamicRangeDb = 80;

    /// <summary>
    /// Log-Mel spectrograms drawn side by side on one time axis and one dB colour scale (the loudest value of all
    /// panels down <see cref="DynamicRangeDb"/>), low bands at the bottom.
    /// </summary>
    /// <param name="panels">The spectrograms, at least one (e.g. the high- and low-arousal takes of one speaker and statement).</param>
    /// <returns>One figure per panel, in order.</returns>
    public static IReadOnlyList<Plot> Spectrograms(params IReadOnlyList<SpectrogramPanel> panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0)
        {
            throw new ArgumentException("no spectrograms to draw", nameof(panels));
        }
        double maxDb = panels.Max(p => (double)p.Matrix.Data.Max());
        double minDb = maxDb - DynamicRangeDb;
        double longest = panels.Max(p => p.Matrix.Columns * p.SecondsPerFrame);
        return [.. panels.Select(panel => Spectrogram(panel, minDb, maxDb, longest))];
    }

    private static Plot Spectrogram(SpectrogramPanel panel, double minDb, double maxDb, double longest)
    {
        var m = panel.Matrix;
        var z = new double[m.Rows, m.Columns];
        for (int b = 0; b < m.Rows; b++)
        {
            for (int t = 0; t < m.Columns; t++)
            {
                z[m.Rows - 1 - b, t] = Math.Max(m[b, t], minDb); // row 0 is drawn at the top: low bands at the bottom
            }
        }
        Plot plot = FigureStyle.NewPlot(panel.Title, "Time (s)", "Mel band");
        var heat = plot.Add.Heatmap(z);
        heat.Colormap = new ScottPlot.Colormaps.Magma();
        heat.ManualRange = new ScottPlot.Range(minDb, maxDb);
        heat.Extent = new CoordinateRect(0, m.Columns * panel.SecondsPerFrame, 0, m.Rows);
        heat.Update();
        plot.Add.ColorBar(heat).Label = "dB";
        plot.Axes.SetLimits(0, longest, 0, m.Rows);
        plot.HideGrid();
        return plot;
    }

    /// <summary>Mean log-Mel energy per band for each emotion with clips, low bands on the left.</summary>
    /// <param name="profile">The profile.</param>
    /// <returns>The figure.</returns>
    public static Plot BandEnergy(BandEnergyProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        Plot plot = FigureStyle.NewPlot("Mean energy per Mel band by emotion", "Mel band (low → high frequency)", "Mean energy (dB)");
        double[] bands = [.. Enumerable.Range(0, profile.Bands).Select(b => (double)b)];
        for (int c = 0; c < profile.Labels.Count; c++)
        {
            if (profile.ClipCounts[c] > 0)
            {
                var line = plot.Add.ScatterLine(bands, profile.MeanDb[c], FigureStyle.SeriesColor(c));
                line.LegendText = $"{profile.Labels[c]} ({profile.ClipCounts[c]})";
                line.LineWidth = 2;
            }
        }
        plot.Axes.SetLimitsX(0, Math.Max(1, profile.Bands - 1));
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>Clips per emotion, stacked by speaker gender when the clips carry one.</summary>
    /// <param name="counts">The counts.</param>
    /// <returns>The figure.</returns>
    public static Plot Classes(ClassCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        bool byGender = counts.Male.Sum() + counts.Female.Sum() > 0;
        Plot plot = FigureStyle.NewPlot(byGender ? "Clips per emotion by speaker gender" : "Clips per emotion", string.Empty, "Clips");
        var bars = new List<Bar>();
        for (int c = 0; c < counts.Labels.Count; c++)
        {
            if (byGender)
            {
                bars.Add(new Bar { Position = c, ValueBase = 0, Value = counts.Male[c], FillColor = FigureStyle.Male, LineWidth = 0 });
                bars.Add(new Bar { Position = c, ValueBase = counts.Male[c], Value = counts.Male[c] + counts.Female[c], FillColor = FigureStyle.Female, LineWidth = 0 });
            }
            else
            {
                bars.Add(new Bar { Position = c, Value = counts.Total[c], FillColor = FigureStyle.Train, LineWidth = 0 });
            }
        }
        plot.Add.Bars(bars);
        if (byGender)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Male", FillColor = FigureStyle.Male });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Female", FillColor = FigureStyle.Female });
            plot.ShowLegend(Alignment.UpperRight);
        }
        FigureStyle.CategoryTicks(plot, counts.Labels, rotate: true);
        plot.Axes.Margins(bottom: 0, top: 0.35);
        return plot;
    }

    /// <summary>Histograms of clip durations before and after trimming, side by side in each bin.</summary>
    /// <param name="durations">The histogram.</param>
    /// <returns>The figure.</returns>
    public static Plot Durations(DurationHistogram durations)
    {
        ArgumentNullException.ThrowIfNull(durations);
        Plot plot = FigureStyle.NewPlot("Clip durations before and after trimming", "Duration (s)", "Clips");
        void Series(long[] counts, double offset, Color color, string name)
        {
            double[] xs = [.. Enumerable.Range(0, counts.Length).Select(i => durations.BinStart + (i + 0.5 + offset) * durations.BinWidth)];
            var bars = plot.Add.Bars(xs, [.. counts.Select(v => (double)v)]);
            foreach (var bar in bars.Bars)
            {
                bar.Size = durations.BinWidth * 0.45;
                bar.FillColor = color;
                bar.LineWidth = 0;
            }
            bars.LegendText = name;
        }
        Series(durations.Before, -0.22, FigureStyle.Train, string.Create(CultureInfo.InvariantCulture, $"Before trimming (median {durations.BeforeSummary.Median:0.00} s)"));
        Series(durations.After, 0.22, FigureStyle.Validation, string.Create(CultureInfo.InvariantCulture, $"After trimming (median {durations.AfterSummary.Median:0.00} s)"));
        plot.Axes.Margins(bottom: 0, top: 0.35);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>A waveform with the interval that silence trimming keeps shaded.</summary>
    /// <param name="signal">The audio.</param>
    /// <param name="kept">The kept interval in samples (<see cref="SilenceTrimmer.FindInterval"/>).</param>
    /// <param name="title">Figure title, e.g. the clip's emotion and speaker.</param>
    /// <param name="name">Legend name of the waveform, e.g. the clip id.</param>
    /// <param name="topDb">The trimming threshold in dB, named in the legend.</param>
    /// <returns>The figure.</returns>
    public static Plot Waveform(AudioSignal signal, TrimInterval kept, string title, string name, double topDb)
    {
        ArgumentNullException.ThrowIfNull(signal);
        double rate = signal.SampleRate;
        Plot plot = FigureStyle.NewPlot(title, "Time (s)", "Amplitude");
        var span = plot.Add.HorizontalSpan(kept.Start / rate, kept.End / rate, FigureStyle.SeriesColor(4).WithAlpha(0.2));
        span.LegendText = string.Create(CultureInfo.InvariantCulture, $"kept by trimming (top_db {topDb:0})");
        var wave = plot.Add.Signal(signal.Samples, 1.0 / rate, FigureStyle.Train);
        wave.LegendText = name;
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }
}
