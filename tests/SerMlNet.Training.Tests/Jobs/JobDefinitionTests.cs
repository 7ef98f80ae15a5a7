using SerMlNet.Pipeline.Features;
using SerMlNet.Tests;
using SerMlNet.Training.Jobs;

namespace SerMlNet.Training.Tests.Jobs;

public class JobDefinitionTests
{
    private static string ShippedJob => Path.Combine(RepoPaths.Root, "pipelines", "ravdess-cnn.json");

    /// <summary>Every job file in <c>pipelines/</c> (the default and the architecture experiments).</summary>
    public static TheoryData<string> ShippedJobs()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Path.Combine(RepoPaths.Root, "pipelines"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(RepoPaths.Root, path));
        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedJobs))]
    public void EveryShippedJobLoadsAndRoundTrips(string relativePath)
    {
        JobDefinition job = JobDefinition.Load(Path.Combine(RepoPaths.Root, relativePath));
        Assert.Empty(job.Validate());
        using TempFolder temp = RepoPaths.NewTempFolder();
        string copy = Path.Combine(temp.Path, "job.json");
        job.Save(copy);
        Assert.Equal(job.ToJson(), JobDefinition.Load(copy).ToJson());
    }

    [Theory]
    [InlineData("\"nFft\": 1024", "\"nFft\": \"big\"", "frontEnd.logMel.nFft")]
    [InlineData("\"epochs\": 15", "\"epocks\": 15", "training.epocks")]
    [InlineData("\"epochs\": 15", "\"epochs\": 0", "training.epochs must be in [1, 10000]")]
    [InlineData("\"copies\": 3", "\"copies\": -1", "augmentation.copies must be in [0, 100]")]
    [InlineData("\"minSemitones\": -2", "\"minSemitones\": 5", "augmentation.pitchShift.minSemitones/maxSemitones")]
    [InlineData("\"topDb\": 60", "\"topDb\": -1", "frontEnd.trim.topDb must be a positive")]
    [InlineData("\"frames\": 300", "\"frames\": 200", "model.inputFrames (300) must equal frontEnd.fixedLength.frames (200)")]
    [InlineData("\"split\": \"stratified\"", "\"split\": \"fold9\"", "data.split must be 'stratified' or 'fold1'..'fold5'")]
    [InlineData("\"optimizer\": \"adamW\"", "\"optimizer\": \"sgd\"", "training.optimizer")]
    [InlineData("\"format\": \"sermlnet-job\"", "\"format\": \"other\"", "format/version must be 'sermlnet-job'/1")]
    public void ABadFieldIsNamedByItsPath(string original, string replacement, string expected)
    {
        string text = File.ReadAllText(ShippedJob);
        Assert.Contains(original, text, StringComparison.Ordinal);
        using TempFolder temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "job.json");
        File.WriteAllText(path, text.Replace(original, replacement, StringComparison.Ordinal));
        var ex = Assert.Throws<PipelineFormatException>(() => JobDefinition.Load(path));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("job.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryBadFieldIsReportedTogether()
    {
        string text = File.ReadAllText(ShippedJob)
            .Replace("\"epochs\": 15", "\"epochs\": 0", StringComparison.Ordinal)
            .Replace("\"batchSize\": 32", "\"batchSize\": 0", StringComparison.Ordinal)
            .Replace("\"copies\": 3", "\"copies\": 500", StringComparison.Ordinal);
        using TempFolder temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "job.json");
        File.WriteAllText(path, text);
        var ex = Assert.Throws<PipelineFormatException>(() => JobDefinition.Load(path));
        Assert.Contains("training.epochs", ex.Message, StringComparison.Ordinal);
        Assert.Contains("training.batchSize", ex.Message, StringComparison.Ordinal);
        Assert.Contains("augmentation.copies", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingOrMalformedFilesAreTypedErrors()
    {
        Assert.Contains("does not exist", Assert.Throws<PipelineFormatException>(() => JobDefinition.Load("/nonexistent/job.json")).Message, StringComparison.Ordinal);
        using TempFolder temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "job.json");
        File.WriteAllText(path, "{ \"format\": ");
        Assert.Throws<PipelineFormatException>(() => JobDefinition.Load(path));
    }
}
