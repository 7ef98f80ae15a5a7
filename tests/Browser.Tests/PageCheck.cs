using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace SerMlNet.Browser.Tests;

/// <summary>Which figures a page must show: every element matching <see cref="Selector"/>, <see cref="Count"/> of them, with these ids.</summary>
/// <param name="Selector">CSS selector of one figure.</param>
/// <param name="Ids">Ids that must each be on exactly one matching element, in this order.</param>
internal sealed record FigureExpectation(string Selector, IReadOnlyList<string> Ids)
{
    /// <summary>How many elements must match the selector.</summary>
    public int Count => Ids.Count;
}

/// <summary>What one page load found.</summary>
/// <param name="Problems">Each a sentence naming the figure, message or request; empty when the page passes.</param>
/// <param name="Tolerated">Blocked requests the caller's policy let pass, each with its reason, and their console errors.</param>
/// <param name="Log">Console messages, requests and figure boxes, in the order seen.</param>
internal sealed record PageCheckResult(IReadOnlyList<string> Problems, IReadOnlyList<string> Tolerated, IReadOnlyList<string> Log);

/// <summary>
/// Loads a local HTML file in a fresh browser context and lists what is wrong with it: console errors and warnings
/// (CSP violations and failed loads among them), uncaught script errors, any request that leaves the page's own file
/// (aborted before it is sent, so the check never touches the network), and figures that are missing, out of order,
/// invisible, sticking out of the page or without an SVG of non-zero size. Saves a full-page screenshot
/// (<c>page.png</c>), one per visible figure (<c>&lt;id&gt;.png</c>) and the log (<c>log.txt</c>).
/// </summary>
internal static class PageCheck
{
    private const float ViewportWidth = 1280;
    private const string BlockedLoad = "Failed to load resource: net::ERR_BLOCKED_BY_CLIENT";

    /// <summary>Runs the check.</summary>
    /// <param name="browser">The browser.</param>
    /// <param name="htmlFile">The page, a local file.</param>
    /// <param name="figures">The figures it must show.</param>
    /// <param name="screenshots">Folder for the screenshots and log, emptied first; null for neither (quicker).</param>
    /// <param name="tolerate">
    /// For a request outside the page (already blocked): a reason it is not a problem, or null when it is. Only the
    /// request and the console's report of its blocked load are excused; the figures must still pass without it.
    /// </param>
    /// <returns>The problems found, what was tolerated, and the log.</returns>
    public static async Task<PageCheckResult> RunAsync(IBrowser browser, string htmlFile, FigureExpectation figures, string? screenshots,
        Func<IRequest, string?>? tolerate = null)
    {
        if (screenshots is not null)
        {
            if (Directory.Exists(screenshots))
            {
                Directory.Delete(screenshots, recursive: true);
            }
            Directory.CreateDirectory(screenshots);
        }
        string pageUrl = new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri;
        var problems = new List<string>();
        var tolerated = new List<string>();
        var toleratedUrls = new HashSet<string>(StringComparer.Ordinal);
        var log = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await using IBrowserContext context = await browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = (int)ViewportWidth, Height = 900 },
            DeviceScaleFactor = 1,
            Offline = true,
        });
        // Only the page itself may load: anything else (CDN scripts, fonts, a file beside the page) is aborted and is a
        // problem unless tolerated. data: URLs never reach the router and need no network.
        await context.RouteAsync("**/*", async route =>
        {
            IRequest request = route.Request;
            if (request.Url == pageUrl)
            {
                await route.ContinueAsync();
                return;
            }
            string? reason = tolerate?.Invoke(request);
            lock (log)
            {
                if (reason is null)
                {
                    problems.Add($"request outside the page (blocked): {request.ResourceType} {Shorten(request.Url)}");
                }
                else
                {
                    toleratedUrls.Add(request.Url);
                    tolerated.Add($"blocked {request.ResourceType} {Shorten(request.Url)}: {reason}");
                }
            }
            await route.AbortAsync("blockedbyclient");
        });

        IPage page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            string location = message.Location ?? "";
            string where = location.Length > 0 ? $" ({Shorten(location)})" : "";
            lock (log)
            {
                log.Add($"console.{message.Type}: {message.Text}{where}");
                if (message.Type is not ("error" or "warning"))
                {
                    return;
                }
                if (message.Text.StartsWith(BlockedLoad, StringComparison.Ordinal) && toleratedUrls.Any(u => location.StartsWith(u + ":", StringComparison.Ordinal)))
                {
                    tolerated.Add($"console {message.Type}: {message.Text}{where}");
                }
                else
                {
                    problems.Add($"console {message.Type}: {message.Text}{where}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (log)
            {
                log.Add($"page error: {error}");
                problems.Add($"uncaught script error: {error}");
            }
        };
        page.Request += (_, request) =>
        {
            lock (log)
            {
                log.Add($"request {request.ResourceType}: {Shorten(request.Url)}");
            }
        };
        // A failed load also reaches the console ("Failed to load resource"), which is where it counts as a problem.
        page.RequestFailed += (_, request) =>
        {
            lock (log)
            {
                log.Add($"request failed ({request.Failure}): {Shorten(request.Url)}");
            }
        };

        await page.GotoAsync(pageUrl, new() { WaitUntil = WaitUntilState.Load, Timeout = 30_000 });
        // Scripts may add requests after load (a CDN loader, say): wait until the network has been quiet for 500 ms.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 10_000 });

        Log(log, $"loaded in {clock.ElapsedMilliseconds} ms");
        var figureProblems = new List<string>();
        await CheckFiguresAsync(page, figures, screenshots, figureProblems, log);
        Log(log, $"figures checked at {clock.ElapsedMilliseconds} ms");
        if (screenshots is not null)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "page.png"), FullPage = true, Timeout = 30_000 });
            Log(log, $"page screenshot at {clock.ElapsedMilliseconds} ms");
        }
        lock (log)
        {
            problems.AddRange(figureProblems);
            if (screenshots is not null)
            {
                File.WriteAllLines(Path.Combine(screenshots, "log.txt"),
                    [.. log, "", .. tolerated.Select(t => "TOLERATED " + t), .. problems.Select(p => "PROBLEM " + p)]);
            }
            return new PageCheckResult([.. problems], [.. tolerated], [.. log]);
        }
    }

    private static async Task CheckFiguresAsync(IPage page, FigureExpectation expected, string? screenshots, List<string> problems, List<string> log)
    {
        ILocator all = page.Locator(expected.Selector);
        int count = await all.CountAsync();
        if (count != expected.Count)
        {
            problems.Add($"{count} elements match '{expected.Selector}', expected {expected.Count}");
        }
        var seen = new List<string>();
        for (int i = 0; i < count; i++)
        {
            ILocator figure = all.Nth(i);
            string id = await figure.GetAttributeAsync("id") ?? $"#{i + 1} (no id)";
            seen.Add(id);
            LocatorBoundingBoxResult? box = await figure.BoundingBoxAsync();
            Log(log, $"figure {id}: box {Describe(box)}");
            if (!await figure.IsVisibleAsync() || box is null || box.Width < 1 || box.Height < 1)
            {
                problems.Add($"figure {id} is not visible (box {Describe(box)})");
                continue;
            }
            if (box.X < 0 || box.X + box.Width > ViewportWidth + 0.5)
            {
                problems.Add($"figure {id} sticks out of the {ViewportWidth}-pixel-wide page (box {Describe(box)})");
            }
            ILocator svgs = figure.Locator("svg");
            int svgCount = await svgs.CountAsync();
            if (svgCount == 0)
            {
                problems.Add($"figure {id} has no svg");
            }
            for (int s = 0; s < svgCount; s++)
            {
                ILocator svg = svgs.Nth(s);
                LocatorBoundingBoxResult? svgBox = await svg.BoundingBoxAsync();
                if (!await svg.IsVisibleAsync() || svgBox is null || svgBox.Width < 1 || svgBox.Height < 1)
                {
                    problems.Add($"figure {id}: svg {s + 1} of {svgCount} is not visible (box {Describe(svgBox)})");
                }
            }
            if (screenshots is not null)
            {
                string file = Regex.Replace(id, "[^A-Za-z0-9_-]", "_") + ".png";
                await figure.ScreenshotAsync(new() { Path = Path.Combine(screenshots, file), Timeout = 15_000 });
            }
        }
        foreach (string id in expected.Ids)
        {
            int matches = seen.Count(s => s == id);
            if (matches != 1)
            {
                problems.Add($"figure {id} appears {matches} times, expected once");
            }
        }
        if (seen.Count == expected.Count && seen.Order(StringComparer.Ordinal).SequenceEqual(expected.Ids.Order(StringComparer.Ordinal)) && !seen.SequenceEqual(expected.Ids))
        {
            problems.Add($"figures are in the order {string.Join(", ", seen)}, expected {string.Join(", ", expected.Ids)}");
        }
    }

    /// <summary>Adds a line; browser events add theirs from other threads.</summary>
    private static void Log(List<string> log, string line)
    {
        lock (log)
        {
            log.Add(line);
        }
    }

    private static string Describe(LocatorBoundingBoxResult? box) =>
        box is null ? "none" : FormattableString.Invariant($"{box.X:0},{box.Y:0} {box.Width:0}×{box.Height:0}");

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..157] + "...";
}
