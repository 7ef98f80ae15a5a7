using Microsoft.ML;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Tests;
using SerMlNet.Training.MlNet;

namespace SerMlNet.Training.Tests.MlNet;

/// <summary>ML.NET's speaker-keyed splits reproduce <see cref="Splitter.SpeakerFolds"/> on RAVDESS (no audio is read).</summary>
public class SpeakerFoldSplitTests
{
    [Fact]
    public void MlNetSplitsGiveTheSplittersSpeakersPerFoldAndNoActorInTwoParts()
    {
        DatasetCatalog catalog = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        IReadOnlyList<DatasetSplit> folds = Splitter.SpeakerFolds(catalog, folds: 5, validationSpeakers: 2, seed: 42);
        var mlContext = new MLContext(seed: 3);
        IDataView data = mlContext.Data.LoadFromEnumerable(catalog.Clips.Select(c => new ClipRow { Path = c.Path, Emotion = c.Label, Speaker = c.Speaker! }));

        IReadOnlyList<SpeakerFoldData> split = SpeakerFoldSplit.Split(mlContext, data, folds);

        Assert.Equal(5, split.Count);
        var testedOnce = new List<string>();
        for (int f = 0; f < folds.Count; f++)
        {
            Assert.Equal(folds[f].Name, split[f].Name);
            List<ClipRow> train = Rows(mlContext, split[f].Train), validation = Rows(mlContext, split[f].Validation), test = Rows(mlContext, split[f].Test);
            Assert.Equal(folds[f].TestSpeakers, Speakers(test));
            Assert.Equal(folds[f].ValidationSpeakers, Speakers(validation));
            Assert.Empty(Speakers(train).Intersect(Speakers(test)));
            Assert.Empty(Speakers(train).Intersect(Speakers(validation)));
            Assert.Empty(Speakers(validation).Intersect(Speakers(test)));
            // Clip for clip the same parts as the splitter's.
            Assert.Equal(Paths(catalog, folds[f], SplitPart.Train), train.Select(r => r.Path).Order(StringComparer.Ordinal));
            Assert.Equal(Paths(catalog, folds[f], SplitPart.Validation), validation.Select(r => r.Path).Order(StringComparer.Ordinal));
            Assert.Equal(Paths(catalog, folds[f], SplitPart.Test), test.Select(r => r.Path).Order(StringComparer.Ordinal));
            testedOnce.AddRange(Speakers(test));
        }
        Assert.Equal(catalog.Clips.Select(c => c.Speaker!).Distinct().Order(StringComparer.Ordinal), testedOnce.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AStratifiedSplitIsNotASpeakerFold()
    {
        DatasetCatalog catalog = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        var mlContext = new MLContext();
        IDataView data = mlContext.Data.LoadFromEnumerable(catalog.Clips.Select(c => new ClipRow { Path = c.Path, Emotion = c.Label, Speaker = c.Speaker! }));
        var ex = Assert.Throws<DatasetException>(() => SpeakerFoldSplit.Split(mlContext, data, [Splitter.Stratified(catalog), Splitter.Stratified(catalog, seed: 2)]));
        Assert.Contains("holds out no speakers", ex.Message, StringComparison.Ordinal);
    }

    private static List<ClipRow> Rows(MLContext mlContext, IDataView view) => [.. mlContext.Data.CreateEnumerable<ClipRow>(view, reuseRowObject: false)];

    private static List<string> Speakers(List<ClipRow> rows) => [.. rows.Select(r => r.Speaker).Distinct().Order(StringComparer.Ordinal)];

    private static IEnumerable<string> Paths(DatasetCatalog catalog, DatasetSplit split, SplitPart part) =>
        split.Select(catalog, part).Select(c => c.Path).Order(StringComparer.Ordinal);

    private sealed class ClipRow
    {
        public string Path { get; set; } = string.Empty;

        public string Emotion { get; set; } = string.Empty;

        public string Speaker { get; set; } = string.Empty;
    }
}
