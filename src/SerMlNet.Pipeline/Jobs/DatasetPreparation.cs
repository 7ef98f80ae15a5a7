using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Caching;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Splits;

namespace SerMlNet.Pipeline.Jobs;

/// <summary>
/// Turns a dataset split into model-ready features: runs the cacheable front end (load, trim, waveform augmentation,
/// log-Mel, fixed length) for every clip and draw in parallel through the <see cref="FeatureCache"/>, fits the
/// normalisation on the training originals, and applies it (with <see cref="NormaliseOptions.PerSpeaker"/>, each
/// speaker's own statistics within its part instead). Only training clips get augmentation draws.
/// </summary>
public sealed class DatasetPreparation
{
    private readonly FittedFrontEnd _unnormalized;
    private readonly ClipAugmenter? _augmenter;

    /// <summary>Creates the preparation.</summary>
    /// <param name="frontEnd">Front-end options.</param>
    /// <param name="augmentation">Augmentation options, or null for none.</param>
    /// <param name="cache">Feature cache, or null to compute everything afresh.</param>
    public DatasetPreparation(FrontEndOptions frontEnd, AugmentationOptions? augmentation, FeatureCache? cache)
    {
        ArgumentNullException.ThrowIfNull(frontEnd);
        FrontEnd = frontEnd;
        Augmentation = augmentation;
        Cache = cache;
        _unnormalized = frontEnd.CreateUnnormalized(augmentation);
        _augmenter = augmentation is null ? null : new ClipAugmenter(augmentation);
    }

    /// <summary>The front-end options.</summary>
    public FrontEndOptions FrontEnd { get; }

    /// <summary>The augmentation options, or null.</summary>
    public AugmentationOptions? Augmentation { get; }

    /// <summary>The cache, or null.</summary>
    public FeatureCache? Cache { get; }

    /// <summary>Number of offline augmented copies made per training clip.</summary>
    public int OfflineCopies => Augmentation is { Mode: AugmentationMode.Offline } a ? a.Copies : 0;

    /// <summary>Prepares one split.</summary>
    /// <param name="catalog">The dataset.</param>
    /// <param name="split">Which clips train, validate and test.</param>
    /// <param name="progress">Receives progress (on worker threads), or null.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The prepared data and the fitted front end.</returns>
    public PreparedDataset Prepare(DatasetCatalog catalog, DatasetSplit split, IProgress<PreparationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(split);
        string prefixHash = _unnormalized.ComputeFeatureHash();
        long seed = Augmentation?.Seed ?? 0;

        var requests = new List<(Clip Clip, SplitPart Part, long Draw)>();
        foreach (SplitPart part in (SplitPart[])[SplitPart.Train, SplitPart.Validation, SplitPart.Test])
        {
            int draws = part == SplitPart.Train ? 1 + OfflineCopies : 1;
            foreach (Clip clip in split.Select(catalog, part))
            {
                if (FrontEnd.Normalise.PerSpeaker && clip.Speaker is null)
                {
                    throw new DatasetException($"frontEnd.normalise.perSpeaker needs every clip's speaker; clip '{clip.Id}' ({clip.Path}) has none");
                }
                for (int d = 0; d < draws; d++)
                {
                    requests.Add((clip, part, d));
                }
            }
        }

        long hitsBefore = Cache?.Hits ?? 0;
        var features = new FeatureMatrix[requests.Count];
        int done = 0;
        progress?.Report(new PreparationProgress("features", 0, requests.Count));
        RunParallel(requests.Count, cancellationToken, i =>
        {
            (Clip clip, _, long draw) = requests[i];
            features[i] = ComputeCached(prefixHash, clip, draw, seed);
            progress?.Report(new PreparationProgress("features", Interlocked.Increment(ref done), requests.Count));
        });

        IEnumerable<FeatureMatrix> trainingOriginals = Enumerable.Range(0, requests.Count)
            .Where(i => requests[i].Part == SplitPart.Train && requests[i].Draw == 0)
            .Select(i => features[i]);
        FittedFrontEnd pipeline = FrontEnd.Fit(_unnormalized, trainingOriginals);
        IReadOnlyDictionary<(SplitPart, string), FittedFrontEnd>? speakers = FrontEnd.Normalise.PerSpeaker
            ? FitSpeakers(pipeline, requests, features)
            : null;

        var items = new FeatureItem[requests.Count];
        RunParallel(requests.Count, cancellationToken, i =>
        {
            (Clip clip, SplitPart part, long draw) = requests[i];
            items[i] = new FeatureItem(clip, part, catalog.LabelIndex(clip.Label), draw, NormalizerOf(pipeline, speakers, part, clip).Normalize(features[i]));
        });

        return new PreparedDataset(
            catalog,
            split,
            pipeline,
            _unnormalized,
            _augmenter,
            speakers,
            [.. items.Where(x => x.Part == SplitPart.Train)],
            [.. items.Where(x => x.Part == SplitPart.Validation)],
            [.. items.Where(x => x.Part == SplitPart.Test)],
            (Cache?.Hits ?? 0) - hitsBefore,
            requests.Count);
    }

    /// <summary>
    /// Per-speaker normalisation: for each (part, speaker), the fitted front end with band statistics fitted on that
    /// speaker's originals in that part (draw 0; labels unused), in request order. Every clip has a speaker (checked
    /// before any feature is computed).
    /// </summary>
    private static Dictionary<(SplitPart, string), FittedFrontEnd> FitSpeakers(
        FittedFrontEnd pipeline, List<(Clip Clip, SplitPart Part, long Draw)> requests, FeatureMatrix[] features)
    {
        var accumulators = new Dictionary<(SplitPart, string), BandStatistics.Accumulator>();
        for (int i = 0; i < requests.Count; i++)
        {
            (Clip clip, SplitPart part, long draw) = requests[i];
            if (draw != 0)
            {
                continue;
            }
            if (!accumulators.TryGetValue((part, clip.Speaker!), out BandStatistics.Accumulator? accumulator))
            {
                accumulator = new BandStatistics.Accumulator(features[i].Rows);
                accumulators.Add((part, clip.Speaker!), accumulator);
            }
            accumulator.Add(features[i]);
        }
        return accumulators.ToDictionary(kv => kv.Key, kv => pipeline.WithNormalization(NormalisationMode.Band, kv.Value.ToStatistics()));
    }

    /// <summary>The front end that normalises a clip of a part: its speaker's (per-speaker normalisation) or the
    /// training split's.</summary>
    internal static FittedFrontEnd NormalizerOf(FittedFrontEnd pipeline, IReadOnlyDictionary<(SplitPart, string), FittedFrontEnd>? speakers, SplitPart part, Clip clip) =>
        speakers is null ? pipeline : speakers[(part, clip.Speaker!)];

    private FeatureMatrix ComputeCached(string prefixHash, Clip clip, long draw, long seed)
    {
        string? key = Cache is null ? null : FeatureCache.Key(clip, prefixHash, draw, seed);
        if (key is not null && Cache!.TryGet(key, out FeatureMatrix? cached))
        {
            return cached!;
        }
        FeatureMatrix computed = ComputeDraw(_unnormalized, _augmenter, clip, draw, seed);
        if (key is not null)
        {
            Cache!.Put(key, computed);
        }
        return computed;
    }

    /// <summary>
    /// One draw of a clip before normalisation: decoded, resampled, trimmed, waveform-augmented for draws from 1 on
    /// (from (seed, clip id, draw)), log-Mel, fixed length. What the feature cache holds.
    /// </summary>
    internal static FeatureMatrix ComputeDraw(FittedFrontEnd unnormalized, ClipAugmenter? augmenter, Clip clip, long draw, long seed)
    {
        AudioSignal audio = unnormalized.TrimSilence(unnormalized.ReadAudio(clip.Path), out _);
        if (draw > 0 && augmenter is not null)
        {
            audio = augmenter.AugmentWaveform(audio, seed, clip.Id, draw);
        }
        return unnormalized.ApplyFixedLength(unnormalized.ComputeLogMel(audio));
    }

    /// <summary>Runs <paramref name="body"/> for 0..count-1 on all cores; the first failure is rethrown as itself.</summary>
    internal static void RunParallel(int count, CancellationToken cancellationToken, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, body);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }
}
