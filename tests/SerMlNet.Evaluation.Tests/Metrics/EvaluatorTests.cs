using SerMlNet.Evaluation.Metrics;
using SerMlNet.Pipeline.Datasets;

namespace SerMlNet.Evaluation.Tests.Metrics;

public class EvaluatorTests
{
    private static readonly string[] FourLabels = ["a", "b", "c", "d"];
    private static readonly EvaluatorOptions FastOptions = new() { BootstrapResamples = 500, Seed = 11 };

    // truth a a a b b c, predicted a a b b c c; class d never occurs.
    // a: TP 2, FP 0, FN 1 → P 1, R 2/3, F1 0.8;  b: TP 1, FP 1, FN 1 → 0.5, 0.5, 0.5;  c: TP 1, FP 1, FN 0 → 0.5, 1, 2/3.
    private static List<Prediction> HandCase() =>
    [
        Synthetic.Make("m1", 0, 0, 4, Gender.Male, "normal"),
        Synthetic.Make("m2", 0, 0, 4, Gender.Male, "strong"),
        Synthetic.Make("m3", 0, 1, 4, Gender.Male, "normal"),
        Synthetic.Make("f1", 1, 1, 4, Gender.Female, "strong"),
        Synthetic.Make("f2", 1, 2, 4, Gender.Female, "normal"),
        Synthetic.Make("f3", 2, 2, 4, Gender.Female, "strong"),
    ];

    [Fact]
    public void HandComputedCaseMatchesScikitLearnDefinitions()
    {
        EvaluationResult r = new Evaluator(FastOptions).Evaluate(FourLabels, HandCase());

        Assert.Equal(6, r.N);
        Assert.Equal(4.0 / 6, r.Accuracy, 12);
        // Macro over the labels present in truth or predictions (a, b, c), as f1_score(average='macro').
        Assert.Equal((0.8 + 0.5 + 2.0 / 3) / 3, r.MacroF1, 12);
        Assert.Equal((0.8 * 3 + 0.5 * 2 + 2.0 / 3 * 1) / 6, r.WeightedF1, 12);

        Assert.Equal(["a", "b", "c", "d"], r.PerClass.Select(c => c.Label));
        Assert.Equal([1.0, 0.5, 0.5, 0.0], r.PerClass.Select(c => Math.Round(c.Precision, 12)));
        Assert.Equal([Math.Round(2.0 / 3, 12), 0.5, 1.0, 0.0], r.PerClass.Select(c => Math.Round(c.Recall, 12)));
        Assert.Equal([0.8, 0.5, Math.Round(2.0 / 3, 12), 0.0], r.PerClass.Select(c => Math.Round(c.F1, 12)));
        Assert.Equal([3L, 2L, 1L, 0L], r.PerClass.Select(c => c.Support));

        Assert.Equal([2L, 1L, 0L, 0L], r.Confusion.Counts[0]);
        Assert.Equal([0L, 1L, 1L, 0L], r.Confusion.Counts[1]);
        Assert.Equal([0L, 0L, 1L, 0L], r.Confusion.Counts[2]);
        Assert.Equal([0L, 0L, 0L, 0L], r.Confusion.Counts[3]);
        Assert.Equal(2.0 / 3, r.Confusion.Normalised[0][0], 12);
        Assert.Equal(0.5, r.Confusion.Normalised[1][2], 12);
        Assert.All(r.Confusion.Normalised[3], v => Assert.Equal(0, v));
    }

    [Fact]
    public void GenderAndIntensityGroupsAreComputedWithinTheGroup()
    {
        EvaluationResult r = new Evaluator(FastOptions).Evaluate(FourLabels, HandCase());

        // Male: truth a a a, predicted a a b → accuracy 2/3; present labels a (F1 0.8) and b (F1 0) → macro 0.4.
        GroupMetrics male = r.ByGender.Male!;
        Assert.Equal(3, male.N);
        Assert.Equal(2.0 / 3, male.Accuracy, 12);
        Assert.Equal(0.4, male.MacroF1, 12);
        // Female: truth b b c, predicted b c c → accuracy 2/3; b: P 1 R 0.5 F1 2/3; c: P 0.5 R 1 F1 2/3 → macro 2/3.
        GroupMetrics female = r.ByGender.Female!;
        Assert.Equal(3, female.N);
        Assert.Equal(2.0 / 3, female.Accuracy, 12);
        Assert.Equal(2.0 / 3, female.MacroF1, 12);
        Assert.Equal(0, r.ByGender.Gap!.Accuracy, 12);
        Assert.Equal(0.4 - 2.0 / 3, r.ByGender.Gap.MacroF1, 12);

        // Normal: m1 (a→a), m3 (a→b), f2 (b→c) → 1/3; strong: m2, f1, f3 all correct → 1.
        Assert.Equal(["normal", "strong"], r.ByIntensity.Keys);
        Assert.Equal(1.0 / 3, r.ByIntensity["normal"].Accuracy, 12);
        Assert.Equal(1.0, r.ByIntensity["strong"].Accuracy, 12);
        Assert.Equal(3, r.ByIntensity["strong"].N);
        Assert.Equal(new ConfidenceInterval(1, 1), r.ByIntensity["strong"].AccuracyCi95);
    }

    [Fact]
    public void LabelPredictedButNeverTrueCountsInMacroF1AsZero()
    {
        // truth a a b b, predicted a c b b: c is present (predicted) with F1 0, d is absent.
        List<Prediction> predictions =
        [
            Synthetic.Make("1", 0, 0, 4), Synthetic.Make("2", 0, 2, 4), Synthetic.Make("3", 1, 1, 4), Synthetic.Make("4", 1, 1, 4),
        ];
        EvaluationResult r = new Evaluator(FastOptions).Evaluate(FourLabels, predictions);
        Assert.Equal((2.0 / 3 + 1 + 0) / 3, r.MacroF1, 12);
        Assert.Null(r.ByGender.Male);
        Assert.Null(r.ByGender.Female);
        Assert.Null(r.ByGender.Gap);
        Assert.Empty(r.ByIntensity);
    }

    [Fact]
    public void PerfectPredictionsGiveDegenerateIntervals()
    {
        List<Prediction> predictions = Synthetic.Predictions(200, 1.0, 1.0);
        EvaluationResult r = new Evaluator(FastOptions).Evaluate(Synthetic.Labels, predictions);
        Assert.Equal(1.0, r.Accuracy);
        Assert.Equal(new ConfidenceInterval(1, 1), r.MacroF1Ci95);
        Assert.Equal(new ConfidenceInterval(1, 1), r.AccuracyCi95);
        Assert.Equal(new ConfidenceInterval(0, 0), r.ByGender.Gap!.AccuracyCi95);
        Assert.Equal(new ConfidenceInterval(0, 0), r.ByGender.Gap.MacroF1Ci95);
    }

    [Fact]
    public void SameSeedGivesIdenticalIntervalsAndAnotherSeedDiffers()
    {
        List<Prediction> predictions = Synthetic.Predictions(300, 0.8, 0.7);
        EvaluationResult a = new Evaluator(new EvaluatorOptions { BootstrapResamples = 400, Seed = 5 }).Evaluate(Synthetic.Labels, predictions);
        EvaluationResult b = new Evaluator(new EvaluatorOptions { BootstrapResamples = 400, Seed = 5 }).Evaluate(Synthetic.Labels, predictions);
        EvaluationResult c = new Evaluator(new EvaluatorOptions { BootstrapResamples = 400, Seed = 6 }).Evaluate(Synthetic.Labels, predictions);
        Assert.Equal(MetricsJson.Serialize(a), MetricsJson.Serialize(b));
        Assert.NotEqual(a.MacroF1Ci95, c.MacroF1Ci95);
        Assert.NotEqual(a.ByGender.Gap!.MacroF1Ci95, c.ByGender.Gap!.MacroF1Ci95);
        Assert.Equal(a.MacroF1, c.MacroF1);
    }

    [Fact]
    public void IntervalsContainThePointEstimateAndNarrowWithMoreData()
    {
        var evaluator = new Evaluator(new EvaluatorOptions { BootstrapResamples = 1000, Seed = 3 });
        EvaluationResult small = evaluator.Evaluate(Synthetic.Labels, Synthetic.Predictions(160, 0.8, 0.7, seed: 1));
        EvaluationResult large = evaluator.Evaluate(Synthetic.Labels, Synthetic.Predictions(2400, 0.8, 0.7, seed: 1));
        foreach (EvaluationResult r in (EvaluationResult[])[small, large])
        {
            Assert.True(r.MacroF1Ci95.Contains(r.MacroF1), $"{r.MacroF1} outside {r.MacroF1Ci95}");
            Assert.True(r.AccuracyCi95.Contains(r.Accuracy), $"{r.Accuracy} outside {r.AccuracyCi95}");
            Assert.True(r.ByGender.Male!.AccuracyCi95.Contains(r.ByGender.Male.Accuracy));
            Assert.True(r.ByGender.Female!.MacroF1Ci95.Contains(r.ByGender.Female.MacroF1));
            Assert.True(r.ByGender.Gap!.AccuracyCi95.Contains(r.ByGender.Gap.Accuracy));
            Assert.True(r.ByGender.Gap.MacroF1Ci95.Contains(r.ByGender.Gap.MacroF1));
            Assert.True(r.ByIntensity["strong"].AccuracyCi95.Contains(r.ByIntensity["strong"].Accuracy));
        }
        // Width shrinks like 1/sqrt(n): 15× the data → about 3.9× narrower; demand at least 2.5×.
        Assert.True(small.MacroF1Ci95.Width > 2.5 * large.MacroF1Ci95.Width, $"{small.MacroF1Ci95} vs {large.MacroF1Ci95}");
        Assert.True(small.AccuracyCi95.Width > 2.5 * large.AccuracyCi95.Width, $"{small.AccuracyCi95} vs {large.AccuracyCi95}");
        Assert.True(small.ByGender.Gap!.AccuracyCi95.Width > 2.5 * large.ByGender.Gap!.AccuracyCi95.Width);
    }

    [Fact]
    public void AccuracyIntervalsMatchTheBinomialStandardError()
    {
        // For accuracy the bootstrap should reproduce the binomial sampling error: 95 % width ≈ 2·1.96·sqrt(p(1−p)/n),
        // and for the gap of two independent groups ≈ 2·1.96·sqrt(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂).
        List<Prediction> predictions = Synthetic.Predictions(2000, 0.85, 0.7, seed: 9);
        EvaluationResult r = new Evaluator(new EvaluatorOptions { BootstrapResamples = 2000, Seed = 1 }).Evaluate(Synthetic.Labels, predictions);
        GroupMetrics male = r.ByGender.Male!;
        GroupMetrics female = r.ByGender.Female!;
        double seMale = Math.Sqrt(male.Accuracy * (1 - male.Accuracy) / male.N);
        double seFemale = Math.Sqrt(female.Accuracy * (1 - female.Accuracy) / female.N);
        Assert.InRange(male.AccuracyCi95.Width / (2 * 1.96 * seMale), 0.85, 1.15);
        Assert.InRange(female.AccuracyCi95.Width / (2 * 1.96 * seFemale), 0.85, 1.15);
        double seGap = Math.Sqrt(seMale * seMale + seFemale * seFemale);
        Assert.InRange(r.ByGender.Gap!.AccuracyCi95.Width / (2 * 1.96 * seGap), 0.85, 1.15);
        // A true 15-point gap with 1,000 examples per group: the interval excludes 0.
        Assert.True(r.ByGender.Gap.AccuracyCi95.Lower > 0);
    }

    [Fact]
    public void InvalidPredictionsAreAllReported()
    {
        List<Prediction> predictions =
        [
            Synthetic.Make("x", 0, 0, 4),
            new Prediction("y", 7, 0, new float[4], null, null),
            new Prediction("z", 0, 0, new float[3], null, null),
            Synthetic.Make("x", 1, 1, 4),
        ];
        var e = Assert.Throws<ArgumentException>(() => new Evaluator(FastOptions).Evaluate(FourLabels, predictions));
        Assert.Contains("3 invalid", e.Message);
        Assert.Contains("true class 7", e.Message);
        Assert.Contains("3 probabilities for 4 classes", e.Message);
        Assert.Contains("appears twice", e.Message);
        Assert.Throws<ArgumentException>(() => new Evaluator(FastOptions).Evaluate(["a"], [Synthetic.Make("1", 0, 0, 1)]));
        Assert.Throws<ArgumentException>(() => new Evaluator(FastOptions).Evaluate(FourLabels, []));
        Assert.Throws<ArgumentException>(() => new Evaluator(new EvaluatorOptions { BootstrapResamples = 10 }));
    }

    [Fact]
    public void FromProbabilitiesTakesTheArgMaxAndClipMetadata()
    {
        var clip = new Clip("Actor_03/03-01-05-02-01-01-03.wav", "/x/03-01-05-02-01-01-03.wav", "angry", "actor03", Gender.Male, "strong");
        Prediction p = Prediction.FromProbabilities(clip, 4, [0.1f, 0.05f, 0.05f, 0.2f, 0.3f, 0.3f, 0f, 0f]);
        Assert.Equal(4, p.PredictedClass); // tie between 4 and 5: the lower index wins
        Assert.Equal(0.3f, p.Confidence);
        Assert.Equal(Gender.Male, p.Gender);
        Assert.Equal("strong", p.Intensity);
    }
}
