using System.Diagnostics;

namespace SerMlNet.Evaluation.Tests.Reporting;

/// <summary>Runs headless Chromium (Debian's <c>chromium</c>, installed by setup.sh) on a local file.</summary>
internal static class Chromium
{
    public const string DefaultPath = "/usr/bin/chromium";

    /// <summary>The executable; a missing browser is a failure with instructions, never a skip.</summary>
    public static string Executable()
    {
        string path = Environment.GetEnvironmentVariable("SERMLNET_CHROMIUM") is { Length: > 0 } env ? env : DefaultPath;
        Assert.True(File.Exists(path),
            $"Chromium is required to render the HTML report but '{path}' does not exist. Install it with `sudo apt-get install chromium` (setup.sh does this) or set SERMLNET_CHROMIUM.");
        return path;
    }

    /// <summary>Runs Chromium headless with a fresh profile and no network activity of its own, plus <paramref name="extra"/> arguments.</summary>
    /// <returns>Exit code, standard output and standard error.</returns>
    public static (int ExitCode, string Stdout, string Stderr) Run(string profileFolder, IEnumerable<string> extra, string url, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--force-device-scale-factor=1", $"--user-data-dir={profileFolder}",
            ])
        {
            start.ArgumentList.Add(arg);
        }
        foreach (string arg in extra)
        {
            start.ArgumentList.Add(arg);
        }
        start.ArgumentList.Add(url);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"chromium did not finish within {timeout.TotalSeconds} s; stderr: {stderr.Result}");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
