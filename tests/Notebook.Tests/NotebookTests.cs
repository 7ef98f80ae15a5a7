using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Notebook.Tests;

/// <summary>
/// Re-executes <c>notebooks/ser.ipynb</c> headless on the .NET (C#) Jupyter kernel (<c>./setup.sh</c> installs Jupyter
/// and registers the kernel from <c>.config/dotnet-tools.json</c>), fails on any cell error, renders it to HTML and
/// counts its figures.
/// </summary>
public sealed class NotebookTests(ITestOutputHelper output)
{
    /// <summary>Figures the notebook draws: each is one <c>&lt;figure class="ser-fig"&gt;</c> of ScottPlot SVGs.</summary>
    private const int ExpectedFigures = 10;

    private const string FigureMarker = "<figure class=\"ser-fig\"";

    [Fact]
    public void NotebookExecutesHeadlessWithoutErrorsAndRendersItsFigures()
    {
        string notebooks = Path.Combine(RepoPaths.Root, "notebooks");
        string notebook = Path.Combine(notebooks, "ser.ipynb");
        Assert.True(File.Exists(notebook), $"'{notebook}' is missing");
        string assemblies = Path.Combine(RepoPaths.Root, "src", "SerMlNet.Cli", "bin", "Release", "net10.0", "SerMlNet.Evaluation.dll");
        Assert.True(File.Exists(assemblies), $"'{assemblies}' is missing: the notebook references the Release build; run 'dotnet build SerMlNet.sln -c Release' (./setup.sh does)");
        _ = RepoPaths.Shared; // throws with what is missing when ../shared is absent

        using TempFolder temp = RepoPaths.NewTempFolder();
        var clock = Stopwatch.StartNew();
        Run(notebooks, "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=.net-csharp",
            "--ExecutePreprocessor.timeout=600", "ser.ipynb", "--output-dir", temp.Path, "--output", "executed.ipynb");
        TimeSpan executed = clock.Elapsed;
        string executedPath = Path.Combine(temp.Path, "executed.ipynb");

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(executedPath));
        var errors = new List<string>();
        int figures = 0;
        int index = 0;
        foreach (JsonElement cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            index++;
            if (!cell.TryGetProperty("outputs", out JsonElement outputs))
            {
                continue;
            }
            foreach (JsonElement o in outputs.EnumerateArray())
            {
                string type = o.GetProperty("output_type").GetString()!;
                if (type == "error")
                {
                    errors.Add($"cell {index}: {o.GetProperty("ename").GetString()}: {o.GetProperty("evalue").GetString()}");
                }
                else if (o.TryGetProperty("data", out JsonElement data) && data.TryGetProperty("text/html", out JsonElement html))
                {
                    string text = html.ValueKind == JsonValueKind.Array ? string.Concat(html.EnumerateArray().Select(l => l.GetString())) : html.GetString()!;
                    figures += Regex.Matches(text, Regex.Escape(FigureMarker)).Count;
                }
            }
        }
        Assert.True(errors.Count == 0, "notebook cell errors:\n" + string.Join("\n", errors));

        clock.Restart();
        Run(temp.Path, "--to", "html", "executed.ipynb", "--output-dir", temp.Path, "--output", "ser.html");
        string page = File.ReadAllText(Path.Combine(temp.Path, "ser.html"));
        int htmlFigures = Regex.Matches(page, Regex.Escape(FigureMarker)).Count;
        int svgs = Regex.Matches(page, "<svg[ >]").Count;

        output.WriteLine($"notebooks/ser.ipynb executed headless in {executed.TotalSeconds:0.0} s (kernel start included); HTML in {clock.Elapsed.TotalSeconds:0.0} s; {figures} figures ({svgs} SVGs in the HTML)");
        Console.WriteLine($"notebook: executed in {executed.TotalSeconds:0.0} s, {figures} figures");
        Assert.Equal(ExpectedFigures, figures);
        Assert.Equal(ExpectedFigures, htmlFigures);
        Assert.True(svgs >= ExpectedFigures, $"the HTML holds {svgs} SVGs, fewer than {ExpectedFigures} figures");
    }

    /// <summary>Runs <c>jupyter nbconvert</c>; a missing Jupyter or kernel fails with what to install.</summary>
    private static void Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("jupyter") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("nbconvert");
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "'jupyter' is not on PATH: install jupyter-nbconvert, jupyter-client and python3-ipykernel (apt-get; ./setup.sh does) and register the kernel ('dotnet tool restore', 'dotnet dotnet-interactive jupyter install')", e);
        }
        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("jupyter nbconvert ran over 10 minutes");
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                string err = stderr.Result;
                string hint = err.Contains("No such kernel", StringComparison.Ordinal)
                    ? "\nThe .net-csharp kernel is not registered: run ./setup.sh (dotnet tool restore; dotnet dotnet-interactive jupyter install --path ~/.local/share/jupyter/kernels)."
                    : string.Empty;
                string tail = err.Length > 6000 ? err[^6000..] : err;
                throw new InvalidOperationException($"jupyter nbconvert {string.Join(' ', arguments)} exited {process.ExitCode}:{hint}\n{tail}\n{stdout.Result}");
            }
        }
    }
}
