using System.CommandLine;
using SerMlNet.Training.Export;
using Spectre.Console;

namespace SerMlNet.Cli.Commands;

/// <summary>
/// <c>ser export --run runs/&lt;name&gt; -o artifacts/model.onnx [--e2e artifacts/model-e2e.onnx]</c>: writes the run's
/// best weights as an ONNX model (opset 17, input <c>log_mel</c> [N,1,n_mels,frames]) and optionally the end-to-end
/// variant (input raw PCM [N,samples]), both with labels, the fitted pipeline and the metrics in their metadata.
/// </summary>
public static class ExportCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The <c>export</c> command.</returns>
    public static Command Create()
    {
        var run = new Option<string>("--run", "-r") { Description = "A run folder written by 'ser train'.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Destination of the log-Mel model.", DefaultValueFactory = _ => "artifacts/model.onnx" };
        var e2e = new Option<string?>("--e2e") { Description = "Also write the end-to-end model (raw PCM in, STFT/Mel/dB/normalisation in the graph) here." };
        var command = new Command("export", "Export a trained run to ONNX (model.onnx and optionally model-e2e.onnx).") { run, output, e2e };
        command.SetAction(parse =>
        {
            string model = parse.GetValue(output)!;
            string? endToEnd = parse.GetValue(e2e);
            SerCnnExport.ExportRun(parse.GetValue(run)!, model, endToEnd);
            AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(model)}[/]{(endToEnd is null ? string.Empty : $" and [bold]{Markup.Escape(endToEnd)}[/]")}");
            return 0;
        });
        return command;
    }
}
