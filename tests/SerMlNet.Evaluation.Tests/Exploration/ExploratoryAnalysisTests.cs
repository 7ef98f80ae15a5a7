using SerMlNet.Audio;
using SerMlNet.Evaluation.Exploration;
using SerMlNet.Evaluation.Tests.Reporting;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Tests;

namespace SerMlNet.Evaluation.Tests.Exploration;

public class ExploratoryAnalysisTests
{
    [Fact]
    public void MeanBandEnergyAveragesFramesPerClipThenClips()
    {
        // Label a: clip 1 (2 bands × 2 frames), clip 2 (2 bands × 4 frames). Band 0 means: 1.5 and 10 → 5.75.
        // A pooled frame average would give (1+2+10·4)/6 = 7.17 instead, so the test tells the two apart.
        var a1 = new FeatureMatrix(2, 2, [1, 2, -10, -20]);
        var a2 = new FeatureMatrix(2, 4, [10, 10, 10, 10, -40, -40, -40, -40]);
        var b1 = new FeatureMatrix(2, 1, [-5, -6]);
        BandEnergyProfile profile = ExploratoryAnalysis.MeanBandEnergy(["a", "b", "c"],
            [new LabelledSpectrogram("a", a1), new LabelledSpectrogram("b", b1), new LabelledSpectrogram("a", a2)]);
        Assert.Equal(2, profile.Bands);
        Assert.Equal([2, 1, 0], profile.ClipCounts);
        Assert.Equal(5.75, profile.MeanDb[0][0], 12);
        Assert.Equal((-15 + -40) / 2.0, profile.MeanDb[0][1], 12);
        Assert.Equal([-5.0, -6.0], profile.MeanDb[1]);
        Assert.All(profile.MeanDb[2], v => Assert.True(double.IsNaN(v)));

        Assert.Throws<ArgumentException>(() => ExploratoryAnalysis.MeanBandEnergy(["a"], [new LabelledSpectrogram("z", a1)]));
        Assert.Throws<ArgumentException>(() => ExploratoryAnalysis.MeanBandEnergy(["a"], [new LabelledSpectrogram("a", a1), new LabelledSpectrogram("a", new FeatureMatrix(3, 1, [1, 2, 3]))]));
        Assert.Throws<ArgumentException>(() => ExploratoryAnalysis.MeanBandEnergy(["a"], []));
    }

    [Fact]
    public void ClassDistributionCountsByGender()
    {
        List<Clip> clips = SyntheticReport.Clips();
        ClassCounts counts = ExploratoryAnalysis.ClassDistribution(Emotions.Ravdess, clips);
        // 20 actors (10 male, 10 female): neutral 2 statements × 2 repetitions = 4 per actor, others 8.
        Assert.Equal([80L, 160, 160, 160, 160, 160, 160, 160], counts.Total);
        Assert.Equal([40L, 80, 80, 80, 80, 80, 80, 80], counts.Male);
        Assert.Equal(counts.Male, counts.Female);
        Assert.Throws<ArgumentException>(() => ExploratoryAnalysis.ClassDistribution(["neutral"], clips));
    }

    [Fact]
    public void DurationDistributionUsesSharedHalfOpenBins()
    {
        DurationHistogram h = ExploratoryAnalysis.DurationDistribution([3.0, 3.2, 3.49, 3.5, 4.1], [1.0, 2.25, 2.4], 0.5);
        Assert.Equal(1.0, h.BinStart);
        Assert.Equal(0.5, h.BinWidth);
        // Bins [1,1.5) [1.5,2) [2,2.5) [2.5,3) [3,3.5) [3.5,4) [4,4.5)
        Assert.Equal([0L, 0, 0, 0, 3, 1, 1], h.Before);
        Assert.Equal([1L, 0, 2, 0, 0, 0, 0], h.After);
        Assert.Equal(5, h.BeforeSummary.Count);
        Assert.Equal(17.29 / 5, h.BeforeSummary.Mean, 12);
        Assert.Equal(3.49, h.BeforeSummary.Median);
        Assert.Equal(3.0, h.BeforeSummary.Min);
        Assert.Equal(4.1, h.BeforeSummary.Max);
        Assert.Equal(2.25, h.AfterSummary.Median);
        Assert.Equal(2.5, ExploratoryAnalysis.Summarise([1, 2, 3, 4]).Median);
        Assert.Throws<ArgumentException>(() => ExploratoryAnalysis.DurationDistribution([], [1], 0.5));
        Assert.Throws<ArgumentException>(() => ExploratoryAnalysis.DurationDistribution([-1], [1], 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExploratoryAnalysis.DurationDistribution([1], [1], 0));
    }

    [Fact]
    public void ArousalPairPrefersStrongSameRepetitionLowestActorOrTheRequestedSpeaker()
    {
        var catalog = new DatasetCatalog("/data", SyntheticReport.Clips(), Emotions.Ravdess);
        ArousalPair pair = ExploratoryAnalysis.ChooseArousalPair(catalog)!;
        Assert.Equal("Actor_01/03-01-05-02-01-01-01.wav", pair.High.Id);
        Assert.Equal("Actor_01/03-01-04-02-01-01-01.wav", pair.Low.Id);
        Assert.Equal("actor01", pair.Speaker);
        Assert.Equal(1, pair.Statement);

        ArousalPair chosen = ExploratoryAnalysis.ChooseArousalPair(catalog, speaker: "actor04")!;
        Assert.Equal("actor04", chosen.Speaker);
        Assert.Equal("actor04", chosen.Low.Speaker);

        // Only a normal-intensity sad take for actor 01: the strong pair of actor 02 wins over a mixed pair of actor 01.
        var fewer = SyntheticReport.Clips().Where(c => !(c.Speaker == "actor01" && c.Label == "sad" && c.Intensity == "strong")).ToList();
        ArousalPair fallback = ExploratoryAnalysis.ChooseArousalPair(new DatasetCatalog("/data", fewer, Emotions.Ravdess))!;
        Assert.Equal("actor02", fallback.Speaker);

        var noSad = SyntheticReport.Clips().Where(c => c.Label != "sad").ToList();
        Assert.Null(ExploratoryAnalysis.ChooseArousalPair(new DatasetCatalog("/data", noSad, Emotions.Ravdess)));
        var notRavdess = new DatasetCatalog("/data", [new Clip("a.wav", "/data/a.wav", "angry", "s1", null, null), new Clip("b.wav", "/data/b.wav", "sad", "s1", null, null)], Emotions.Ravdess);
        Assert.Null(ExploratoryAnalysis.ChooseArousalPair(notRavdess));
    }

    [Fact]
    public void ArousalPairFromTheSharedRavdessFolderSharesActorAndStatement()
    {
        DatasetCatalog catalog = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        ArousalPair pair = ExploratoryAnalysis.ChooseArousalPair(catalog)!;
        RavdessName high = RavdessName.Parse(pair.High.Path);
        RavdessName low = RavdessName.Parse(pair.Low.Path);
        Assert.Equal("angry", high.Emotion);
        Assert.Equal("sad", low.Emotion);
        Assert.Equal(high.Actor, low.Actor);
        Assert.Equal(high.Statement, low.Statement);
        Assert.Equal(2, high.Intensity);
        Assert.Equal(2, low.Intensity);
        Assert.True(File.Exists(pair.High.Path) && File.Exists(pair.Low.Path));
    }
}
