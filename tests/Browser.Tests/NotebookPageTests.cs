using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Browser.Tests;

/// <summary>
/// <c>notebooks/ser.ipynb</c> as committed (outputs included), rendered with nbconvert's default HTML exporter (the
/// command a reader runs), in Chromium: its ten <c>figure.ser-fig</c> figures on screen with SVGs of non-zero size,
/// no console error, no script error. Screenshots stay in <c>bin/…/browser-check/notebook/</c>, the rendered page
/// beside them.
/// </summary>
/// <remarks>
/// The page asks for scripts it does not need for its figures: the exporter's template loads require.js and MathJax
/// (Debian's template from <c>/usr/share/javascript</c>, upstream's from a CDN), and the first cell's output carries
/// the .NET Interactive kernel's bootstrap, which loads require.js from cdnjs to reach a running kernel. Every request
/// outside the page is blocked; those loaders alone are tolerated (listed in the test output), anything else is a
/// problem, and the figures must pass without them.
/// </remarks>
[Collection(BrowserCollection.Name)]
public sealed class NotebookPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    /// <summary>Figures the notebook draws (as in Notebook.Tests).</summary>
    private const int ExpectedFigures = 10;

    private static readonly TimeSpan NbconvertTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RenderedNotebookLoadsCleanWithEveryFigureVisible()
    {
        string notebook = Path.Combine(RepoPaths.Root, "notebooks", "ser.ipynb");
        Assert.True(File.Exists(notebook), $"'{notebook}' is missing");
        string[] ids = FigureIdsInOutputs(notebook);
        Assert.Equal(ExpectedFigures, ids.Length);

        string checkFolder = Path.Combine(AppContext.BaseDirectory, "browser-check");
        Directory.CreateDirectory(checkFolder);
        string html = Path.Combine(checkFolder, "notebook.html");
        File.Delete(html);
        var clock = Stopwatch.StartNew();
        RenderToHtml(notebook, checkFolder, "notebook");
        output.WriteLine($"nbconvert: {clock.Elapsed.TotalSeconds:0.0} s");

        clock.Restart();
        string folder = Path.Combine(checkFolder, "notebook");
        PageCheckResult result = await PageCheck.RunAsync(browser.Browser, html, new("figure.ser-fig", ids), folder, ScriptLoaderNotNeeded);
        output.WriteLine($"browser check: {clock.Elapsed.TotalSeconds:0.0} s; screenshots in {folder}");
        output.WriteLine(string.Join("\n", result.Log));
        output.WriteLine("tolerated:\n" + string.Join("\n", result.Tolerated));
        Assert.True(result.Problems.Count == 0, "the rendered notebook in Chromium:\n" + string.Join("\n", result.Problems));
    }

    /// <summary>
    /// The loaders the page asks for and its figures do not need: require.js (nbconvert's template, the .NET Interactive
    /// bootstrap) and MathJax (nbconvert's template; the notebook has no maths). Any other request is a problem.
    /// </summary>
    internal static string? ScriptLoaderNotNeeded(IRequest request)
    {
        if (request.ResourceType != "script")
        {
            return null;
        }
        string path = new Uri(request.Url).AbsolutePath;
        return Path.GetFileName(path) switch
        {
            "require.min.js" or "require.js" => "require.js loader (nbconvert template or .NET Interactive kernel bootstrap); no figure uses it",
            "MathJax.js" => "MathJax (nbconvert template); the notebook has no maths",
            _ => null,
        };
    }

    /// <summary>The ids of the <c>figure.ser-fig</c> elements in the notebook's saved HTML outputs, in order.</summary>
    private static string[] FigureIdsInOutputs(string notebook)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(notebook));
        var ids = new List<string>();
        foreach (JsonElement cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            if (!cell.TryGetProperty("outputs", out JsonElement outputs))
            {
                continue;
            }
            foreach (JsonElement o in outputs.EnumerateArray())
            {
                if (o.TryGetProperty("data", out JsonElement data) && data.TryGetProperty("text/html", out JsonElement html))
                {
                    string text = html.ValueKind == JsonValueKind.Array ? string.Concat(html.EnumerateArray().Select(l => l.GetString())) : html.GetString()!;
                    ids.AddRange(Regex.Matches(text, "<figure class=\"ser-fig\" id=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
                }
            }
        }
        return [.. ids];
    }

    /// <summary>Runs <c>jupyter nbconvert --to html</c>; a missing Jupyter fails with what to install.</summary>
    private static void RenderToHtml(string notebook, string outputFolder, string outputName)
    {
        var start = new ProcessStartInfo("jupyter")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["nbconvert", "--to", "html", notebook, "--output-dir", outputFolder, "--output", outputName])
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("`jupyter` is not on PATH: install jupyter-nbconvert (./setup.sh does)", e);
        }
        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(NbconvertTimeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"nbconvert did not finish within {NbconvertTimeout.TotalSeconds} s");
            }
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"nbconvert exited with {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
        }
    }
}
