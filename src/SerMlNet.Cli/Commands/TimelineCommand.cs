using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SerMlNet.Evaluation.Reporting;
using SerMlNet.Onnx;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Onnx.Recognition.Timelines;
using Spectre.Console;

namespace SerMlNet.Cli.Commands;

/// <summary>
/// <c>ser timeline &lt;wav&gt; -o timeline.html [--csv t.csv] [--json t.json] [--model m.onnx] [--smoothing N]</c>: the
/// emotion of a recording of any length over time, read front to back in bounded memory
/// (<see cref="TimelineRecognition"/>), drawn as one self-contained HTML page (<see cref="TimelinePage"/>) and
/// optionally written as CSV and JSON. A progress bar runs on a terminal.
/// </summary>
public static class TimelineCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The <c>timeline</c> command.</returns>
    public static Command Create()
    {
        var wav = new Argument<string>("wav") { Description = "A WAV file of any length (any rate, mono or stereo, PCM or float)." };
        var output = new Option<string>("--output", "-o") { Description = "The HTML page (one figure, self-contained).", Required = true };
        var csv = new Option<string?>("--csv") { Description = "Also write the timeline as CSV (format sermlnet.timeline 1), one row per window." };
        var json = new Option<string?>("--json") { Description = "Also write the timeline as JSON (format sermlnet.timeline 1): windows, segments, overall." };
        var model = new Option<string>("--model", "-m") { Description = "An exported model (model.onnx or model-e2e.onnx).", DefaultValueFactory = _ => "artifacts/model.onnx" };
        var ep = new Option<string>("--ep") { Description = "ONNX Runtime execution provider: cpu, cuda or auto.", DefaultValueFactory = _ => "cpu" };
        ep.AcceptOnlyFromAmong([.. ExecutionProviderNames.All]);
        var smoothing = new Option<int>("--smoothing")
        {
            Description = "Windows on each side averaged into each window's smoothed label (0: none).",
            DefaultValueFactory = _ => new TimelineOptions().SmoothingRadius,
        };
        var command = new Command("timeline", "Draw the emotion of a long recording over time (windows of about 3 s, 1.5 s apart, smoothed over neighbours) as one HTML figure, with optional CSV and JSON.")
        {
            wav, output, csv, json, model, ep, smoothing,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(wav)!;
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"'{path}' does not exist (expected a WAV file)", path);
            }
            var options = new TimelineOptions { SmoothingRadius = parse.GetValue(smoothing) };
            string modelPath = parse.GetValue(model)!;
            using EmotionRecognizer recognizer = EmotionRecognizer.Open(modelPath, new OnnxModelOptions
            {
                ExecutionProvider = ExecutionProviderNames.Parse(parse.GetValue(ep)!),
                IntraOpThreads = Environment.ProcessorCount,
                AllowThreadSpinning = false,
            });
            long started = Stopwatch.GetTimestamp();
            Timeline timeline = ConsoleProgress.Run($"scoring {Path.GetFileName(path)} (seconds of audio)", sink => TimelineRecognition.RecognizeFile(recognizer, path, options, sink));
            double elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            string html = parse.GetValue(output)!;
            TimelinePage.Write(html, timeline, Path.GetFileName(modelPath));
            var written = new List<string> { html };
            if (parse.GetValue(csv) is { Length: > 0 } csvPath)
            {
                TimelineCsv.Write(csvPath, timeline);
                written.Add(csvPath);
            }
            if (parse.GetValue(json) is { Length: > 0 } jsonPath)
            {
                TimelineJson.Write(jsonPath, timeline);
                written.Add(jsonPath);
            }
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{path}: {timeline.DurationSeconds:F1} s, {timeline.Entries.Count} windows, {timeline.Segments.Count} segments; overall {timeline.Overall.Label} {timeline.Overall.Confidence * 100:F1} %; scored in {elapsed:F1} s (real-time factor {elapsed / timeline.DurationSeconds:F4})")));
            AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(string.Join(", ", written))}[/]");
            return 0;
        });
        return command;
    }
}
