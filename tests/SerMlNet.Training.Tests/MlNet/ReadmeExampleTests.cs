using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SerMlNet.Tests;

namespace SerMlNet.Training.Tests.MlNet;

/// <summary>
/// The README's ML.NET example ("Using it from C#") is <c>samples/MlNetPipeline/Program.cs</c> character for character;
/// it compiles with the solution and runs here in quick mode, in its own process: it composes SerMlNet's stages with
/// ML.NET's own, trains, evaluates with ML.NET's evaluator, saves model.onnx and model.zip, and loads model.zip in a
/// fresh MLContext.
/// </summary>
public partial class ReadmeExampleTests
{
    private static readonly string Program = Path.Combine(RepoPaths.Root, "samples", "MlNetPipeline", "Program.cs");

    [Fact]
    public void TheReadmesMlNetExampleIsTheSamplesProgramCharacterForCharacter()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")).ReplaceLineEndings("\n");
        string[] blocks = [.. CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value)];
        string program = File.ReadAllText(Program).ReplaceLineEndings("\n");
        Assert.Contains(program, blocks);
        // It is the first C# block of the README: the way in.
        Assert.Equal(program, blocks[0]);
    }

    [Fact]
    public async Task TheExampleTrainsEvaluatesSavesAndLoadsItsModelInQuickMode()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MlNetPipeline.dll"));
        psi.ArgumentList.Add(RepoPaths.Ravdess16k);
        psi.ArgumentList.Add(temp.Path);
        psi.ArgumentList.Add("--quick");
        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("the example did not finish within 5 minutes");
        }
        string output = await stdout, errors = await stderr;
        Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}: {errors}{output}");

        string[] lines = output.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Match metrics = MetricsLine().Match(lines[0]);
        Assert.True(metrics.Success, lines[0]);
        foreach (string group in (string[])["micro", "macro"])
        {
            Assert.InRange(double.Parse(metrics.Groups[group].Value, CultureInfo.InvariantCulture), 0, 1);
        }
        Assert.True(double.Parse(metrics.Groups["loss"].Value, CultureInfo.InvariantCulture) > 0);
        // model.zip (fresh MLContext) and model.onnx (Predict's recogniser) name the same emotion with the same confidence.
        Match answer = AnswerLine().Match(lines[1]);
        Assert.True(answer.Success, lines[1]);
        Assert.Equal(answer.Groups["zip"].Value, answer.Groups["onnx"].Value);
        Assert.Equal(answer.Groups["zipP"].Value, answer.Groups["onnxP"].Value);
        Assert.True(new FileInfo(Path.Combine(temp.Path, "model.onnx")).Length > 0);
        Assert.True(new FileInfo(Path.Combine(temp.Path, "model.zip")).Length > 0);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp*"));
    }

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"^fold1: micro accuracy (?<micro>[0-9.]+), macro accuracy (?<macro>[0-9.]+), log-loss (?<loss>[0-9.]+)$")]
    private static partial Regex MetricsLine();

    [GeneratedRegex(@"^03-01-\d\d-\d\d-\d\d-\d\d-\d\d\.wav: model\.zip (?<zip>[a-z]+) (?<zipP>[0-9.]+ %), model\.onnx (?<onnx>[a-z]+) (?<onnxP>[0-9.]+ %)$")]
    private static partial Regex AnswerLine();
}
