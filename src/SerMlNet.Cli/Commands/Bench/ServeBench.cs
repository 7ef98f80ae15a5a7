using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Serving.Load;

namespace SerMlNet.Cli.Commands.Bench;

/// <summary>
/// <c>ser bench serve</c>: the load test of <c>ser serve</c> on loopback. Starts <c>ser serve --port 0</c> as a separate
/// process (or uses <c>--url</c> and <c>--pid</c> of a running one), posts the same 3-s clip to <c>/v1/recognize</c>
/// over N connections with <see cref="LoadTest"/>, bounded by a request count and a time limit, and prints sustained
/// requests/s, p50/p90/p99/max latency, errors, and the server's resident memory (VmRSS) at start, after the warm-up
/// requests (the "before" figure), every 1,000 requests and after the last, with its peak (VmHWM), plus whether the server process maps any libtorch, TorchSharp or ML.NET file.
/// </summary>
public static class ServeBench
{
    /// <summary>Builds the command.</summary>
    /// <returns>The <c>serve</c> benchmark command.</returns>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The model the started server serves.", DefaultValueFactory = _ => Path.Combine("artifacts", "model.onnx") };
        var clip = new Option<string?>("--clip") { Description = "The WAV posted; default RAVDESS Actor_01/03-01-05-01-01-01-01.wav (16 kHz) under --shared." };
        var seconds = new Option<double>("--seconds") { Description = "Length of the posted clip: the clip's first seconds (zero-padded if shorter).", DefaultValueFactory = _ => 3.0 };
        var requests = new Option<int>("--requests") { Description = "Timed requests.", DefaultValueFactory = _ => 10_000 };
        var connections = new Option<int>("--connections") { Description = "Requests in flight at once.", DefaultValueFactory = _ => 4 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed requests first.", DefaultValueFactory = _ => 200 };
        var timeLimit = new Option<double>("--time-limit") { Description = "Seconds after which the timed part stops, finished or not.", DefaultValueFactory = _ => 900.0 };
        var concurrency = new Option<int>("--max-concurrency") { Description = "The started server's --max-concurrency; default its own (the number of cores)." };
        var url = new Option<string?>("--url") { Description = "Load a server already running at this base URL (e.g. http://127.0.0.1:5080/) instead of starting one." };
        var pid = new Option<int?>("--pid") { Description = "With --url: the server's process id, for its memory." };
        var shared = BenchEnvironment.SharedOption("The shared data folder; default $SERMLNET_SHARED or ../shared.");
        var command = new Command("serve", "Load test of 'ser serve' on loopback: requests/s, p50/p99 latency, errors and server memory over N requests of a 3-s clip.");
        foreach (Option option in new Option[] { model, clip, seconds, requests, connections, warmup, timeLimit, concurrency, url, pid, shared })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parse, cancellationToken) => await RunAsync(new Settings(
            parse.GetValue(model)!, parse.GetValue(clip), parse.GetValue(seconds), parse.GetValue(requests), parse.GetValue(connections),
            parse.GetValue(warmup), parse.GetValue(timeLimit), parse.GetResult(concurrency) is null ? null : parse.GetValue(concurrency),
            parse.GetValue(url), parse.GetValue(pid), parse.GetValue(shared)!), cancellationToken).ConfigureAwait(false));
        return command;
    }

    private sealed record Settings(
        string Model, string? Clip, double Seconds, int Requests, int Connections, int Warmup, double TimeLimit, int? MaxConcurrency,
        string? Url, int? Pid, string Shared);

    private static async Task<int> RunAsync(Settings s, CancellationToken cancellationToken)
    {
        if (!(s.Seconds > 0 && s.Seconds <= 600) || !(s.TimeLimit > 0 && s.TimeLimit <= 86_400))
        {
            throw new UsageException("--seconds must be in (0, 600] and --time-limit in (0, 86400]");
        }
        if (s.Pid is not null && s.Url is null)
        {
            throw new UsageException("--pid goes with --url");
        }
        string clipPath = s.Clip ?? Path.Combine(s.Shared, "data", "ravdess-16k", "Actor_01", "03-01-05-01-01-01-01.wav");
        AudioSignal audio = WavFile.Read(clipPath);
        int length = (int)Math.Round(s.Seconds * audio.SampleRate);
        var samples = new float[length];
        audio.Samples.AsSpan(0, Math.Min(length, audio.Samples.Length)).CopyTo(samples);
        using var body = new MemoryStream();
        WavFile.Write(body, samples, audio.SampleRate, WavSampleFormat.Pcm16);

        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {BenchEnvironment.CpuModel()}, load average {BenchEnvironment.LoadAverage()} at start");
        Console.WriteLine($"clip: {clipPath}, first {s.Seconds:0.###} s at {audio.SampleRate} Hz, 16-bit mono ({body.Length:N0} bytes)");
        using Server server = s.Url is null ? Server.Start(s.Model, s.MaxConcurrency) : Server.Attach(new Uri(s.Url), s.Pid);
        Console.WriteLine($"server: {server.Describe()}");
        long? atStart = server.Rss();
        var load = new LoadTestOptions
        {
            Endpoint = new Uri(server.BaseAddress, "v1/recognize"),
            Body = body.ToArray(),
            Requests = Math.Max(1, s.Warmup),
            Connections = s.Connections,
            WarmUpRequests = 0,
            TimeLimit = TimeSpan.FromSeconds(s.TimeLimit),
        };
        LoadTestResult warm = await LoadTest.RunAsync(load, cancellationToken).ConfigureAwait(false);
        long? before = server.Rss();
        Console.WriteLine($"server RSS: {Mib(atStart)} at start, {Mib(before)} after {warm.Requests} warm-up requests ({warm.Errors} errors)");

        long? firstThousand = null;
        LoadTestResult result = await LoadTest.RunAsync(load with
        {
            Requests = s.Requests,
            ProgressEvery = 1_000,
            Progress = (done, elapsed) =>
            {
                long? rss = server.Rss();
                firstThousand ??= rss;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done,6} requests  {elapsed.TotalSeconds,6:F1} s  RSS {Mib(rss)}"));
            },
        }, cancellationToken).ConfigureAwait(false);
        long? after = server.Rss();

        Console.WriteLine();
        Console.WriteLine($"{result.Requests:N0} requests of a {s.Seconds:0.###}-s clip to POST /v1/recognize over {s.Connections} connections, after {s.Warmup} warm-up requests"
            + (result.TimedOut ? $" (stopped by the {s.TimeLimit:0} s time limit)" : string.Empty));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  throughput: {result.RequestsPerSecond:F1} requests/s sustained ({result.Elapsed.TotalSeconds:F1} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  latency: p50 {result.P50Ms:F2} ms, p90 {result.P90Ms:F2} ms, p99 {result.P99Ms:F2} ms, max {result.MaxMs:F2} ms, mean {result.MeanMs:F2} ms"));
        Console.WriteLine($"  errors: {result.Errors}{(result.ErrorSamples.Count > 0 ? $" (first: {string.Join("; ", result.ErrorSamples)})" : string.Empty)}");
        Console.WriteLine($"  server RSS: {Mib(before)} before, {Mib(firstThousand)} after the first 1,000, {Mib(after)} after the last (change {Mib(after - before)}); peak {Mib(server.PeakRss())}");
        Console.WriteLine($"  server maps TorchSharp/libtorch/ML.NET: {server.MapsTrainingLibraries()}");
        Console.WriteLine($"load average at end: {BenchEnvironment.LoadAverage()}");
        return result.Errors == 0 && !result.TimedOut ? CliRunner.ExitSuccess : CliRunner.ExitFailure;
    }

    private static string Mib(long? bytes) => bytes is long b ? string.Create(CultureInfo.InvariantCulture, $"{b / 1048576.0:F1} MiB") : "n/a";

    /// <summary>The server under load: a child <c>ser serve</c> this command started, or one given by URL and pid.</summary>
    private sealed class Server : IDisposable
    {
        private readonly Process? _child;
        private readonly int? _pid;

        private Server(Uri baseAddress, int? pid, Process? child)
        {
            BaseAddress = baseAddress;
            _pid = pid;
            _child = child;
        }

        public Uri BaseAddress { get; }

        public static Server Attach(Uri url, int? pid) => new(url, pid, null);

        /// <summary>Starts <c>ser serve --port 0</c> with this very <c>ser</c> and waits for its "listening on" line.</summary>
        public static Server Start(string model, int? maxConcurrency)
        {
            string self = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
            var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                psi.ArgumentList.Add(typeof(ServeBench).Assembly.Location);
            }
            foreach (string arg in new[] { "serve", "--port", "0", "--model", model })
            {
                psi.ArgumentList.Add(arg);
            }
            if (maxConcurrency is int n)
            {
                psi.ArgumentList.Add("--max-concurrency");
                psi.ArgumentList.Add(n.ToString(CultureInfo.InvariantCulture));
            }
            Process child = Process.Start(psi) ?? throw new InvalidOperationException("ser serve did not start");
            _ = child.StandardError.ReadToEndAsync();
            Task<string?> first = child.StandardOutput.ReadLineAsync();
            if (!first.Wait(TimeSpan.FromSeconds(60)) || first.Result is not { } line || line.IndexOf("listening on ", StringComparison.Ordinal) is var at && at < 0)
            {
                child.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"ser serve did not say where it listens within 60 s (first line: '{(first.IsCompleted ? first.Result : null)}')");
            }
            string rest = line[(at + "listening on ".Length)..];
            string address = rest[..rest.IndexOf(' ', StringComparison.Ordinal)];
            _ = DrainAsync(child.StandardOutput);
            return new Server(new Uri(address), child.Id, child);
        }

        public long? Rss() => _pid is int pid ? ProcessMemory.ResidentBytes(pid) : null;

        public long? PeakRss() => _pid is int pid ? ProcessMemory.PeakResidentBytes(pid) : null;

        public string Describe() => _child is not null
            ? $"ser serve started as pid {_child.Id} at {BaseAddress}"
            : $"{BaseAddress}{(_pid is int pid ? $" (pid {pid})" : " (no pid: memory not measured)")}";

        /// <summary>Whether the server's memory maps name a training-side file (from <c>/proc/&lt;pid&gt;/maps</c>).</summary>
        public string MapsTrainingLibraries()
        {
            if (_pid is not int pid)
            {
                return "n/a";
            }
            try
            {
                string[] found = [.. File.ReadLines($"/proc/{pid}/maps")
                    .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    .Where(p => p.Length >= 6)
                    .Select(p => Path.GetFileName(p[5]))
                    .Where(f => f.Contains("torch", StringComparison.OrdinalIgnoreCase) || f.StartsWith("SerMlNet.Training", StringComparison.Ordinal)
                        || (f.StartsWith("Microsoft.ML", StringComparison.Ordinal) && !f.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal)))
                    .Distinct()];
                return found.Length == 0 ? "none" : string.Join(", ", found);
            }
            catch (IOException)
            {
                return "n/a";
            }
        }

        public void Dispose()
        {
            if (_child is { HasExited: false })
            {
                _child.Kill(entireProcessTree: true);
                _child.WaitForExit(10_000);
            }
            _child?.Dispose();
        }

        private static async Task DrainAsync(StreamReader output)
        {
            while (await output.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Console.WriteLine($"  [server] {line}");
            }
        }
    }
}
