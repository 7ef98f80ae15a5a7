using SerMlNet.Evaluation.Metrics;
using SerMlNet.Evaluation.Reporting;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Browser.Tests;

/// <summary>
/// The shipped <c>artifacts/report.html</c> in Chromium: no console error or warning (a CSP violation is one), no
/// script error, no request beyond the file, and every figure of its run (<see cref="ReportBuilder.FigureIdsFor"/>) on
/// screen, in order, with SVGs of non-zero size. Screenshots stay in <c>bin/…/browser-check/report/</c>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReportPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    /// <summary>The figures the shipped report holds: its run has no validation items, so no validation macro-F1 panel.</summary>
    private static IReadOnlyList<string> ShippedFigures() => ReportBuilder.FigureIdsFor(
        CurvesCsv.Read(Path.Combine(RepoPaths.Root, "artifacts", "curves.csv")),
        MetricsJson.Read(Path.Combine(RepoPaths.Root, "artifacts", "metrics.json")));

    [Fact]
    public async Task ShippedReportLoadsCleanWithEveryFigureVisible()
    {
        string report = Path.Combine(RepoPaths.Root, "artifacts", "report.html");
        Assert.True(File.Exists(report), $"{report} is missing: scripts/reproduce.sh writes it (`ser report`)");
        string folder = Path.Combine(AppContext.BaseDirectory, "browser-check", "report");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        PageCheckResult result = await PageCheck.RunAsync(browser.Browser, report, new("figure", ShippedFigures()), folder);

        output.WriteLine($"browser check: {clock.Elapsed.TotalSeconds:0.0} s; screenshots in {folder}");
        output.WriteLine(string.Join("\n", result.Log));
        Assert.True(result.Problems.Count == 0, "artifacts/report.html in Chromium:\n" + string.Join("\n", result.Problems));
    }

    [Fact]
    public async Task ABrokenCopyOfTheShippedReportFails()
    {
        string report = File.ReadAllText(Path.Combine(RepoPaths.Root, "artifacts", "report.html"));
        // One figure hidden, one figure's drawing gone, a web font asked for (the report's CSP refuses it).
        string broken = report
            .Replace("<figure id=\"fig-loss\">", "<figure id=\"fig-loss\" style=\"display:none\">", StringComparison.Ordinal)
            .Replace("</head>", "<link rel=\"stylesheet\" href=\"https://fonts.example.invalid/sans.css\"></head>", StringComparison.Ordinal);
        int start = broken.IndexOf("<figure id=\"fig-durations\">", StringComparison.Ordinal);
        int svg = broken.IndexOf("<svg", start, StringComparison.Ordinal);
        int end = broken.IndexOf("</svg>", svg, StringComparison.Ordinal) + "</svg>".Length;
        Assert.True(start > 0 && svg > 0 && end > svg, "the report's markup changed: fig-loss or fig-durations not found");
        broken = broken[..svg] + broken[end..];
        Assert.NotEqual(report.Length, broken.Length);

        using TempFolder temp = RepoPaths.NewTempFolder();
        string page = Path.Combine(temp.Path, "report.html");
        File.WriteAllText(page, broken);
        PageCheckResult result = await PageCheck.RunAsync(browser.Browser, page, new("figure", ShippedFigures()), screenshots: null);

        output.WriteLine(string.Join("\n", result.Problems));
        Assert.Contains(result.Problems, p => p.StartsWith("figure fig-loss is not visible", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.StartsWith("figure fig-durations has no svg", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.StartsWith("console error: Loading the stylesheet 'https://fonts.example.invalid/sans.css' violates", StringComparison.Ordinal)
            || p.StartsWith("console error: Refused to load the stylesheet 'https://fonts.example.invalid/sans.css'", StringComparison.Ordinal));
    }
}
