using System.CommandLine;

namespace SerMlNet.Cli.Commands.Bench;

/// <summary>What every benchmark command shares: the <c>--shared</c> data option and the machine's load.</summary>
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
}
