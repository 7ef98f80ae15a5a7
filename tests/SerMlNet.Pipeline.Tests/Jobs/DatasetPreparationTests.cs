using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Trimming;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Audio.Wav;
using SerMlNet.Pipeline.Caching;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Tests;

namespace SerMlNet.Pipeline.Tests.Jobs;

public class DatasetPreparationTests
{
    // Two actors (one male, one female): 120 clips keep the tests fast.
    private static readonly DatasetCatalog Small = Subset(DatasetCatalog.Open(RepoPaths.Ravdess16k), "actor01", "actor02");

    private static readonly AugmentationOptions TwoCopies = new() { Copies = 2, Seed = 99 };

    private static DatasetCatalog Subset(DatasetCatalog full, params string[] speakers) =>
        new(full.Root, [.. full.Clips.Where(c => speakers.Contains(c.Speaker))], full.Labels);

    [Fact]
    public void OnlyTrainingClipsGetAugmentedCopies()
    {
        DatasetSplit split = Splitter.Stratified(Small, seed: 1);
        PreparedDataset data = new DatasetPreparation(new FrontEndOptions(), TwoCopies, null).Prepare(Small, split);
        int trainClips = split.Count(SplitPart.Train);
        Assert.Equal(trainClips * 3, data.Train.Count);
        Assert.Equal([0L, 1L, 2L], data.Train.Select(i => i.Draw).Distinct().Order());
        Assert.All(data.Validation, i => Assert.Equal(0, i.Draw));
        Assert.All(data.Test, i => Assert.Equal(0, i.Draw));
        Assert.Equal(split.Count(SplitPart.Validation), data.Validation.Count);
        Assert.Equal((128, 300), data.FeatureShape);
        Assert.Throws<InvalidOperationException>(() => new FeatureItem(data.Test[0].Clip, SplitPart.Test, 0, 1, data.Test[0].Features));
        Assert.Throws<InvalidOperationException>(() => data.TrainingFeatures(data.Validation[0], 0));

        // Augmented copies differ from the original; copies of one clip differ from each other.
        FeatureItem[] copies = [.. data.Train.Where(i => i.Clip.Id == data.Train[0].Clip.Id).OrderBy(i => i.Draw)];
        Assert.NotEqual(copies[0].Features.Data, copies[1].Features.Data);
        Assert.NotEqual(copies[1].Features.Data, copies[2].Features.Data);
    }

    [Fact]
    public void InferenceComputesExactlyTheFeaturesTrainingComputed()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        DatasetSplit split = Splitter.Stratified(Small, seed: 2);
        PreparedDataset data = new DatasetPreparation(new FrontEndOptions(), TwoCopies, new FeatureCache(Path.Combine(temp.Path, "cache"))).Prepare(Small, split);

        string path = Path.Combine(temp.Path, "pipeline.json");
        data.Pipeline.SaveTo(path);
        FittedFrontEnd served = FittedFrontEnd.Load(path);
        Assert.Equal(data.Pipeline.ToJson(), File.ReadAllText(path));
        foreach (FeatureItem item in data.Validation.Concat(data.Test).Concat(data.Train.Where(i => i.Draw == 0).Take(10)))
        {
            FeatureMatrix atInference = served.ComputeFeatures(item.Clip.Path);
            Assert.Equal(item.Features.Data, atInference.Data);
        }
    }

    [Fact]
    public void SecondRunReadsTheCacheAndAChangedParameterInvalidatesIt()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        var cache = new FeatureCache(Path.Combine(temp.Path, "cache"));
        DatasetSplit split = Splitter.Stratified(Small, seed: 3);
        PreparedDataset first = new DatasetPreparation(new FrontEndOptions(), TwoCopies, cache).Prepare(Small, split);
        Assert.Equal(0, first.CacheHits);

        PreparedDataset second = new DatasetPreparation(new FrontEndOptions(), TwoCopies, new FeatureCache(cache.Directory)).Prepare(Small, split);
        Assert.Equal(second.FeatureRequests, second.CacheHits);
        Assert.Equal(first.Train.Select(i => i.Features.Data), second.Train.Select(i => i.Features.Data));

        var changed = new FrontEndOptions { Trim = new TrimOptions { TopDb = 40 } };
        PreparedDataset third = new DatasetPreparation(changed, TwoCopies, new FeatureCache(cache.Directory)).Prepare(Small, split);
        Assert.Equal(0, third.CacheHits);

        PreparedDataset reseeded = new DatasetPreparation(new FrontEndOptions(), new AugmentationOptions { Copies = 2, Seed = 5 }, new FeatureCache(cache.Directory)).Prepare(Small, split);
        int originals = split.Assignment.Count;
        Assert.Equal(originals, reseeded.CacheHits);
    }

    [Fact]
    public void CorruptCacheEntriesAreRecomputed()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        var cache = new FeatureCache(temp.Path);
        var m = new FeatureMatrix(2, 3, [1, 2, 3, 4, 5, 6]);
        cache.Put("abcdef", m);
        Assert.True(cache.TryGet("abcdef", out FeatureMatrix? back));
        Assert.Equal(m.Data, back!.Data);
        string file = Directory.GetFiles(temp.Path, "*.smlf", SearchOption.AllDirectories).Single();
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..20]);
        Assert.False(cache.TryGet("abcdef", out _));
    }

    [Fact]
    public void OnlineModeDrawsFreshAugmentationEachEpochAndSpecAugmentVaries()
    {
        DatasetSplit split = Splitter.Stratified(Small, seed: 4);
        var online = new AugmentationOptions { Mode = AugmentationMode.Online, Seed = 8 };
        PreparedDataset data = new DatasetPreparation(new FrontEndOptions(), online, null).Prepare(Small, split);
        Assert.Equal(split.Count(SplitPart.Train), data.Train.Count);
        IReadOnlyList<FeatureItem> epoch0 = data.TrainingItems(0);
        IReadOnlyList<FeatureItem> epoch0Again = data.TrainingItems(0);
        IReadOnlyList<FeatureItem> epoch1 = data.TrainingItems(1);
        Assert.Equal(epoch0.Select(i => i.Features.Data), epoch0Again.Select(i => i.Features.Data));
        Assert.NotEqual(epoch0.Select(i => i.Features.Data), epoch1.Select(i => i.Features.Data));

        FeatureItem item = data.Train[0];
        var masks = Enumerable.Range(0, 6).Select(e => data.TrainingFeatures(item, e).Data).ToList();
        Assert.Equal(masks[2], data.TrainingFeatures(item, 2).Data);
        Assert.True(masks.Distinct(new ArrayComparer()).Count() > 2);
    }

    [Fact]
    public void ClassCountsShowNeutralHasHalfTheClips()
    {
        DatasetSplit split = Splitter.Stratified(Small, seed: 5);
        PreparedDataset data = new DatasetPreparation(new FrontEndOptions(), null, null).Prepare(Small, split);
        int[] train = data.ClassCounts(SplitPart.Train);
        Assert.Equal(6, train[0]);
        Assert.All(train.Skip(1), c => Assert.Equal(13, c));
    }

    private sealed class ArrayComparer : IEqualityComparer<float[]>
    {
        public bool Equals(float[]? x, float[]? y) => x!.AsSpan().SequenceEqual(y);

        public int GetHashCode(float[] obj) => obj.Length;
    }

    [Fact]
    public void PerSpeakerNormalisesEachSpeakerWithItsOwnStatisticsAsCalibrationDoesAndKeepsTheGlobalOnes()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        var cache = new FeatureCache(Path.Combine(temp.Path, "cache"));
        DatasetSplit split = Splitter.Stratified(Small, seed: 4);
        var perSpeaker = new FrontEndOptions { Normalise = new NormaliseOptions { PerSpeaker = true } };
        PreparedDataset plain = new DatasetPreparation(new FrontEndOptions(), TwoCopies, cache).Prepare(Small, split);
        PreparedDataset spoken = new DatasetPreparation(perSpeaker, TwoCopies, cache).Prepare(Small, split);

        // The saved front end is the plain one: the training split's statistics, for uncalibrated inference.
        Assert.False(plain.PerSpeaker);
        Assert.True(spoken.PerSpeaker);
        Assert.Equal(plain.Pipeline.ToJson(), spoken.Pipeline.ToJson());

        // Each (part, speaker)'s originals are normalised with that speaker's own band statistics in that part.
        foreach ((SplitPart part, IReadOnlyList<FeatureItem> items) in new[] { (SplitPart.Train, spoken.Train), (SplitPart.Validation, spoken.Validation), (SplitPart.Test, spoken.Test) })
        {
            foreach (IGrouping<string?, FeatureItem> speaker in items.Where(i => i.Draw == 0).GroupBy(i => i.Clip.Speaker))
            {
                FittedFrontEnd calibrated = spoken.Pipeline.WithNormalization(NormalisationMode.Band, SpeakerStatistics(spoken.Pipeline, speaker.Select(i => i.Clip.Path)));
                foreach (FeatureItem item in speaker.Take(3))
                {
                    float[] expected = calibrated.ComputeFeatures(item.Clip.Path).Data;
                    float[] actual = item.Features.Data;
                    Assert.Equal(expected.Length, actual.Length);
                    float worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
                    Assert.True(worst <= 1e-4f, $"{part} {item.Clip.Id}: max |Δ| {worst}");
                }
                if (part == SplitPart.Train)
                {
                    // Per band, a training speaker's originals have mean 0 and standard deviation 1.
                    var accumulator = new BandStatistics.Accumulator(128);
                    foreach (FeatureItem item in speaker)
                        accumulator.Add(item.Features);
                    BandStatistics own = accumulator.ToStatistics();
                    Assert.All(own.Mean, m => Assert.InRange(m, -1e-4, 1e-4));
                    Assert.All(own.Std, sd => Assert.InRange(sd, 0.999, 1.001));
                }
            }
        }

        // Augmented copies use their speaker's training statistics too: same draws, other normalisation.
        FeatureItem copy = spoken.Train.First(i => i.Draw == 1);
        FeatureItem plainCopy = plain.Train.Single(i => i.Clip.Id == copy.Clip.Id && i.Draw == 1);
        Assert.NotEqual(plainCopy.Features.Data, copy.Features.Data);
    }

    [Fact]
    public void PerSpeakerOnlineDrawsAreTheSameDrawsNormalisedWithTheirSpeakersTrainingStatistics()
    {
        DatasetSplit split = Splitter.Stratified(Small, seed: 4);
        var online = new AugmentationOptions { Mode = AugmentationMode.Online, Seed = 8, PitchShift = null, TimeStretch = null };
        PreparedDataset plain = new DatasetPreparation(new FrontEndOptions(), online, null).Prepare(Small, split);
        PreparedDataset spoken = new DatasetPreparation(new FrontEndOptions { Normalise = new NormaliseOptions { PerSpeaker = true } }, online, null).Prepare(Small, split);
        IReadOnlyList<FeatureItem> plainDraws = plain.TrainingItems(1);
        IReadOnlyList<FeatureItem> spokenDraws = spoken.TrainingItems(1);
        BandStatistics global = plain.Pipeline.Statistics!;
        foreach (IGrouping<string?, FeatureItem> speaker in spoken.Train.GroupBy(i => i.Clip.Speaker))
        {
            BandStatistics own = SpeakerStatistics(spoken.Pipeline, speaker.Select(i => i.Clip.Path));
            // Undo each normalisation: both must give back the same unnormalised draw (dB).
            for (int k = 0; k < plainDraws.Count; k++)
            {
                if (plainDraws[k].Clip.Speaker != speaker.Key || k % 7 != 0)
                    continue;
                Assert.Equal(plainDraws[k].Clip.Id, spokenDraws[k].Clip.Id);
                FeatureMatrix a = plainDraws[k].Features, b = spokenDraws[k].Features;
                double worst = 0;
                for (int r = 0; r < a.Rows; r++)
                {
                    for (int c = 0; c < a.Columns; c++)
                    {
                        double fromGlobal = a[r, c] * (global.Std[r] + BandStatistics.Epsilon) + global.Mean[r];
                        double fromOwn = b[r, c] * (own.Std[r] + BandStatistics.Epsilon) + own.Mean[r];
                        worst = Math.Max(worst, Math.Abs(fromGlobal - fromOwn));
                    }
                }
                Assert.True(worst < 1e-3, $"{plainDraws[k].Clip.Id}: the two normalisations undo to draws {worst:E2} dB apart");
            }
        }
    }

    [Fact]
    public void PerSpeakerNeedsBandModeAndEveryClipsSpeaker()
    {
        var options = new FrontEndOptions { Normalise = new NormaliseOptions { Mode = NormalisationMode.Utterance, PerSpeaker = true } };
        Assert.Contains(options.Validate(), e => e.Contains("perSpeaker needs mode band", StringComparison.Ordinal));

        DatasetCatalog anonymous = new(Small.Root, [.. Small.Clips.Take(24).Select(c => c with { Speaker = null })], Small.Labels);
        DatasetSplit split = Splitter.Stratified(anonymous, seed: 1);
        var perSpeaker = new FrontEndOptions { Normalise = new NormaliseOptions { PerSpeaker = true } };
        var ex = Assert.Throws<DatasetException>(() => new DatasetPreparation(perSpeaker, null, null).Prepare(anonymous, split));
        Assert.Contains("perSpeaker needs every clip's speaker", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>One speaker's per-band statistics over the unnormalised features of their clips, as the trainer fits them.</summary>
    private static BandStatistics SpeakerStatistics(FittedFrontEnd pipeline, IEnumerable<string> paths) =>
        BandStatistics.Fit(paths.Select(p => pipeline.ComputeUnnormalizedFeatures(WavFile.Read(p))));
}
