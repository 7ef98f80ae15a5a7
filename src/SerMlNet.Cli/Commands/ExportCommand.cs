using System.CommandLine;
using SerMlNet.ML.Saving;
using SerMlNet.Training.Export;
using Spectre.Console;

namespace SerMlNet.Cli.Commands;

/// <summary>
/// <c>ser export --run runs/&lt;name&gt; -o artifacts/model.onnx [--e2e artifacts/model-e2e.onnx] [--zip artifacts/model.zip | --no-zip]</c>: writes the run's
/// best weights as an ONNX model (opset 17, input <c>log_mel</c> [N,1,n_mels,frames]) and optionally the end-to-end
/// variant (input raw PCM [N,samples]), both with labels, the fitted pipeline and the metrics in their metadata; and
/// the saved ML.NET model of the log-Mel model (<c>--zip</c>, default <c>model.zip</c> beside it; <see cref="EmotionModelZip"/>).
/// Several runs (<c>-r a -r b</c> or <c>-r a b</c>), or one run of a seed ensemble (<c>training.ensembleSeeds</c>), export
/// as one ensemble model (<see cref="SerCnnExport.ExportRuns"/>).
/// </summary>
public static class ExportCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The <c>export</c> command.</returns>
    public static Command Create()
    {
        var run = new Option<string[]>("--run", "-r")
        {
            Description = "A run folder written by 'ser train' (a seed-ensemble run brings its members); several (same labels, front end and split, e.g. one job with other seeds) export as one ensemble averaging their probabilities.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--output", "-o") { Description = "Destination of the log-Mel model.", DefaultValueFactory = _ => "artifacts/model.onnx" };
        var e2e = new Option<string?>("--e2e") { Description = "Also write the end-to-end model (raw PCM in, STFT/Mel/dB/normalisation in the graph) here." };
        var zip = new Option<string?>("--zip") { Description = "Destination of the saved ML.NET model (default: the log-Mel model's path with .zip)." };
        var noZip = new Option<bool>("--no-zip") { Description = "Do not write the saved ML.NET model." };
        var command = new Command("export", "Export a trained run, or several as one ensemble, to ONNX (model.onnx, optionally model-e2e.onnx) and a saved ML.NET model (model.zip).") { run, output, e2e, zip, noZip };
        command.SetAction(parse =>
        {
            string model = parse.GetValue(output)!;
            string? endToEnd = parse.GetValue(e2e);
            string? mlNet = parse.GetValue(noZip) ? null : parse.GetValue(zip) ?? Path.ChangeExtension(model, ".zip");
            string[] runs = parse.GetValue(run)!;
            int networks = SerCnnExport.ExportRuns(runs, model, endToEnd);
            if (mlNet is not null)
            {
                EmotionModelZip.Save(model, mlNet);
            }
            string[] written = [model, .. endToEnd is null ? Array.Empty<string>() : [endToEnd], .. mlNet is null ? Array.Empty<string>() : [mlNet]];
            string what = networks == 1 ? "" : runs.Length == 1 ? $" (a seed ensemble of {networks} networks)" : $" (an ensemble of {networks} networks from {runs.Length} runs)";
            AnsiConsole.MarkupLine($"Wrote {string.Join(", ", written.Select(f => $"[bold]{Markup.Escape(f)}[/]"))}{what}");
            return 0;
        });
        return command;
    }
}
