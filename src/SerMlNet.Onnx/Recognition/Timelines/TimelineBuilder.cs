using SerMlNet.Audio;

namespace SerMlNet.Onnx.Recognition.Timelines;

/// <summary>
/// Collects window results as they come (e.g. from <see cref="EmotionRecognizer.RecognizeStreamAsync"/>) and builds the
/// <see cref="Timeline"/>: each window's probabilities averaged with those of <see cref="TimelineOptions.SmoothingRadius"/>
/// neighbours on each side (a centred moving mean; fewer at the ends), its label the most probable smoothed class, and
/// consecutive windows of equal label merged into segments. Holds eight probabilities per window (about 0.5 MB for an
/// hour at the default hop). Not thread-safe.
/// </summary>
public sealed class TimelineBuilder
{
    private readonly IReadOnlyList<string> _labels;
    private readonly int _radius;
    private readonly List<WindowResult> _windows = [];

    /// <summary>Creates a builder.</summary>
    /// <param name="labels">Class labels in model order (<see cref="EmotionRecognizer.Labels"/>).</param>
    /// <param name="options">Smoothing; null for the defaults.</param>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> are invalid.</exception>
    public TimelineBuilder(IReadOnlyList<string> labels, TimelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfZero(labels.Count);
        options ??= new TimelineOptions();
        options.Validate();
        _labels = labels;
        _radius = options.SmoothingRadius;
    }

    /// <summary>Windows added so far.</summary>
    public int Count => _windows.Count;

    /// <summary>Adds the next window (windows must come in time order).</summary>
    /// <param name="window">The window.</param>
    public void Add(WindowResult window)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (window.Prediction.Probabilities.Count != _labels.Count)
        {
            throw new ArgumentException($"the window has {window.Prediction.Probabilities.Count} probabilities, the timeline {_labels.Count} labels", nameof(window));
        }
        if (_windows.Count > 0 && window.StartSeconds < _windows[^1].StartSeconds)
        {
            throw new ArgumentException($"window {window.Index} starts at {window.StartSeconds} s, before the previous one", nameof(window));
        }
        _windows.Add(window);
    }

    /// <summary>Builds the timeline of the windows added.</summary>
    /// <param name="source">The recording's name.</param>
    /// <param name="durationSeconds">Its duration in seconds; null for the end of the last window.</param>
    /// <returns>The timeline.</returns>
    /// <exception cref="InvalidOperationException">No window was added.</exception>
    public Timeline Build(string source, double? durationSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (_windows.Count == 0)
        {
            throw new InvalidOperationException("a timeline needs at least one window");
        }
        int n = _windows.Count, classes = _labels.Count;
        double duration = durationSeconds ?? _windows[^1].EndSeconds;
        var entries = new TimelineEntry[n];
        for (int w = 0; w < n; w++)
        {
            int from = Math.Max(0, w - _radius), to = Math.Min(n - 1, w + _radius);
            var smoothed = new float[classes];
            for (int k = from; k <= to; k++)
            {
                IReadOnlyList<float> p = _windows[k].Prediction.Probabilities;
                for (int c = 0; c < classes; c++)
                {
                    smoothed[c] += p[c];
                }
            }
            int best = 0;
            for (int c = 0; c < classes; c++)
            {
                smoothed[c] /= to - from + 1;
                if (smoothed[c] > smoothed[best])
                {
                    best = c;
                }
            }
            WindowResult window = _windows[w];
            entries[w] = new TimelineEntry(window.Index, window.StartSeconds, window.EndSeconds, _labels[best], smoothed[best],
                window.Prediction.Label, window.Prediction.Confidence, smoothed);
        }
        return new Timeline(source, duration, _labels, _radius, entries, Segments(entries, duration),
            RecognitionResult.FromWindows(source, duration, _windows).Prediction);
    }

    private static TimelineSegment[] Segments(TimelineEntry[] entries, double duration)
    {
        static double Centre(TimelineEntry e) => (e.StartSeconds + e.EndSeconds) / 2;
        var segments = new List<TimelineSegment>();
        int first = 0;
        for (int w = 1; w <= entries.Length; w++)
        {
            if (w < entries.Length && entries[w].Label == entries[first].Label)
            {
                continue;
            }
            double start = first == 0 ? 0 : (Centre(entries[first - 1]) + Centre(entries[first])) / 2;
            double end = w == entries.Length ? Math.Max(duration, entries[^1].EndSeconds) : (Centre(entries[w - 1]) + Centre(entries[w])) / 2;
            double confidence = 0;
            for (int k = first; k < w; k++)
            {
                confidence += entries[k].Confidence;
            }
            segments.Add(new TimelineSegment(start, end, entries[first].Label, (float)(confidence / (w - first)), first, w - first));
            first = w;
        }
        return [.. segments];
    }
}
