using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SerMlNet.Training.Engine;
using SerMlNet.Training.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SerMlNet.Cli.Commands.Bench;

/// <summary>
/// <c>ser bench train-step</c>: time per training step of <see cref="SerCnn"/> on TorchSharp (libtorch 2.10), the C#
/// half of the side-by-side benchmark (the PyTorch half is <c>tests/benchmarks/torch_step.py</c>, same
/// architecture, data size, optimiser, loss and thread count; <c>scripts/bench-train-step.sh</c> runs both). Each step:
/// zero grad → forward (training mode) → cross-entropy with label smoothing → backward → AdamW step → loss value,
/// inside a dispose scope. Goal: our median ms/step ≤ 1.00 × PyTorch's.
/// </summary>
public static class TrainStepBench
{
    /// <summary>Goal of issue 9: C# time per step at most this multiple of PyTorch's.</summary>
    public const double GoalRatio = 1.00;

    /// <summary>Builds the command.</summary>
    /// <returns>The <c>train-step</c> benchmark command.</returns>
    public static Command Create()
    {
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads.", DefaultValueFactory = _ => 2 };
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 32 };
        var mels = new Option<int>("--mels") { Description = "Input height, Mel bands.", DefaultValueFactory = _ => 128 };
        var frames = new Option<int>("--frames") { Description = "Input width, frames.", DefaultValueFactory = _ => 300 };
        var channels = new Option<string>("--channels") { Description = "Channels of the 2-D blocks, comma-separated (default: the shipped job's).", DefaultValueFactory = _ => "16,32" };
        var temporalChannels = new Option<int>("--temporal-channels") { Description = "Channels of the time stage, 0 for none.", DefaultValueFactory = _ => 128 };
        var temporalBlocks = new Option<int>("--temporal-blocks") { Description = "1x3 time convolutions after the frequency-spanning one.", DefaultValueFactory = _ => 2 };
        var steps = new Option<int>("--steps") { Description = "Timed steps.", DefaultValueFactory = _ => 50 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first.", DefaultValueFactory = _ => 5 };
        var seed = new Option<long>("--seed") { Description = "Seed of weights, data and dropout.", DefaultValueFactory = _ => 0 };
        var compare = new Option<string?>("--compare") { Description = "JSON written by tests/benchmarks/torch_step.py --json: print both figures and the ratio." };
        var json = new Option<string?>("--json") { Description = "Also write our figures to this JSON file." };
        var command = new Command("train-step", "Time per SerCnn training step (AdamW, cross-entropy) on TorchSharp; compare with PyTorch (tests/benchmarks/torch_step.py).");
        foreach (Option option in new Option[] { threads, batch, mels, frames, channels, temporalChannels, temporalBlocks, steps, warmup, seed, compare, json })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => Run(new Settings(
            parse.GetValue(threads), parse.GetValue(batch), parse.GetValue(mels), parse.GetValue(frames), ParseChannels(parse.GetValue(channels)!),
            parse.GetValue(temporalChannels), parse.GetValue(temporalBlocks), parse.GetValue(steps), parse.GetValue(warmup), parse.GetValue(seed)), parse.GetValue(compare), parse.GetValue(json)));
        return command;
    }

    private sealed record Settings(int Threads, int Batch, int Mels, int Frames, int[] Channels, int TemporalChannels, int TemporalBlocks, int Steps, int Warmup, long Seed)
    {
        public const int Classes = 8;
        public const double Dropout = 0.3;
        public const double LearningRate = 1e-3;
        public const double WeightDecay = 1e-2;
        public const double LabelSmoothing = 0.1;
    }

    private static int Run(Settings s, string? compare, string? jsonPath)
    {
        if (s.Threads < 1 || s.Batch < 1 || s.Steps < 1 || s.Warmup < 0)
        {
            throw new UsageException("--threads, --batch and --steps must be >= 1 and --warmup >= 0");
        }
        TorchEngine.SetThreads(s.Threads);
        TorchEngine.ManualSeed(s.Seed);
        using var model = new SerCnn(new SerCnnOptions
        {
            Channels = s.Channels,
            TemporalChannels = s.TemporalChannels,
            TemporalBlocks = s.TemporalBlocks,
            InputMels = s.Mels,
            InputFrames = s.Frames,
            ClassCount = Settings.Classes,
            Dropout = Settings.Dropout,
        });
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), lr: Settings.LearningRate, weight_decay: Settings.WeightDecay);
        using Tensor x = randn([s.Batch, 1, s.Mels, s.Frames]);
        using Tensor y = randint(0, Settings.Classes, [s.Batch]);

        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {BenchEnvironment.LoadAverage()}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine($"c#: TorchSharp, libtorch {TorchEngine.LibTorchVersion}, {get_num_threads()} threads, heap-kept allocator {(TorchEngine.HeapKeptAllocator ? "on" : "OFF")}: batch {s.Batch}x1x{s.Mels}x{s.Frames}, channels {string.Join(",", s.Channels)}, time stage {s.TemporalChannels}x{s.TemporalBlocks}, {model.ParameterCount} parameters");
        for (int i = 0; i < s.Warmup; i++)
        {
            Step(model, optimizer, x, y);
        }
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        double[] times = new double[s.Steps];
        float loss = float.NaN;
        using Process process = Process.GetCurrentProcess();
        TimeSpan cpuStart = process.TotalProcessorTime;
        for (int i = 0; i < s.Steps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            loss = Step(model, optimizer, x, y);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuStart).TotalMilliseconds / s.Steps;
        if (DisposeScopeManager.Statistics.ThreadTotalLiveCount != live)
        {
            throw new InvalidOperationException($"tensors leaked during the timed steps ({live} -> {DisposeScopeManager.Statistics.ThreadTotalLiveCount})");
        }
        Figures ours = Figures.Of(times, cpu);
        Console.WriteLine($"c#: {s.Steps} steps: mean {ours.Mean:F1} ms/step, median {ours.Median:F1}, min {ours.Min:F1}; process CPU {ours.Cpu:F1} ms/step (final loss {loss:F6}; live tensors flat at {live})");
        if (jsonPath is not null)
        {
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["engine"] = "torchsharp", ["threads"] = get_num_threads(), ["batch"] = s.Batch, ["input"] = new[] { 1, s.Mels, s.Frames },
                ["channels"] = s.Channels, ["parameters"] = model.ParameterCount, ["steps"] = s.Steps, ["warmup"] = s.Warmup,
                ["mean_ms"] = ours.Mean, ["median_ms"] = ours.Median, ["min_ms"] = ours.Min, ["cpu_ms"] = ours.Cpu, ["final_loss"] = loss, ["times_ms"] = times,
            }));
        }
        if (compare is null)
        {
            return 0;
        }
        Figures reference = ReadPyTorch(compare, s, model.ParameterCount);
        double ratio = ours.Median / reference.Median;
        Console.WriteLine($"side by side (ms/step, median | mean | min | process CPU):  pytorch {reference.Median:F1} | {reference.Mean:F1} | {reference.Min:F1} | {reference.Cpu:F1}   c# {ours.Median:F1} | {ours.Mean:F1} | {ours.Min:F1} | {ours.Cpu:F1}");
        Console.WriteLine($"ratio c#/pytorch: {ratio:F3} median, {ours.Mean / reference.Mean:F3} mean, {ours.Min / reference.Min:F3} min, {ours.Cpu / reference.Cpu:F3} CPU time -> median {(ratio <= GoalRatio ? "meets" : "MISSES")} the {GoalRatio:F2}x goal");
        return 0;
    }

    private static float Step(SerCnn model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        Tensor loss = nn.functional.cross_entropy(model.forward(x), y, label_smoothing: Settings.LabelSmoothing);
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }

    private static Figures ReadPyTorch(string path, Settings s, long parameters)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        int[] input = [.. root.GetProperty("input").EnumerateArray().Select(e => e.GetInt32())];
        int[] channels = [.. root.GetProperty("channels").EnumerateArray().Select(e => e.GetInt32())];
        if (root.GetProperty("threads").GetInt32() != s.Threads || root.GetProperty("batch").GetInt32() != s.Batch || input[1] != s.Mels || input[2] != s.Frames
            || !channels.SequenceEqual(s.Channels) || root.GetProperty("parameters").GetInt64() != parameters)
        {
            throw new UsageException($"{path} was measured with another configuration (threads, batch, input, channels or parameter count differ)");
        }
        return new Figures(root.GetProperty("mean_ms").GetDouble(), root.GetProperty("median_ms").GetDouble(), root.GetProperty("min_ms").GetDouble(), root.GetProperty("cpu_ms").GetDouble());
    }

    private static int[] ParseChannels(string text)
    {
        try
        {
            return [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture))];
        }
        catch (FormatException)
        {
            throw new UsageException($"--channels '{text}' is not a comma-separated list of integers");
        }
    }

    /// <summary>Wall-clock milliseconds per step (mean, median, min) and process CPU milliseconds per step (all
    /// threads; the steadier figure on a shared machine).</summary>
    private readonly record struct Figures(double Mean, double Median, double Min, double Cpu)
    {
        public static Figures Of(double[] times, double cpu)
        {
            double[] sorted = [.. times.Order()];
            double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
            return new Figures(times.Average(), median, sorted[0], cpu);
        }
    }
}
