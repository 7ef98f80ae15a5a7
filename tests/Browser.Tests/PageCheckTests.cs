using SerMlNet.Tests;

namespace SerMlNet.Browser.Tests;

/// <summary>
/// Each check of <see cref="PageCheck"/> fails on a page broken in that one way, and a clean page passes: small local
/// pages with two figures, one fault each.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PageCheckTests(BrowserFixture browser)
{
    private const string Figure = "<figure id=\"{0}\"{1}><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"120\" viewBox=\"0 0 300 120\">" +
        "<rect x=\"10\" y=\"10\" width=\"280\" height=\"100\" fill=\"#1e88e5\"/></svg><figcaption>Figure {0}</figcaption></figure>";

    private static readonly FigureExpectation TwoFigures = new("figure", ["fig-a", "fig-b"]);

    /// <summary>Each fault, with the start of the problem it must produce (null: none).</summary>
    private static readonly (string Fault, string? Expected)[] Faults =
    [
        ("clean", null),
        ("console-error", "console error: boom"),
        ("console-warning", "console warning: careful"),
        ("script-error", "uncaught script error"),
        ("csp-violation", "console error: Executing inline script violates"),
        ("external-image", "request outside the page (blocked): image https://example.invalid/a.png"),
        ("file-beside-page", "request outside the page (blocked): stylesheet file://"),
        ("missing-figure", "figure fig-b appears 0 times, expected once"),
        ("extra-figure", "3 elements match 'figure', expected 2"),
        ("swapped-figures", "figures are in the order fig-b, fig-a, expected fig-a, fig-b"),
        ("hidden-figure", "figure fig-b is not visible"),
        ("collapsed-figure", "figure fig-b is not visible (box 8,"),
        ("no-svg", "figure fig-b has no svg"),
        ("zero-size-svg", "figure fig-b: svg 1 of 1 is not visible"),
        ("invisible-svg", "figure fig-b: svg 1 of 1 is not visible"),
        ("off-page-figure", "figure fig-b sticks out of the 1280-pixel-wide page"),
        ("untolerated-script", "request outside the page (blocked): script https://cdn.example.invalid/plot.js"),
        ("tolerated-loader", null),
    ];

    /// <summary>The pages load six at a time, each in its own context: one after another they took 45 s on two busy cores.</summary>
    [Fact]
    public async Task EachCheckFailsOnAPageBrokenThatWayAndACleanPagePasses()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        using var gate = new SemaphoreSlim(6);
        string?[] failures = await Task.WhenAll(Faults.Select(async f =>
        {
            await gate.WaitAsync();
            try
            {
                return await CheckAsync(temp.Path, f.Fault, f.Expected);
            }
            finally
            {
                gate.Release();
            }
        }));
        string[] failed = [.. failures.OfType<string>()];
        Assert.True(failed.Length == 0, string.Join("\n\n", failed));
    }

    /// <returns>Null when the check found what it should, else what went wrong.</returns>
    private async Task<string?> CheckAsync(string root, string fault, string? expected)
    {
        string folder = Path.Combine(root, fault);
        Directory.CreateDirectory(folder);
        string page = Path.Combine(folder, "page.html");
        await File.WriteAllTextAsync(page, Page(fault));

        // Screenshots only of the clean page (they are a third of the time of a check).
        string? shots = fault == "clean" ? Path.Combine(folder, "shots") : null;
        PageCheckResult result = await PageCheck.RunAsync(browser.Browser, page, TwoFigures, shots,
            fault is "untolerated-script" or "tolerated-loader" ? NotebookPageTests.ScriptLoaderNotNeeded : null);

        string got = string.Join("\n  ", result.Problems);
        if (expected is null && result.Problems.Count != 0)
        {
            return $"{fault}: expected no problem, got:\n  {got}";
        }
        if (expected is not null && !result.Problems.Any(p => p.StartsWith(expected, StringComparison.Ordinal)))
        {
            return $"{fault}: expected a problem starting '{expected}', got:\n  {got}";
        }
        if (fault == "tolerated-loader" &&
            !(result.Tolerated.Any(t => t.StartsWith("blocked script https://cdnjs.example.invalid/require.min.js", StringComparison.Ordinal)) &&
              result.Tolerated.Any(t => t.StartsWith("console error: Failed to load resource", StringComparison.Ordinal))))
        {
            return $"{fault}: the blocked loader and its console error should be listed as tolerated, got:\n  " + string.Join("\n  ", result.Tolerated);
        }
        if (shots is not null && !(File.Exists(Path.Combine(shots, "page.png")) && File.Exists(Path.Combine(shots, "fig-a.png")) && File.Exists(Path.Combine(shots, "fig-b.png"))))
        {
            return $"{fault}: screenshots missing";
        }
        return null;
    }

    private static string Page(string fault)
    {
        string a = string.Format(Figure, "fig-a", "");
        string b = string.Format(Figure, "fig-b", "");
        string head = "";
        string body = a + b;
        switch (fault)
        {
            case "clean":
                break;
            case "console-error":
                head = "<script>console.error('boom');</script>";
                break;
            case "console-warning":
                head = "<script>console.warn('careful');</script>";
                break;
            case "script-error":
                head = "<script>null.figure();</script>";
                break;
            case "csp-violation":
                head = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"><script>document.title = 'x';</script>";
                break;
            case "external-image":
                body += "<img src=\"https://example.invalid/a.png\" alt=\"\">";
                break;
            case "file-beside-page":
                head = "<link rel=\"stylesheet\" href=\"style.css\">";
                break;
            case "missing-figure":
                body = a;
                break;
            case "extra-figure":
                body = a + b + string.Format(Figure, "fig-c", "");
                break;
            case "swapped-figures":
                body = b + a;
                break;
            case "hidden-figure":
                body = a + string.Format(Figure, "fig-b", " style=\"display:none\"");
                break;
            case "collapsed-figure":
                body = a + string.Format(Figure, "fig-b", " style=\"height:0;overflow:hidden;margin:0\"");
                break;
            case "no-svg":
                body = a + "<figure id=\"fig-b\"><p>no drawing</p><figcaption>Figure fig-b</figcaption></figure>";
                break;
            case "zero-size-svg":
                body = a + b.Replace("width=\"300\" height=\"120\"", "width=\"0\" height=\"0\"", StringComparison.Ordinal);
                break;
            case "invisible-svg":
                body = a + b.Replace("<svg ", "<svg style=\"visibility:hidden\" ", StringComparison.Ordinal);
                break;
            case "off-page-figure":
                body = a + string.Format(Figure, "fig-b", " style=\"position:relative;left:1100px\"");
                break;
            case "untolerated-script":
                head = "<script src=\"https://cdn.example.invalid/plot.js\"></script>";
                break;
            case "tolerated-loader":
                head = "<script src=\"https://cdnjs.example.invalid/require.min.js\"></script>";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "no such fault");
        }
        return $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{fault}</title>{head}</head><body>{body}</body></html>";
    }
}
