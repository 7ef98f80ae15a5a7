using System.CommandLine;
using SerMlNet.Serving;

namespace SerMlNet.Cli.Commands;

/// <summary>
/// <c>ser serve --model artifacts/model.onnx [--port 5080]</c>: runs <see cref="EmotionService"/> (ASP.NET Core on ONNX
/// Runtime) until Ctrl+C or SIGTERM. Prints one line, <c>ser serve: listening on http://127.0.0.1:5080/ (...)</c>, once
/// requests are accepted, and one line per request the service failed on (never for refused input).
/// </summary>
public static class ServeCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The <c>serve</c> command.</returns>
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "The SerMlNet ONNX model to serve.", DefaultValueFactory = _ => Path.Combine("artifacts", "model.onnx") };
        var host = new Option<string>("--host") { Description = "Address to listen on: 127.0.0.1 (loopback, the default), 0.0.0.0 for every interface.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port", "-p") { Description = "TCP port; 0 picks a free one (printed).", DefaultValueFactory = _ => ServeOptions.DefaultPort };
        var maxBody = new Option<int>("--max-body-mb") { Description = "Largest request body in MiB; larger ones get 413.", DefaultValueFactory = _ => (int)(ServeOptions.DefaultMaxBodyBytes / (1024 * 1024)) };
        var readTimeout = new Option<double>("--read-timeout") { Description = "Seconds an upload may stall before it gets 408.", DefaultValueFactory = _ => 10.0 };
        var concurrency = new Option<int>("--max-concurrency") { Description = "Requests decoded and scored at once (the others wait); default the number of cores.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var streams = new Option<int>("--max-streams") { Description = "POST /v1/stream requests running at once; one more gets 503.", DefaultValueFactory = _ => 16 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime threads per network run; 1 (default) runs requests side by side, 0 is ONNX Runtime's choice.", DefaultValueFactory = _ => 1 };
        var command = new Command("serve", "Serve the model over HTTP: POST /v1/recognize (WAV in, Predict JSON out), POST /v1/stream (chunked WAV in, one JSON line per window out, as Predict --stream prints them), GET /healthz, and GET / (a page that listens to the microphone).")
        {
            model, host, port, maxBody, readTimeout, concurrency, streams, threads,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ServeOptions
            {
                ModelPath = parse.GetValue(model)!,
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                MaxBodyBytes = parse.GetValue(maxBody) * 1024L * 1024L,
                ReadTimeout = SecondsOrZero(parse.GetValue(readTimeout)),
                MaxConcurrentScoring = parse.GetValue(concurrency),
                MaxConcurrentStreams = parse.GetValue(streams),
                IntraOpThreads = parse.GetValue(threads),
                Log = line => Console.Out.WriteLine($"ser serve: {line}"),
            };
            await using EmotionService service = await EmotionService.StartAsync(options, cancellationToken).ConfigureAwait(false);
            await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            await service.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return CliRunner.ExitSuccess;
        });
        return command;
    }

    /// <summary>A duration in seconds; anything not positive and finite becomes zero, which validation reports.</summary>
    private static TimeSpan SecondsOrZero(double seconds) =>
        double.IsFinite(seconds) && seconds > 0 && seconds <= 86_400 ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
}
