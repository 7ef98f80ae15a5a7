using System.CommandLine;
using SerMlNet.Cli.Commands;

namespace SerMlNet.Cli;

/// <summary>Entry point of the <c>ser</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>0 on success, 1 when the work failed, 2 when the command line was wrong.</returns>
    public static int Main(string[] args) => CliRunner.Run(BuildRoot(), args, "ser");

    /// <summary>Builds the command tree; one file under <c>Commands/</c> per sub-command.</summary>
    /// <returns>The root command.</returns>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("SerMlNet: speech emotion recognition for .NET (features, prepare, train, export, evaluate, report, serve).");
        foreach (Command command in AllCommands())
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    private static IEnumerable<Command> AllCommands()
    {
        yield return BenchCommand.Create();
        yield return FeaturesCommand.Create();
        yield return PrepareCommand.Create();
        yield return TrainCommand.Create();
        yield return ExportCommand.Create();
        yield return EvaluateCommand.Create();
        yield return ReportCommand.Create();
        yield return TimelineCommand.Create();
        yield return ServeCommand.Create();
    }
}
