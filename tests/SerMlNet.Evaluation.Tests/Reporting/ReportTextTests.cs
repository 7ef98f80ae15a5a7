using SerMlNet.Evaluation.Metrics;
using SerMlNet.Evaluation.Reporting;

namespace SerMlNet.Evaluation.Tests.Reporting;

public class ReportTextTests
{
    private static readonly BootstrapSettings Settings = new(2000, 42, 0.95, "percentile");

    [Fact]
    public void GapWhoseIntervalsIncludeZeroIsCalledNotReliable()
    {
        var gap = new GapMetrics(0.02, new ConfidenceInterval(-0.05, 0.09), -0.01, new ConfidenceInterval(-0.08, 0.06));
        string text = ReportText.GapQualification(gap, Settings);
        Assert.Contains("accuracy +0.020 (95 % interval −0.050 to +0.090)", text);
        Assert.Contains("macro-F1 −0.010", text);
        Assert.Contains("2,000 bootstrap resamples", text);
        Assert.Contains("Both intervals include 0", text);
        Assert.Contains("no reliable difference", text);
    }

    [Fact]
    public void GapWhoseIntervalsExcludeZeroNamesTheFavouredGroup()
    {
        string female = ReportText.GapQualification(new GapMetrics(-0.1, new ConfidenceInterval(-0.15, -0.04), -0.12, new ConfidenceInterval(-0.2, -0.05)), Settings);
        Assert.Contains("Both intervals exclude 0", female);
        Assert.Contains("more accurate on female speakers", female);
        string male = ReportText.GapQualification(new GapMetrics(0.1, new ConfidenceInterval(0.02, 0.17), 0.04, new ConfidenceInterval(-0.02, 0.1)), Settings);
        Assert.Contains("The accuracy interval excludes 0 (favouring male speakers) but the macro-F1 interval includes 0", male);
        string mixed = ReportText.GapQualification(new GapMetrics(0.1, new ConfidenceInterval(0.02, 0.17), -0.06, new ConfidenceInterval(-0.1, -0.01)), Settings);
        Assert.Contains("opposite directions", mixed);
    }

    [Fact]
    public void NumbersUseInvariantFormatsAndTrueMinusSigns()
    {
        Assert.Equal("0.812", ReportText.Score(0.8123));
        Assert.Equal("+0.050", ReportText.Signed(0.05));
        Assert.Equal("−0.050", ReportText.Signed(-0.05));
        Assert.Equal("0.000", ReportText.Signed(0));
        Assert.Equal("0.000", ReportText.Signed(-0.0001));
        Assert.Equal("[−0.010, +0.020]", ReportText.Interval(new ConfidenceInterval(-0.01, 0.02), signed: true));
    }
}
