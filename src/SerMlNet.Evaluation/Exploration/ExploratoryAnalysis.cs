using SerMlNet.Audio;
using SerMlNet.Pipeline.Datasets;

namespace SerMlNet.Evaluation.Exploration;

/// <summary>
/// Pure functions behind the report's exploratory figures: mean energy per Mel band per emotion, class and duration
/// distributions, and the choice of an angry/sad pair to show side by side. Stateless; thread-safe.
/// </summary>
public static class ExploratoryAnalysis
{
    /// <summary>Mean log-Mel energy per band for each class.</summary>
    /// <param name="labels">Class labels (row order of the result).</param>
    /// <param name="spectrograms">Labelled spectrograms, all with the same number of bands; enumerated once (may be lazy).</param>
    /// <returns>The profile; see <see cref="BandEnergyProfile.MeanDb"/> for the averaging.</returns>
    /// <exception cref="ArgumentException">No spectrograms, differing band counts, or an unknown label.</exception>
    public static BandEnergyProfile MeanBandEnergy(IReadOnlyList<string> labels, IEnumerable<LabelledSpectrogram> spectrograms)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(spectrograms);
        var index = LabelIndex(labels);
        double[][]? sums = null;
        var counts = new int[labels.Count];
        int bands = 0;
        foreach (LabelledSpectrogram item in spectrograms)
        {
            if (!index.TryGetValue(item.Label, out int c))
            {
                throw new ArgumentException($"label '{item.Label}' is not among {string.Join(", ", labels)}", nameof(spectrograms));
            }
            FeatureMatrix m = item.Matrix;
            if (sums is null)
            {
                bands = m.Rows;
                sums = labels.Select(_ => new double[bands]).ToArray();
            }
            else if (m.Rows != bands)
            {
                throw new ArgumentException($"a '{item.Label}' spectrogram has {m.Rows} bands, earlier ones {bands}", nameof(spectrograms));
            }
            for (int b = 0; b < bands; b++)
            {
                ReadOnlySpan<float> row = m.Row(b);
                double sum = 0;
                foreach (float v in row)
                {
                    sum += v;
                }
                sums[c][b] += sum / row.Length;
            }
            counts[c]++;
        }
        if (sums is null)
        {
            throw new ArgumentException("no spectrograms", nameof(spectrograms));
        }
        var means = new double[labels.Count][];
        for (int c = 0; c < labels.Count; c++)
        {
            means[c] = new double[bands];
            for (int b = 0; b < bands; b++)
            {
                means[c][b] = counts[c] == 0 ? double.NaN : sums[c][b] / counts[c];
            }
        }
        return new BandEnergyProfile(labels.ToArray(), bands, means, counts);
    }

    /// <summary>Counts clips per class, overall and by gender.</summary>
    /// <param name="labels">Class labels.</param>
    /// <param name="clips">The clips (a catalog's, or one split's).</param>
    /// <returns>The counts.</returns>
    /// <exception cref="ArgumentException">A clip's label is not among <paramref name="labels"/>.</exception>
    public static ClassCounts ClassDistribution(IReadOnlyList<string> labels, IEnumerable<Clip> clips)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(clips);
        var index = LabelIndex(labels);
        var total = new long[labels.Count];
        var male = new long[labels.Count];
        var female = new long[labels.Count];
        foreach (Clip clip in clips)
        {
            if (!index.TryGetValue(clip.Label, out int c))
            {
                throw new ArgumentException($"clip '{clip.Id}' has label '{clip.Label}', not among {string.Join(", ", labels)}", nameof(clips));
            }
            total[c]++;
            if (clip.Gender == Gender.Male)
            {
                male[c]++;
            }
            else if (clip.Gender == Gender.Female)
            {
                female[c]++;
            }
        }
        return new ClassCounts(labels.ToArray(), total, male, female);
    }

    /// <summary>Bins clip durations before and after trimming on shared bins and summarises both.</summary>
    /// <param name="beforeSeconds">Durations before trimming, seconds; at least one, all finite and non-negative.</param>
    /// <param name="afterSeconds">Durations after trimming, seconds; at least one, all finite and non-negative.</param>
    /// <param name="binWidthSeconds">Bin width, seconds; positive. Default 0.25 s.</param>
    /// <returns>The histogram; bins span from the shortest to the longest duration of either set.</returns>
    /// <exception cref="ArgumentException">An empty set, a negative or non-finite duration, or a bad bin width.</exception>
    public static DurationHistogram DurationDistribution(IReadOnlyList<double> beforeSeconds, IReadOnlyList<double> afterSeconds, double binWidthSeconds = 0.25)
    {
        ArgumentNullException.ThrowIfNull(beforeSeconds);
        ArgumentNullException.ThrowIfNull(afterSeconds);
        if (!(binWidthSeconds > 0) || !double.IsFinite(binWidthSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(binWidthSeconds), binWidthSeconds, "bin width must be positive and finite");
        }
        CheckDurations(beforeSeconds, nameof(beforeSeconds));
        CheckDurations(afterSeconds, nameof(afterSeconds));
        double min = Math.Min(beforeSeconds.Min(), afterSeconds.Min());
        double max = Math.Max(beforeSeconds.Max(), afterSeconds.Max());
        double start = Math.Floor(min / binWidthSeconds) * binWidthSeconds;
        // The longest value falls in the last bin, [start + (n-1)·w, start + n·w).
        int bins = Math.Max(1, (int)Math.Floor((max - start) / binWidthSeconds) + 1);
        return new DurationHistogram(
            start,
            binWidthSeconds,
            Bin(beforeSeconds, start, binWidthSeconds, bins),
            Bin(afterSeconds, start, binWidthSeconds, bins),
            Summarise(beforeSeconds),
            Summarise(afterSeconds));
    }

    /// <summary>Summary statistics of durations.</summary>
    /// <param name="seconds">At least one duration.</param>
    /// <returns>Count, mean, median, min and max.</returns>
    public static DurationSummary Summarise(IReadOnlyList<double> seconds)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        if (seconds.Count == 0)
        {
            throw new ArgumentException("no durations", nameof(seconds));
        }
        double[] sorted = seconds.ToArray();
        Array.Sort(sorted);
        int n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new DurationSummary(n, sorted.Average(), median, sorted[0], sorted[^1]);
    }

    /// <summary>
    /// Chooses a high-arousal and a low-arousal take by the same speaker of the same RAVDESS statement (read from the
    /// clips' file names). Among the candidates it prefers <paramref name="speaker"/> when given, then both clips of
    /// strong intensity, then the same repetition, then the lowest actor, statement and repetition numbers, so the
    /// choice is deterministic.
    /// </summary>
    /// <param name="catalog">The dataset.</param>
    /// <param name="highLabel">High-arousal class. Default <c>angry</c>.</param>
    /// <param name="lowLabel">Low-arousal class. Default <c>sad</c>.</param>
    /// <param name="speaker">Preferred speaker (e.g. <c>actor03</c>), or null for any.</param>
    /// <returns>The pair, or null when no speaker recorded both classes for one statement (or the names are not RAVDESS names).</returns>
    public static ArousalPair? ChooseArousalPair(DatasetCatalog catalog, string highLabel = "angry", string lowLabel = "sad", string? speaker = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(highLabel);
        ArgumentException.ThrowIfNullOrEmpty(lowLabel);
        var parsed = new List<(Clip Clip, RavdessName Name)>();
        foreach (Clip clip in catalog.Clips)
        {
            if ((clip.Label == highLabel || clip.Label == lowLabel) && RavdessName.TryParse(clip.Path, out RavdessName name, out _))
            {
                parsed.Add((clip, name));
            }
        }
        var highs = parsed.Where(p => p.Clip.Label == highLabel).ToList();
        var lows = parsed.Where(p => p.Clip.Label == lowLabel).ToList();
        var ranked = highs
            .SelectMany(h => lows.Where(l => l.Name.Actor == h.Name.Actor && l.Name.Statement == h.Name.Statement).Select(l => (High: h, Low: l)))
            .OrderBy(p => speaker is null || p.High.Name.Speaker == speaker ? 0 : 1)
            .ThenBy(p => (p.High.Name.Intensity == 2 ? 0 : 1) + (p.Low.Name.Intensity == 2 ? 0 : 1))
            .ThenBy(p => p.High.Name.Repetition == p.Low.Name.Repetition ? 0 : 1)
            .ThenBy(p => p.High.Name.Actor)
            .ThenBy(p => p.High.Name.Statement)
            .ThenBy(p => p.High.Name.Repetition)
            .ThenBy(p => p.Low.Name.Repetition)
            .Take(1)
            .ToList();
        if (ranked.Count == 0)
        {
            return null;
        }
        var (high, low) = ranked[0];
        return new ArousalPair(high.Clip, low.Clip, high.Name.Speaker, high.Name.Statement);
    }

    private static Dictionary<string, int> LabelIndex(IReadOnlyList<string> labels)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < labels.Count; i++)
        {
            if (!index.TryAdd(labels[i], i))
            {
                throw new ArgumentException($"label '{labels[i]}' is listed twice", nameof(labels));
            }
        }
        return index;
    }

    private static void CheckDurations(IReadOnlyList<double> seconds, string name)
    {
        if (seconds.Count == 0)
        {
            throw new ArgumentException("no durations", name);
        }
        foreach (double s in seconds)
        {
            if (!double.IsFinite(s) || s < 0)
            {
                throw new ArgumentException($"duration {s} is not a finite non-negative number of seconds", name);
            }
        }
    }

    private static long[] Bin(IReadOnlyList<double> seconds, double start, double width, int bins)
    {
        var counts = new long[bins];
        foreach (double s in seconds)
        {
            int b = Math.Clamp((int)Math.Floor((s - start) / width), 0, bins - 1);
            counts[b]++;
        }
        return counts;
    }
}
