using SerMlNet.Audio;
using SerMlNet.Evaluation.Exploration;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Features;

namespace SerMlNet.Evaluation.Reporting;

/// <summary>
/// Everything <see cref="ReportBuilder"/> draws, as plain data: the caller (the <c>ser report</c> command) only
/// gathers it. Immutable; thread-safe for reading.
/// </summary>
public sealed class ReportInput
{
    /// <summary>Page heading and HTML title. Default <c>SerMlNet evaluation report</c>.</summary>
    public string Title { get; init; } = "SerMlNet evaluation report";

    /// <summary>Name of the run (e.g. the <c>runs/&lt;name&gt;</c> folder), shown under the title; null to omit.</summary>
    public string? RunName { get; init; }

    /// <summary>Per-epoch training curves (<see cref="CurvesCsv.Read"/>); empty when the run has none.</summary>
    public IReadOnlyList<CurveRow> Curves { get; init; } = [];

    /// <summary>
    /// The run's <c>training.averageBestEpochs</c>: how many epochs of best validation macro-F1 were averaged into the
    /// kept weights (<see cref="KeptEpochs"/>). Default 0: the best epoch's weights were kept.
    /// </summary>
    public int AverageBestEpochs { get; init; }

    /// <summary>
    /// For a seed ensemble (several networks trained alike with different seeds, their probabilities averaged): every
    /// network's training seed, the first being the one whose <see cref="Curves"/> are drawn. Empty (default) or one
    /// seed for a single network.
    /// </summary>
    public IReadOnlyList<long> NetworkSeeds { get; init; } = [];

    /// <summary>The per-epoch curves of a seed ensemble's other networks, in <see cref="NetworkSeeds"/> order after the
    /// first; their epoch times count in the training time. Empty (default) for a single network.</summary>
    public IReadOnlyList<IReadOnlyList<CurveRow>> OtherNetworkCurves { get; init; } = [];

    /// <summary>Test-set metrics (<see cref="Evaluator.Evaluate"/> or <see cref="MetricsJson.Read"/>).</summary>
    public required EvaluationResult Evaluation { get; init; }

    /// <summary>Exploratory-analysis data; null leaves the section with a note instead of figures.</summary>
    public ExploratoryData? Exploration { get; init; }
}

/// <summary>Data of the report's exploratory figures, each optional. Immutable; thread-safe for reading.</summary>
public sealed class ExploratoryData
{
    /// <summary>
    /// The high-arousal take (e.g. angry) of a pair chosen by <see cref="ExploratoryAnalysis.ChooseArousalPair"/>;
    /// drawn beside <see cref="LowArousal"/> on one time axis and one dB scale.
    /// </summary>
    public SpectrogramPanel? HighArousal { get; init; }

    /// <summary>The low-arousal take (e.g. sad) of the same speaker and statement.</summary>
    public SpectrogramPanel? LowArousal { get; init; }

    /// <summary>Mean log-Mel energy per band per emotion (<see cref="ExploratoryAnalysis.MeanBandEnergy"/>).</summary>
    public BandEnergyProfile? BandEnergy { get; init; }

    /// <summary>Clips per class (<see cref="ExploratoryAnalysis.ClassDistribution"/>).</summary>
    public ClassCounts? Classes { get; init; }

    /// <summary>Durations before and after trimming (<see cref="ExploratoryAnalysis.DurationDistribution"/>).</summary>
    public DurationHistogram? Durations { get; init; }

    /// <summary>What the data were computed on (e.g. <c>RAVDESS 16 kHz, actors 01–20, 1,440 clips</c>); shown in the section; null to omit.</summary>
    public string? Source { get; init; }

    /// <summary>
    /// Computes every part from a dataset through a run's own front end: each clip is loaded and trimmed by the
    /// pipeline's stages before its <c>logMel</c> stage (in plain mode, so augmentations pass through), its duration
    /// is taken after loading and after those stages, and its log-Mel spectrogram is computed; then the band-energy
    /// profile, the class and duration distributions and the angry/sad pair
    /// (<see cref="ExploratoryAnalysis.ChooseArousalPair"/>) follow. Clips are processed in parallel.
    /// </summary>
    /// <param name="catalog">The dataset (e.g. <c>DatasetCatalog.Open("../shared/data/ravdess-16k")</c>).</param>
    /// <param name="pipeline">A fitted front end (a run's <c>pipeline.json</c>).</param>
    /// <param name="progress">Receives (clips done, clips in all) as clips finish, from worker threads; null for none.</param>
    /// <returns>The data, with <see cref="Source"/> naming the dataset folder (relative to the current folder) and clip count.</returns>
    public static ExploratoryData Compute(DatasetCatalog catalog, FittedFrontEnd pipeline, IProgress<(int Done, int Total)>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(pipeline);
        var clips = catalog.Clips;
        var before = new double[clips.Count];
        var after = new double[clips.Count];
        var spectrograms = new LabelledSpectrogram[clips.Count];
        int done = 0;
        Parallel.For(0, clips.Count, i =>
        {
            AudioSignal loaded = pipeline.ReadAudio(clips[i].Path);
            AudioSignal trimmed = pipeline.TrimSilence(loaded, out _);
            before[i] = loaded.DurationSeconds;
            after[i] = trimmed.DurationSeconds;
            FeatureMatrix m = pipeline.ComputeLogMel(trimmed);
            spectrograms[i] = new LabelledSpectrogram(clips[i].Label, m);
            progress?.Report((Interlocked.Increment(ref done), clips.Count));
        });

        double secondsPerFrame = (double)pipeline.HopLength / pipeline.SampleRate;
        ArousalPair? pair = ExploratoryAnalysis.ChooseArousalPair(catalog);
        SpectrogramPanel? Panel(Clip? clip, string what)
        {
            if (clip is null)
            {
                return null;
            }
            int index = clips.ToList().IndexOf(clip);
            return new SpectrogramPanel($"{what}: {clip.Label} ({clip.Intensity}), {clip.Speaker}", spectrograms[index].Matrix, secondsPerFrame);
        }
        return new ExploratoryData
        {
            HighArousal = Panel(pair?.High, "high arousal"),
            LowArousal = Panel(pair?.Low, "low arousal"),
            BandEnergy = ExploratoryAnalysis.MeanBandEnergy(catalog.Labels, spectrograms),
            Classes = ExploratoryAnalysis.ClassDistribution(catalog.Labels, clips),
            Durations = ExploratoryAnalysis.DurationDistribution(before, after),
            Source = $"{Path.GetRelativePath(Environment.CurrentDirectory, catalog.Root)}, {clips.Count} clips",
        };
    }
}
