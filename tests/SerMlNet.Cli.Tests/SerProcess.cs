using System.Diagnostics;

namespace SerMlNet.Cli.Tests;

/// <summary>Runs the built <c>ser</c> (ser.dll beside the tests) as a separate process.</summary>
internal static class SerProcess
{
    /// <summary>Runs to completion.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args) => Run(TimeSpan.FromSeconds(120), args);

    /// <summary>Runs to completion within <paramref name="timeout"/>, else fails the test.</summary>
    public static (int Code, string Out, string Err) Run(TimeSpan timeout, params string[] args)
    {
        using Process p = Start(args);
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"ser did not finish within {timeout.TotalSeconds:F0} s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts the process with redirected output (the caller reads and disposes it).</summary>
    public static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ser.dll"));
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        return Process.Start(psi)!;
    }
}
