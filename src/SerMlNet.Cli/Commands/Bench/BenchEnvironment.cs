using System.CommandLine;

namespace SerMlNet.Cli.Commands.Bench;

/// <summary>What every benchmark command shares: the <c>--shared</c> data option, the machine's load and CPU.</summary>
internal static class BenchEnvironment
{
    /// <summary>The <c>--shared</c> option: the shared data folder, default <c>$SERMLNET_SHARED</c> or <c>../shared</c>.</summary>
    /// <param name="description">The option's help text.</param>
    /// <returns>A new option.</returns>
    public static Option<string> SharedOption(string description) => new("--shared")
    {
        Description = description,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SERMLNET_SHARED") is { Length: > 0 } env ? env : Path.Combine("..", "shared"),
    };

    /// <summary>The 1, 5 and 15 minute load averages from <c>/proc/loadavg</c>, or "unknown".</summary>
    /// <returns>Three numbers separated by spaces.</returns>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The CPU's model name from <c>/proc/cpuinfo</c>, or the process architecture where it cannot be read.</summary>
    /// <returns>E.g. "AMD EPYC 7763 64-Core Processor".</returns>
    public static string CpuModel()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    return line[(line.IndexOf(':') + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }
}
