using System.CommandLine;
using SerMlNet.Cli;

namespace SerMlNet.Predict;

/// <summary>
/// Entry point of the Predict console: <c>Predict --wav &lt;file|folder|-&gt; [--model artifacts/model.onnx]
/// [--ep cpu|cuda|auto] [--json] [--top K] [--bench N] [--stream]</c>. Exit codes: 0 success, 1 a file or the model failed, 2 a
/// wrong command line. Errors are one line on standard error, never a stack trace (set <c>SERMLNET_DEBUG=1</c> for one).
/// </summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The process exit code.</returns>
    public static int Main(string[] args) => CliRunner.Run(PredictCommand.Create(), args, "Predict");
}
