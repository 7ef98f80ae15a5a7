using System.Text.Json;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Tests;

namespace SerMlNet.Evaluation.Tests.Metrics;

public class MetricsJsonTests
{
    private static EvaluationResult Sample() =>
        new Evaluator(new EvaluatorOptions { BootstrapResamples = 200, Seed = 2 })
            .Evaluate(Synthetic.Labels, Synthetic.Predictions(240, 0.8, 0.75)) with
        {
            Model = new Dictionary<string, string> { ["path"] = "artifacts/model.onnx", ["note"] = "ünïcode & <tags>" },
            Data = new Dictionary<string, string> { ["split"] = "test" },
        };

    [Fact]
    public void RoundTripsThroughAFileAtomically()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string path = Path.Combine(folder.Path, "run", "metrics.json");
        EvaluationResult original = Sample();
        MetricsJson.Write(path, original);
        Assert.Equal(["metrics.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));

        EvaluationResult read = MetricsJson.Read(path);
        Assert.Equal(MetricsJson.Serialize(original), MetricsJson.Serialize(read));
        Assert.Equal(original.MacroF1, read.MacroF1);
        Assert.Equal(original.ByGender.Gap, read.ByGender.Gap);
        Assert.Equal(original.ByIntensity.Keys, read.ByIntensity.Keys);
        Assert.Equal(original.Confusion.Counts, read.Confusion.Counts);
        Assert.Equal("ünïcode & <tags>", read.Model["note"]);
        Assert.Equal(original.PerClass, read.PerClass);
    }

    [Fact]
    public void UsesTheDocumentedSnakeCaseKeys()
    {
        using JsonDocument doc = JsonDocument.Parse(MetricsJson.Serialize(Sample()));
        JsonElement root = doc.RootElement;
        Assert.Equal(
            ["format", "version", "model", "data", "n", "accuracy", "accuracy_ci95", "macro_f1", "macro_f1_ci95", "weighted_f1", "per_class", "confusion", "by_gender", "by_intensity", "bootstrap"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("sermlnet.metrics", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal(["lower", "upper"], root.GetProperty("macro_f1_ci95").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["label", "precision", "recall", "f1", "support"], root.GetProperty("per_class")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["labels", "counts", "normalised"], root.GetProperty("confusion").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["male", "female", "gap"], root.GetProperty("by_gender").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["n", "accuracy", "accuracy_ci95", "macro_f1", "macro_f1_ci95"], root.GetProperty("by_gender").GetProperty("male").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["accuracy", "accuracy_ci95", "macro_f1", "macro_f1_ci95"], root.GetProperty("by_gender").GetProperty("gap").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["normal", "strong"], root.GetProperty("by_intensity").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["resamples", "seed", "confidence", "method"], root.GetProperty("bootstrap").EnumerateObject().Select(p => p.Name));
    }

    /// <summary>A result with the optional pitch sections (<c>by_f0</c>, <c>pitch_shift</c>) filled in.</summary>
    private static EvaluationResult SampleWithPitch()
    {
        var (predictions, speakers) = Pitch.PitchAuditTests.Speakers(errorsFromHz: 200);
        EvaluationResult plain = new Evaluator(new EvaluatorOptions { BootstrapResamples = 200 }).Evaluate(Synthetic.Labels, predictions);
        return plain with
        {
            ByF0 = new Evaluation.Pitch.PitchAudit().BinByF0(Synthetic.Labels, predictions, speakers),
            PitchShift = [new Evaluation.Pitch.PitchShiftMetrics(0, 180, plain.ByGender.Male!, plain.ByGender.Male, plain.ByGender.Female)],
        };
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheKeyReferenceDocumentsEveryKeyWritten(bool withPitch)
    {
        string doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "metrics-json.md"));
        using JsonDocument json = JsonDocument.Parse(MetricsJson.Serialize(withPitch ? SampleWithPitch() : Sample()));
        var missing = new List<string>();
        void Walk(JsonElement element, bool namesAreData)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty p in element.EnumerateObject())
                {
                    if (!namesAreData && !doc.Contains($"`{p.Name}`", StringComparison.Ordinal))
                    {
                        missing.Add(p.Name);
                    }
                    // model and data are free-form; by_intensity is keyed by intensity values.
                    if (p.Name is not ("model" or "data"))
                    {
                        Walk(p.Value, p.Name == "by_intensity");
                    }
                }
            }
            else if (element.ValueKind == JsonValueKind.Array && element.GetArrayLength() > 0)
            {
                Walk(element[0], false);
            }
        }
        Walk(json.RootElement, false);
        Assert.Empty(missing.Distinct());
    }

    [Theory]
    [InlineData("{\"format\":\"other\",\"version\":1}", "format is 'other'")]
    [InlineData("{\"format\":\"sermlnet.metrics\",\"version\":2}", "version 2 is not supported")]
    [InlineData("{\"format\":\"sermlnet.metrics\",\"version\":1,\"n\":3}", "missing required properties")]
    [InlineData("[1,2", "metrics JSON")]
    public void RejectsOtherDocumentsWithAClearMessage(string json, string expected)
    {
        var e = Assert.Throws<InvalidFileException>(() => MetricsJson.Deserialize(json));
        Assert.Contains(expected, e.Message);
    }
}
