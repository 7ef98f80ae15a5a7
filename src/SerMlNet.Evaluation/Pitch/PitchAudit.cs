using System.Globalization;
using SerMlNet.Audio;
using SerMlNet.Audio.Effects;
using SerMlNet.Audio.Wav;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.Evaluation.Pitch;

/// <summary>
/// Pitch bias measured by pitch: each evaluated clip's median F0 (<see cref="PitchAnalyzer"/>), accuracy and macro-F1
/// by F0 bin of clips and of speakers (<see cref="BinByF0"/>), and the clips re-scored after pitch shifts
/// (<see cref="ScorePitchShifts"/>). Stateless apart from its validated options, so thread-safe.
/// </summary>
public sealed class PitchAudit
{
    private readonly PitchAnalyzer _analyzer;

    /// <summary>Creates an audit.</summary>
    /// <param name="options">Options; defaults when null. Validated here.</param>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public PitchAudit(PitchAuditOptions? options = null)
    {
        Options = options ?? new PitchAuditOptions();
        Options.Validate();
        _analyzer = new PitchAnalyzer(Options.Analysis);
    }

    /// <summary>The options in use.</summary>
    public PitchAuditOptions Options { get; }

    /// <summary>Measures each clip's median F0 from its WAV file and attaches it to the clip's prediction.</summary>
    /// <param name="clips">The evaluated clips.</param>
    /// <param name="predictions">One prediction per clip, in the same order (same <see cref="Prediction.ClipId"/>).</param>
    /// <returns>The predictions with <see cref="Prediction.MedianF0"/> set (null for a clip without voiced frames).</returns>
    /// <exception cref="ArgumentException">The lists differ in length or order.</exception>
    /// <exception cref="IOException">A clip's file is missing or unreadable.</exception>
    /// <exception cref="WavFormatException">A clip's file is not a WAV file this library decodes.</exception>
    public IReadOnlyList<Prediction> MeasureF0(IReadOnlyList<Clip> clips, IReadOnlyList<Prediction> predictions)
    {
        CheckPaired(clips, predictions);
        IReadOnlyList<ClipPitch> pitch = _analyzer.AnalyzeFiles([.. clips.Select(c => c.Path)]);
        return [.. predictions.Select((p, i) => p with { MedianF0 = pitch[i].MedianF0 })];
    }

    /// <summary>Accuracy and macro-F1 by F0: clip bins and speaker bins with bootstrap intervals, and a conclusion.</summary>
    /// <param name="labels">Class labels in class-index order.</param>
    /// <param name="predictions">Predictions with <see cref="Prediction.MedianF0"/> measured (<see cref="MeasureF0"/>); those without one are left out of the clip bins.</param>
    /// <param name="speakers">Speaker of each clip by <see cref="Prediction.ClipId"/>; clips missing here are left out of the speaker bins.</param>
    /// <returns>The binning.</returns>
    /// <exception cref="ArgumentException">Fewer clips with an F0 than bins.</exception>
    public F0Binning BinByF0(IReadOnlyList<string> labels, IReadOnlyList<Prediction> predictions, IReadOnlyDictionary<string, string> speakers)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(speakers);
        int k = labels.Count;
        int bins = Options.Bins;
        List<Prediction> voiced = [.. predictions.Where(p => p.MedianF0 is not null).OrderBy(p => p.MedianF0).ThenBy(p => p.ClipId, StringComparer.Ordinal)];
        if (voiced.Count < bins)
        {
            throw new ArgumentException($"{voiced.Count} clip(s) have an F0, fewer than the {bins} bins", nameof(predictions));
        }

        var clipBins = new F0Bin[bins];
        var draws = new (double[] Accuracy, double[] MacroF1)[bins];
        for (int b = 0; b < bins; b++)
        {
            List<Prediction> members = voiced.GetRange(b * voiced.Count / bins, (b + 1) * voiced.Count / bins - b * voiced.Count / bins);
            (GroupMetrics metrics, draws[b]) = Score(members, k, "f0:clip:" + b);
            double[] f0 = [.. members.Select(p => p.MedianF0!.Value)];
            clipBins[b] = new F0Bin(b + 1, f0[0], f0[^1], Median(f0), Count(members, Gender.Male), Count(members, Gender.Female), null, metrics);
        }

        var speakerF0 = predictions
            .Where(p => speakers.ContainsKey(p.ClipId))
            .GroupBy(p => speakers[p.ClipId], StringComparer.Ordinal)
            .Select(g => (Speaker: g.Key, Clips: g.ToList(), F0: g.Where(p => p.MedianF0 is not null).Select(p => p.MedianF0!.Value).ToArray()))
            .Where(s => s.F0.Length > 0)
            .Select(s => (s.Speaker, s.Clips, F0: Median([.. s.F0.Order()])))
            .OrderBy(s => s.F0).ThenBy(s => s.Speaker, StringComparer.Ordinal)
            .ToList();
        var speakerBins = new List<F0Bin>();
        if (speakerF0.Count >= bins)
        {
            for (int b = 0; b < bins; b++)
            {
                var group = speakerF0.GetRange(b * speakerF0.Count / bins, (b + 1) * speakerF0.Count / bins - b * speakerF0.Count / bins);
                List<Prediction> members = [.. group.SelectMany(s => s.Clips)];
                (GroupMetrics metrics, _) = Score(members, k, "f0:speaker:" + b);
                double[] clipF0 = [.. members.Where(p => p.MedianF0 is not null).Select(p => p.MedianF0!.Value).Order()];
                speakerBins.Add(new F0Bin(b + 1, group[0].F0, group[^1].F0, Median(clipF0), Count(members, Gender.Male), Count(members, Gender.Female),
                    [.. group.Select(s => new SpeakerF0(s.Speaker, s.F0, s.Clips.Count))], metrics));
            }
        }

        GapMetrics gap = GroupScoring.Gap(clipBins[0].Metrics, clipBins[^1].Metrics, draws[0], draws[^1]);
        return new F0Binning(F0AnalysisSettings.From(Options.Analysis), voiced.Count, predictions.Count - voiced.Count, clipBins, speakerBins, gap,
            Conclude(clipBins, gap));
    }

    /// <summary>
    /// Re-scores the clips after shifting each by every requested number of semitones (<see cref="PitchShift.Apply"/>,
    /// the augmentation's shift), plus the unshifted baseline 0, and measures accuracy and macro-F1 overall, for male
    /// and for female speakers, with bootstrap intervals, and the median F0 after the shift.
    /// </summary>
    /// <param name="clips">The evaluated clips (their WAV files are read once).</param>
    /// <param name="trueClasses">Each clip's class index, in clip order.</param>
    /// <param name="semitones">The shifts (validated by <see cref="PitchAuditOptions.ValidateShifts"/>); 0 is added first.</param>
    /// <param name="score">Scores waveforms: one probability vector per signal, in order (e.g. an ONNX recognizer).</param>
    /// <param name="progress">Receives (shifts done, shifts in all) after each shift; may be null.</param>
    /// <returns>One entry per shift, ascending, 0 included.</returns>
    /// <exception cref="OptionsValidationException">A bad shift list.</exception>
    public IReadOnlyList<PitchShiftMetrics> ScorePitchShifts(
        IReadOnlyList<Clip> clips,
        IReadOnlyList<int> trueClasses,
        IReadOnlyList<double> semitones,
        Func<IReadOnlyList<AudioSignal>, IReadOnlyList<float[]>> score,
        IProgress<(int Done, int Total)>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentNullException.ThrowIfNull(trueClasses);
        ArgumentNullException.ThrowIfNull(score);
        PitchAuditOptions.ValidateShifts(semitones);
        if (clips.Count == 0 || trueClasses.Count != clips.Count)
        {
            throw new ArgumentException($"{clips.Count} clip(s) and {trueClasses.Count} true class(es): need the same, non-zero number", nameof(trueClasses));
        }
        var originals = new AudioSignal[clips.Count];
        Parallel.For(0, clips.Count, i => originals[i] = WavFile.Read(clips[i].Path));
        double[] shifts = [0, .. semitones.Order()];
        var results = new List<PitchShiftMetrics>(shifts.Length);
        foreach (double shift in shifts)
        {
            var shifted = new AudioSignal[clips.Count];
            Parallel.For(0, clips.Count, i => shifted[i] = shift == 0
                ? originals[i]
                : new AudioSignal(PitchShift.Apply(originals[i].Samples, originals[i].SampleRate, shift), originals[i].SampleRate));
            IReadOnlyList<float[]> probabilities = score(shifted);
            if (probabilities.Count != clips.Count)
            {
                throw new InvalidOperationException($"the scorer returned {probabilities.Count} results for {clips.Count} signals");
            }
            var predictions = new Prediction[clips.Count];
            for (int i = 0; i < clips.Count; i++)
            {
                predictions[i] = Prediction.FromProbabilities(clips[i], trueClasses[i], probabilities[i]);
            }
            IReadOnlyList<ClipPitch> pitch = _analyzer.Analyze(shifted);
            double[] f0 = [.. pitch.Where(p => p.MedianF0 is not null).Select(p => p.MedianF0!.Value).Order()];
            int k = probabilities[0].Length;
            string key = "shift:" + shift.ToString("R", CultureInfo.InvariantCulture);
            List<Prediction> male = [.. predictions.Where(p => p.Gender == Gender.Male)];
            List<Prediction> female = [.. predictions.Where(p => p.Gender == Gender.Female)];
            results.Add(new PitchShiftMetrics(
                shift,
                f0.Length > 0 ? Median(f0) : null,
                Score(predictions, k, key).Metrics,
                male.Count > 0 ? Score(male, k, key + ":male").Metrics : null,
                female.Count > 0 ? Score(female, k, key + ":female").Metrics : null));
            progress?.Report((results.Count, shifts.Length));
        }
        return results;
    }

    private (GroupMetrics Metrics, (double[] Accuracy, double[] MacroF1) Draws) Score(IReadOnlyList<Prediction> members, int k, string key) =>
        GroupScoring.Score(members, k, Options.Bootstrap.BootstrapResamples, SeededRandom.Derive(Options.Bootstrap.Seed, key, 0));

    /// <summary>One sentence from the lowest and highest clip bins and their difference's interval.</summary>
    internal static string Conclude(IReadOnlyList<F0Bin> bins, GapMetrics gap)
    {
        F0Bin low = bins[0];
        F0Bin high = bins[^1];
        string Range(F0Bin b) => string.Create(CultureInfo.InvariantCulture, $"{b.F0MinHz:F0}–{b.F0MaxHz:F0} Hz, n = {b.Metrics.N}");
        string Acc(GroupMetrics m) => string.Create(CultureInfo.InvariantCulture, $"{m.Accuracy:F2} [{m.AccuracyCi95.Lower:F2}, {m.AccuracyCi95.Upper:F2}]");
        bool overlap = low.Metrics.AccuracyCi95.Lower <= high.Metrics.AccuracyCi95.Upper && high.Metrics.AccuracyCi95.Lower <= low.Metrics.AccuracyCi95.Upper;
        string difference = string.Create(CultureInfo.InvariantCulture,
            $"accuracy {Acc(low.Metrics)} in the lowest-F0 bin ({Range(low)}) against {Acc(high.Metrics)} in the highest ({Range(high)}); difference {gap.Accuracy:+0.00;-0.00;0.00}, 95 % interval [{gap.AccuracyCi95.Lower:+0.00;-0.00;0.00}, {gap.AccuracyCi95.Upper:+0.00;-0.00;0.00}]");
        if (gap.AccuracyCi95.Contains(0))
        {
            string overlapping = overlap ? " and the bins' intervals overlap" : string.Empty;
            return string.Create(CultureInfo.InvariantCulture,
                $"No evidence at this sample size that accuracy depends on F0: {difference} includes 0{overlapping}; with about {low.Metrics.N} clips per bin, a gap smaller than about {gap.AccuracyCi95.Width / 2:F2} cannot be told from chance.");
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"Accuracy depends on F0: {difference} excludes 0, so the {(gap.Accuracy > 0 ? "lowest" : "highest")}-pitched clips are recognised better (n = {low.Metrics.N} and {high.Metrics.N} clips; F0 is confounded with speaker and gender).");
    }

    private static int Count(IEnumerable<Prediction> predictions, Gender gender) => predictions.Count(p => p.Gender == gender);

    private static double Median(double[] sorted) => PitchAnalyzer.MedianOfSorted(sorted);

    private static void CheckPaired(IReadOnlyList<Clip> clips, IReadOnlyList<Prediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentNullException.ThrowIfNull(predictions);
        if (clips.Count != predictions.Count)
        {
            throw new ArgumentException($"{clips.Count} clip(s) but {predictions.Count} prediction(s)", nameof(predictions));
        }
        for (int i = 0; i < clips.Count; i++)
        {
            if (!string.Equals(clips[i].Id, predictions[i].ClipId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"prediction #{i} is for '{predictions[i].ClipId}', not clip '{clips[i].Id}'", nameof(predictions));
            }
        }
    }
}
