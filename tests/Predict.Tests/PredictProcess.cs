using System.Diagnostics;
using SerMlNet.Tests;

namespace SerMlNet.Predict.Tests;

/// <summary>Runs a Predict build as a separate process: the JIT build beside the tests, or the Native AOT executable.</summary>
internal static class PredictProcess
{
    /// <summary>The command that publishes the Native AOT executable (what ./setup.sh runs).</summary>
    public const string AotPublishCommand = "dotnet publish src/Predict -c Release";

    /// <summary>The JIT build: <c>dotnet Predict.dll</c> from the tests' output folder (the project reference copies it).</summary>
    public static string[] Jit => ["dotnet", Path.Combine(AppContext.BaseDirectory, "Predict.dll")];

    /// <summary>The folder <see cref="AotPublishCommand"/> publishes to (Predict.csproj's PublishDir).</summary>
    public static string AotFolder => Path.Combine(RepoPaths.Root, "out", "predict-aot");

    /// <summary>The Native AOT executable; the test fails, naming the command that builds it, when it is missing.</summary>
    public static string[] Aot
    {
        get
        {
            string executable = Path.Combine(AotFolder, "Predict");
            Assert.True(File.Exists(executable),
                $"the Native AOT Predict is missing at {executable}: build it with '{AotPublishCommand}' in {RepoPaths.Root} (./setup.sh does)");
            return [executable];
        }
    }

    /// <summary>Runs a Predict build to its end.</summary>
    /// <param name="command">The program and its leading arguments (<see cref="Jit"/> or <see cref="Aot"/>).</param>
    /// <param name="workingDirectory">The working folder; null for the current one.</param>
    /// <param name="args">Predict's arguments.</param>
    /// <returns>Exit code, standard output and standard error.</returns>
    public static (int Code, string Out, string Err) Run(string[] command, string? workingDirectory, params string[] args) =>
        Run(command, workingDirectory, new Dictionary<string, string?>(), args);

    /// <summary>Runs a Predict build to its end with extra environment variables.</summary>
    /// <param name="command">The program and its leading arguments (<see cref="Jit"/> or <see cref="Aot"/>).</param>
    /// <param name="workingDirectory">The working folder; null for the current one.</param>
    /// <param name="environment">Variables to set (or replace) in the child's environment; a null value removes one.</param>
    /// <param name="args">Predict's arguments.</param>
    /// <returns>Exit code, standard output and standard error.</returns>
    public static (int Code, string Out, string Err) Run(string[] command, string? workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Run(command, workingDirectory, environment, null, args);

    /// <summary>Runs a Predict build to its end with bytes piped to its standard input (then closed).</summary>
    /// <param name="command">The program and its leading arguments (<see cref="Jit"/> or <see cref="Aot"/>).</param>
    /// <param name="stdin">What the child reads from standard input.</param>
    /// <param name="args">Predict's arguments.</param>
    /// <returns>Exit code, standard output and standard error.</returns>
    public static (int Code, string Out, string Err) RunWithInput(string[] command, byte[] stdin, params string[] args) =>
        Run(command, null, new Dictionary<string, string?>(), stdin, args);

    /// <summary>Starts a Predict build with its standard streams redirected, for a test that talks to it as it runs.</summary>
    /// <param name="command">The program and its leading arguments.</param>
    /// <param name="args">Predict's arguments.</param>
    /// <returns>The running process.</returns>
    public static Process Start(string[] command, params string[] args)
    {
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in command.Skip(1).Concat(args))
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Remove("SERMLNET_DEBUG");
        return Process.Start(psi)!;
    }

    private static (int Code, string Out, string Err) Run(string[] command, string? workingDirectory, IReadOnlyDictionary<string, string?> environment, byte[]? stdin, string[] args)
    {
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (string a in command.Skip(1).Concat(args))
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Remove("SERMLNET_DEBUG");
        foreach ((string name, string? value) in environment)
        {
            if (value is null)
            {
                psi.Environment.Remove(name);
            }
            else
            {
                psi.Environment[name] = value;
            }
        }
        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            try
            {
                p.StandardInput.BaseStream.Write(stdin);
                p.StandardInput.Close();
            }
            catch (IOException)
            {
                // The child stopped reading (it failed early); its exit code and stderr say why.
            }
        }
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{string.Join(' ', command)} did not finish within 120 s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
