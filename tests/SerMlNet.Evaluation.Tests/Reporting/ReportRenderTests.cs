using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Evaluation.Reporting;
using SerMlNet.Evaluation.Tests.Figures;
using SerMlNet.Tests;

namespace SerMlNet.Evaluation.Tests.Reporting;

/// <summary>
/// Renders a report built from synthetic data in headless Chromium: every figure must be present with a non-empty
/// SVG, the page must show no parse error or console/CSP message, and the screenshot must be a non-blank PNG. The
/// report and screenshot stay in <c>bin/…/report-check/</c> for a person to look at.
/// </summary>
public class ReportRenderTests
{
    private static readonly TimeSpan ChromiumTimeout = TimeSpan.FromSeconds(120);

    private static string OutputFolder()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "report-check");
        Directory.CreateDirectory(folder);
        return folder;
    }

    [Fact]
    public void ReportRendersInHeadlessChromiumWithEveryFigureAndNoErrors()
    {
        string folder = OutputFolder();
        string report = Path.Combine(folder, "report.html");
        string screenshot = Path.Combine(folder, "report.png");
        File.Delete(screenshot);
        ReportBuilder.Write(report, SyntheticReport.Build());
        RenderAndCheck(report, screenshot);
    }

    [Fact]
    public void TheShippedReportRendersWithEveryFigureAndNoErrors()
    {
        string report = Path.Combine(RepoPaths.Root, "artifacts", "report.html");
        Assert.True(File.Exists(report), $"{report} is missing: scripts/reproduce.sh writes it");
        string screenshot = Path.Combine(OutputFolder(), "shipped-report.png");
        File.Delete(screenshot);
        // The shipped run has no validation items, so its report has no validation macro-F1 panel (FigureIdsFor).
        IReadOnlyList<string> expected = ReportBuilder.FigureIdsFor(
            CurvesCsv.Read(Path.Combine(RepoPaths.Root, "artifacts", "curves.csv")),
            MetricsJson.Read(Path.Combine(RepoPaths.Root, "artifacts", "metrics.json")));
        RenderAndCheck(report, screenshot, expected);
    }

    /// <summary>
    /// Renders a report in headless Chromium: every figure present with a non-empty SVG and a caption, no parse error,
    /// console message or blocked request, and a non-blank screenshot whose last rows are page background.
    /// </summary>
    private static void RenderAndCheck(string report, string screenshot, IReadOnlyList<string>? figureIds = null)
    {
        string url = new Uri(report).AbsoluteUri;

        using TempFolder profile = RepoPaths.NewTempFolder();
        var (domExit, dom, domLog) = Chromium.Run(Path.Combine(profile.Path, "dom"), ["--dump-dom", "--enable-logging=stderr", "--v=0"], url, ChromiumTimeout);
        Assert.True(domExit == 0, $"chromium --dump-dom exited with {domExit}: {domLog}");
        Assert.DoesNotContain("This page contains the following errors", dom);
        Assert.DoesNotContain("parsererror", dom);
        foreach (string id in figureIds ?? ReportBuilder.FigureIds)
        {
            Match figure = Regex.Match(dom, $"<figure id=\"{id}\">(.*?)</figure>", RegexOptions.Singleline);
            Assert.True(figure.Success, $"figure '{id}' is missing from the rendered DOM");
            Assert.Matches(new Regex("<svg[^>]*>.*<(rect|path|polyline|circle|image)[^>]*>.*</svg>", RegexOptions.Singleline), figure.Groups[1].Value);
            Assert.Matches("<figcaption>[^<]{20,}", figure.Groups[1].Value);
        }
        // Console messages, CSP violations and failed loads all appear in Chromium's log.
        string[] problems = domLog.Split('\n')
            .Where(l => l.Contains("CONSOLE", StringComparison.Ordinal) || l.Contains("Content Security Policy", StringComparison.Ordinal) ||
                        l.Contains("Refused to", StringComparison.Ordinal) || l.Contains("net::ERR", StringComparison.Ordinal))
            .ToArray();
        Assert.True(problems.Length == 0, "the page logged problems:\n" + string.Join("\n", problems));

        var (shotExit, _, shotLog) = Chromium.Run(Path.Combine(profile.Path, "shot"), [$"--screenshot={screenshot}", "--window-size=1280,6600"], url, ChromiumTimeout);
        Assert.True(shotExit == 0 && File.Exists(screenshot), $"chromium --screenshot exited with {shotExit}: {shotLog}");
        PngReader png = PngReader.Decode(File.ReadAllBytes(screenshot));
        Assert.Equal(1280, png.Width);
        Assert.Equal(6600, png.Height);
        // Not blank: many distinct colours (spectrogram rasters, heat-map cells) and plenty of ink.
        var colours = new HashSet<int>();
        long ink = 0;
        double sum = 0, sumSquares = 0;
        for (int y = 0; y < png.Height; y += 2)
        {
            for (int x = 0; x < png.Width; x += 2)
            {
                var (r, g, b) = png.Rgb(x, y);
                colours.Add((r << 16) | (g << 8) | b);
                double luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
                sum += luma;
                sumSquares += luma * luma;
                if (luma < 200)
                {
                    ink++;
                }
            }
        }
        long samples = (png.Width / 2) * (png.Height / 2);
        double variance = sumSquares / samples - Math.Pow(sum / samples, 2);
        Assert.True(colours.Count > 2000, $"screenshot has only {colours.Count} distinct colours");
        Assert.True(variance > 200, $"screenshot luminance variance {variance:0} is too low");
        Assert.True(ink > samples / 50, $"screenshot has little ink ({ink} of {samples} samples)");
        // The whole page fits: the last rows are the plain page background (#f5f6f8), below the footer.
        for (int y = png.Height - 50; y < png.Height; y += 7)
        {
            for (int x = 0; x < png.Width; x += 37)
            {
                Assert.Equal(((byte)0xf5, (byte)0xf6, (byte)0xf8), png.Rgb(x, y));
            }
        }
    }

    [Fact]
    public void ReportIsWellFormedSelfContainedAndDeterministic()
    {
        ReportInput input = SyntheticReport.Build(resamples: 200);
        string html = ReportBuilder.Build(input);
        Assert.Equal(html, ReportBuilder.Build(input));

        XDocument doc = XDocument.Parse(html[html.IndexOf("<html", StringComparison.Ordinal)..]);
        XNamespace svg = "http://www.w3.org/2000/svg";
        var figures = doc.Descendants("figure").ToList();
        Assert.Equal(ReportBuilder.FigureIds, figures.Select(f => (string?)f.Attribute("id")));
        Assert.Equal(ReportBuilder.FigureIds, ReportBuilder.FigureIdsFor(input.Curves, input.Evaluation));
        foreach (XElement figure in figures)
        {
            Assert.NotEmpty(figure.Descendants(svg + "svg"));
            Assert.All(figure.Descendants(svg + "svg"), s =>
            {
                Assert.NotNull(s.Attribute("viewBox"));
                Assert.Equal("img", (string?)s.Attribute("role"));
                Assert.False(string.IsNullOrWhiteSpace(s.Element(svg + "title")?.Value));
            });
            Assert.False(string.IsNullOrWhiteSpace(figure.Element("figcaption")?.Value));
        }
        // Element ids are unique across the page (inline SVGs share one id space).
        var ids = doc.Descendants().Select(e => (string?)e.Attribute("id")).Where(i => i is not null).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());

        // Nothing that could make a request: no scripts, no external URLs, no fonts, rasters only as data: URIs.
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("@font-face", html);
        Assert.DoesNotContain("<link", html);
        string withoutData = Regex.Replace(html, "data:image/png;base64,[A-Za-z0-9+/=]+", "data:");
        string[] urls = Regex.Matches(withoutData, "(https?:|//)[^\"' )<]*").Select(m => m.Value).Distinct().ToArray();
        // Only XML namespace names (ScottPlot's SVG declares xlink), which are never fetched.
        Assert.Empty(urls.Except(["http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"]));
        foreach (XAttribute href in doc.Descendants().Attributes().Where(a => a.Name.LocalName is "href" or "src"))
        {
            Assert.True(href.Value.StartsWith('#') || href.Value.StartsWith("data:image/png;base64,", StringComparison.Ordinal), $"reference '{href.Value[..Math.Min(40, href.Value.Length)]}'");
        }
        Assert.All(Regex.Matches(html, @"url\(([^)]*)\)").Select(m => m.Groups[1].Value), v => Assert.StartsWith("#", v));
        Assert.Contains("default-src 'none'", html);

        // Descriptors are escaped, and the gender verdict is in words.
        Assert.Contains("synthetic &lt;test&gt; &amp; data", html);
        Assert.Matches("interval(s)? (include|exclude)s? 0", html);
    }

    [Fact]
    public void TheReportSaysWhichEpochsWeightsWereKept()
    {
        ReportInput input = SyntheticReport.Build(resamples: 200);
        string best = ReportBuilder.Build(input);
        string averaged = ReportBuilder.Build(new ReportInput { Curves = input.Curves, Evaluation = input.Evaluation, AverageBestEpochs = 5 });
        int bestEpoch = KeptEpochs.Select(input.Curves, 1)[0];
        int[] five = KeptEpochs.Select(input.Curves, 5);
        Assert.Equal(5, five.Length);
        Assert.Contains($"The weights kept are epoch {bestEpoch}'s (the best validation macro-F1).", System.Net.WebUtility.HtmlDecode(best));
        string expected = $"the mean of epochs {string.Join(", ", five[..^1])} and {five[^1]} (the 5 of best validation macro-F1)";
        Assert.Contains($"The weights kept are {expected}.", averaged);
        Assert.Contains($"<th scope=\"row\">Weights kept</th><td>{expected}</td>", averaged);
        Assert.DoesNotContain("the mean of epochs", best);
    }

    [Fact]
    public void ARunWithoutValidationSaysSoAndDrawsNoEmptyValidationPanel()
    {
        ReportInput input = SyntheticReport.Build(resamples: 200);
        CurveRow[] blind = [.. input.Curves.Select(c => c with { ValLoss = double.NaN, ValAcc = double.NaN, ValMacroF1 = double.NaN })];
        string html = System.Net.WebUtility.HtmlDecode(ReportBuilder.Build(new ReportInput { Curves = blind, Evaluation = input.Evaluation, AverageBestEpochs = 5 }));
        int n = blind.Length;
        string kept = $"the mean of epochs {n - 4}, {n - 3}, {n - 2}, {n - 1} and {n} (the last 5: no validation figure)";
        Assert.Contains($"The run had no validation items, so it has no validation curves and no best epoch; the weights kept are {kept}.", html);
        Assert.Contains($"<th scope=\"row\">Weights kept</th><td>{kept}</td>", html);
        Assert.Contains("<th scope=\"row\">Training time</th>", html);
        Assert.DoesNotContain("Best validation macro-F1", html);
        Assert.DoesNotContain("fig-macro-f1", html);
        Assert.Equal([.. ReportBuilder.FigureIds.Where(id => id != "fig-macro-f1")], ReportBuilder.FigureIdsFor(blind, input.Evaluation));
        Assert.Equal([.. ReportBuilder.FigureIds.Where(id => id is not ("fig-loss" or "fig-accuracy" or "fig-macro-f1"))], ReportBuilder.FigureIdsFor([], input.Evaluation));
        Assert.Contains("fig-loss", html);
        Assert.Contains(">Train</text>", html);
        Assert.DoesNotContain(">Validation</text>", html); // no legend entry for a line that is not drawn
    }

    [Fact]
    public void ASeedEnsembleSaysWhoseCurvesAreDrawnAndCountsEveryNetworksTime()
    {
        ReportInput input = SyntheticReport.Build();
        IReadOnlyList<CurveRow> second = [.. input.Curves.Select(c => c with { Seconds = 10 })];
        string html = System.Net.WebUtility.HtmlDecode(ReportBuilder.Build(new ReportInput
        {
            Curves = input.Curves,
            Evaluation = input.Evaluation,
            NetworkSeeds = [42, 7, 3],
            OtherNetworkCurves = [second, []],
        }));
        Assert.Contains("seed ensemble of 3 networks", html, StringComparison.Ordinal);
        Assert.Contains("The curves are the first network's (seed 42)", html, StringComparison.Ordinal);
        Assert.Contains($"seed 7: training loss {ReportText.Score(second[^1].TrainLoss)}", html, StringComparison.Ordinal);
        Assert.Contains("seed 3: no curves supplied", html, StringComparison.Ordinal);
        double seconds = input.Curves.Sum(c => c.Seconds) + 10 * second.Count;
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Training time (3 networks)</th><td>{seconds / 60:0.0} min"), html, StringComparison.Ordinal);

        // One network: no ensemble paragraph, the plain time row.
        string single = System.Net.WebUtility.HtmlDecode(ReportBuilder.Build(new ReportInput { Curves = input.Curves, Evaluation = input.Evaluation }));
        Assert.DoesNotContain("seed ensemble", single, StringComparison.Ordinal);
        Assert.Contains("Training time</th>", single, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingPartsBecomeNotesNotBrokenFigures()
    {
        ReportInput full = SyntheticReport.Build(resamples: 200);
        var input = new ReportInput { Evaluation = full.Evaluation };
        string html = ReportBuilder.Build(input);
        XDocument doc = XDocument.Parse(html[html.IndexOf("<html", StringComparison.Ordinal)..]);
        Assert.Equal(["fig-confusion", "fig-per-class-f1", "fig-gender", "fig-intensity", "fig-f0-bins", "fig-pitch-shift"], doc.Descendants("figure").Select(f => (string?)f.Attribute("id")));
        Assert.Contains("No training curves were supplied", html);
        Assert.Contains("No exploratory data were supplied", html);

        // A metrics file from before the pitch audit: notes instead of the pitch figures.
        string old = ReportBuilder.Build(new ReportInput { Evaluation = full.Evaluation with { ByF0 = null, PitchShift = null } });
        Assert.DoesNotContain("fig-f0-bins", old);
        Assert.Contains("has no F0 analysis", old);
        string noShift = ReportBuilder.Build(new ReportInput { Evaluation = full.Evaluation with { PitchShift = null } });
        Assert.Contains("fig-f0-bins", noShift);
        Assert.Contains("--pitch-shifts -4,-2,2,4", noShift);
    }
}
