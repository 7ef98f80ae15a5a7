using System.CommandLine;

namespace SerMlNet.Cli.Commands;

/// <summary>
/// <c>ser bench &lt;name&gt;</c>: the project's speed and memory measurements. Each benchmark is one file under
/// <c>Commands/Bench/</c> and prints the figures an issue asks for, with the machine it ran on.
/// </summary>
public static class BenchCommand
{
    /// <summary>Builds the <c>bench</c> command group.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var bench = new Command("bench", "Measure speed, memory and accuracy figures (resampler, features, training step, inference latency, the HTTP service under load).");
        foreach (Command command in Benchmarks())
        {
            bench.Subcommands.Add(command);
        }
        return bench;
    }

    private static IEnumerable<Command> Benchmarks()
    {
        yield return Bench.ResamplerBench.Create();
        yield return Bench.TrainStepBench.Create();
        yield return Bench.LatencyBench.Create();
        yield return Bench.NWavesBench.Create();
        yield return Bench.LongWavBench.Create();
        yield return Bench.ServeBench.Create();
        yield return Bench.MlNetBench.Create();
        yield return Bench.MlNetFeaturesBench.Create();
    }
}
