using SerMlNet.Pipeline.Datasets;
using SerMlNet.Tests;

namespace SerMlNet.Pipeline.Tests.Datasets;

public class DatasetCatalogTests
{
    [Fact]
    public void ReadsTheWholeRavdessFolder()
    {
        DatasetCatalog catalog = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        Assert.Equal(1200, catalog.Clips.Count);
        Assert.Equal(Emotions.Ravdess, catalog.Labels);
        Assert.Equal(80, catalog.Clips.Count(c => c.Label == "neutral"));
        Assert.All(catalog.Labels.Skip(1), l => Assert.Equal(160, catalog.Clips.Count(c => c.Label == l)));
        Assert.Equal(20, catalog.Clips.Select(c => c.Speaker).Distinct().Count());
        Assert.Equal(600, catalog.Clips.Count(c => c.Gender == Gender.Male));
        Assert.Equal("Actor_01/03-01-01-01-01-01-01.wav", catalog.Clips[0].Id);
        Assert.True(File.Exists(catalog.Clips[0].Path));
    }

    [Fact]
    public void FolderWithAForeignNameIsRejectedNamingTheFile()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        File.WriteAllBytes(Path.Combine(temp.Path, "03-01-05-01-01-01-01.wav"), [0]);
        File.WriteAllBytes(Path.Combine(temp.Path, "my-recording.wav"), [0]);
        var ex = Assert.Throws<DatasetException>(() => DatasetCatalog.Open(temp.Path));
        Assert.Contains("my-recording.wav", ex.Message, StringComparison.Ordinal);
        Assert.Contains("manifest", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestRoundTripsAndResolvesRelativePaths()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        Directory.CreateDirectory(Path.Combine(temp.Path, "a"));
        File.WriteAllBytes(Path.Combine(temp.Path, "a", "one.wav"), [0]);
        File.WriteAllBytes(Path.Combine(temp.Path, "two.wav"), [0]);
        string csv = Path.Combine(temp.Path, "manifest.csv");
        File.WriteAllText(csv, "path,label,speaker,gender\na/one.wav,happy,spk1,F\ntwo.wav,sad,spk2,male\n");

        DatasetCatalog catalog = DatasetCatalog.Open(temp.Path);
        Assert.Equal(["happy", "sad"], catalog.Labels);
        Assert.Equal(Gender.Female, catalog.Clips[0].Gender);
        Assert.Equal(Path.Combine(temp.Path, "a", "one.wav"), catalog.Clips[0].Path);

        string copy = Path.Combine(temp.Path, "copy.csv");
        catalog.WriteManifest(copy);
        DatasetCatalog again = DatasetCatalog.FromManifest(copy);
        Assert.Equal(catalog.Clips, again.Clips);
    }

    [Fact]
    public void ManifestWithArbitraryLabelsSortsThem()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        File.WriteAllBytes(Path.Combine(temp.Path, "x.wav"), [0]);
        File.WriteAllBytes(Path.Combine(temp.Path, "y.wav"), [0]);
        string csv = Path.Combine(temp.Path, "m.csv");
        File.WriteAllText(csv, "label,path\nzebra,x.wav\napple,y.wav\n");
        Assert.Equal(["apple", "zebra"], DatasetCatalog.Open(csv).Labels);
    }

    [Theory]
    [InlineData("path,speaker\nx.wav,s\n", "no 'label' column")]
    [InlineData("path,label\nmissing.wav,happy\n", "row 2: file 'missing.wav' does not exist")]
    [InlineData("path,label,gender\nx.wav,happy,other\n", "gender 'other'")]
    [InlineData("path,label\n", "lists no clips")]
    [InlineData("", "is empty")]
    public void BadManifestsNameTheProblem(string content, string expected)
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        File.WriteAllBytes(Path.Combine(temp.Path, "x.wav"), [0]);
        string csv = Path.Combine(temp.Path, "m.csv");
        File.WriteAllText(csv, content);
        var ex = Assert.Throws<DatasetException>(() => DatasetCatalog.Open(csv));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingDatasetIsATypedError()
    {
        var ex = Assert.Throws<DatasetException>(() => DatasetCatalog.Open("/nonexistent/data"));
        Assert.Contains("/nonexistent/data", ex.Message, StringComparison.Ordinal);
    }
}
