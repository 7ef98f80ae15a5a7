using SerMlNet.Evaluation.Reporting;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Browser.Tests;

/// <summary>
/// The shipped <c>artifacts/report.html</c> in Chromium: no console error or warning (a CSP violation is one), no
/// script error, no request beyond the file, and every figure of <see cref="ReportBuilder.FigureIds"/> on screen, in
/// order, with SVGs of non-zero size. Screenshots stay in <c>bin/…/browser-check/report/</c>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReportPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task ShippedReportLoadsCleanWithEveryFigureVisible()
    {
        string report = Path.Combine(RepoPaths.Root, "artifacts", "report.html");
        Assert.True(File.Exists(report), $"{report} is missing: scripts/reproduce.sh writes it (`ser report`)");
        string folder = Path.Combine(AppContext.BaseDirectory, "browser-check", "report");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        PageCheckResult result = await PageCheck.RunAsync(browser.Browser, report, new("figure", ReportBuilder.FigureIds), folder);

        output.WriteLine($"browser check: {clock.Elapsed.TotalSeconds:0.0} s; screenshots in {folder}");
        output.WriteLine(string.Join("\n", result.Log));
        Assert.True(result.Problems.Count == 0, "artifacts/report.html in Chromium:\n" + string.Join("\n", result.Problems));
    }
}
