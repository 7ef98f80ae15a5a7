using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Tests;

namespace SerMlNet.Pipeline.Tests.Splits;

public class SplitterTests
{
    private static readonly DatasetCatalog Catalog = DatasetCatalog.Open(RepoPaths.Ravdess16k);

    [Fact]
    public void StratifiedSplitIs80_10_10PerEmotionAndDisjoint()
    {
        DatasetSplit split = Splitter.Stratified(Catalog, seed: 7);
        Assert.Equal(Catalog.Clips.Count, split.Assignment.Count);
        Assert.Equal(960, split.Count(SplitPart.Train));
        Assert.Equal(120, split.Count(SplitPart.Validation));
        Assert.Equal(120, split.Count(SplitPart.Test));
        foreach (string label in Catalog.Labels)
        {
            int n = Catalog.Clips.Count(c => c.Label == label);
            Assert.Equal(n * 8 / 10, split.Select(Catalog, SplitPart.Train).Count(c => c.Label == label));
            Assert.Equal(n / 10, split.Select(Catalog, SplitPart.Test).Count(c => c.Label == label));
        }
        AssertNoClipInTwoParts(split);
    }

    [Fact]
    public void SplitsAreReproducibleForASeedAndDifferAcrossSeeds()
    {
        Assert.Equal(Splitter.Stratified(Catalog, seed: 3).Assignment, Splitter.Stratified(Catalog, seed: 3).Assignment);
        Assert.NotEqual(Splitter.Stratified(Catalog, seed: 3).Assignment, Splitter.Stratified(Catalog, seed: 4).Assignment);
        Assert.Equal(
            Splitter.SpeakerFolds(Catalog, seed: 3).Select(f => f.TestSpeakers),
            Splitter.SpeakerFolds(Catalog, seed: 3).Select(f => f.TestSpeakers));
    }

    [Fact]
    public void SpeakerFoldsHoldOutActorsBalancedByGender()
    {
        IReadOnlyList<DatasetSplit> folds = Splitter.SpeakerFolds(Catalog, folds: 5, validationSpeakers: 2, seed: 11);
        Assert.Equal(5, folds.Count);
        var allTestSpeakers = folds.SelectMany(f => f.TestSpeakers).ToList();
        Assert.Equal(20, allTestSpeakers.Count);
        Assert.Equal(20, allTestSpeakers.Distinct().Count());
        foreach (DatasetSplit fold in folds)
        {
            Assert.Equal(4, fold.TestSpeakers.Count);
            Assert.Equal(2, fold.TestSpeakers.Count(s => GenderOf(s) == Gender.Male));
            Assert.Equal(2, fold.ValidationSpeakers.Count);
            Assert.Single(fold.ValidationSpeakers, s => GenderOf(s) == Gender.Male);
            AssertNoClipInTwoParts(fold);
            var speakersByPart = Catalog.Clips.GroupBy(c => fold.Assignment[c.Id])
                .ToDictionary(g => g.Key, g => g.Select(c => c.Speaker!).ToHashSet());
            Assert.Empty(speakersByPart[SplitPart.Train].Intersect(speakersByPart[SplitPart.Test]));
            Assert.Empty(speakersByPart[SplitPart.Train].Intersect(speakersByPart[SplitPart.Validation]));
            Assert.Empty(speakersByPart[SplitPart.Validation].Intersect(speakersByPart[SplitPart.Test]));
            Assert.Equal(14, speakersByPart[SplitPart.Train].Count);
        }
    }

    [Fact]
    public void SplitSetRoundTripsThroughJson()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        var set = new SplitSet(5, [Splitter.Stratified(Catalog, seed: 5), .. Splitter.SpeakerFolds(Catalog, seed: 5)]);
        string path = Path.Combine(temp.Path, "splits.json");
        set.Save(path);
        SplitSet loaded = SplitSet.Load(path);
        Assert.Equal(6, loaded.Splits.Count);
        foreach (DatasetSplit split in set.Splits)
        {
            DatasetSplit other = loaded[split.Name];
            Assert.Equal(split.Assignment.OrderBy(kv => kv.Key), other.Assignment.OrderBy(kv => kv.Key));
            Assert.Equal(split.TestSpeakers, other.TestSpeakers);
        }
    }

    [Fact]
    public void SplitFileWithADuplicatedClipIsRejected()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "splits.json");
        File.WriteAllText(path, """{"format":"sermlnet-splits","version":1,"seed":1,"splits":[{"name":"s","testSpeakers":[],"validationSpeakers":[],"train":["a"],"validation":["a"],"test":[]}]}""");
        var ex = Assert.Throws<InvalidFileException>(() => SplitSet.Load(path));
        Assert.Contains("'a' appears twice", ex.Message, StringComparison.Ordinal);
    }

    private static Gender GenderOf(string speaker) => Catalog.Clips.First(c => c.Speaker == speaker).Gender!.Value;

    private static void AssertNoClipInTwoParts(DatasetSplit split)
    {
        var seen = new HashSet<string>();
        foreach (SplitPart part in Enum.GetValues<SplitPart>())
        {
            foreach (Clip clip in split.Select(Catalog, part))
            {
                Assert.True(seen.Add(clip.Id), $"{clip.Id} is in two parts");
            }
        }
        Assert.Equal(Catalog.Clips.Count, seen.Count);
    }
}
