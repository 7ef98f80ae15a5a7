using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Onnx;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Jobs;

namespace SerMlNet.Cli.Commands.Bench;

/// <summary>
/// <c>ser bench latency</c>: issue 5's inference figures through <see cref="EmotionRecognizer"/>, after warm-up:
/// <list type="bullet">
/// <item>one clip end to end (read the WAV file, resample, trim, log-Mel, normalise, ONNX Runtime): p50, p99 and mean
/// in ms (goal p50 ≤ 5 ms on the 2-core CPU), with the features and the network timed apart;</item>
/// <item>throughput in clips/s: batches through the batched overload, and single-file calls from parallel threads.</item>
/// </list>
/// Default clips: the first 3 s of each 48 kHz file of <c>shared/data/ravdess-48k-samples</c>, written as 48 kHz WAV
/// files so that resampling is included. Without a trained model, <c>--random</c> exports a random-weight 4-block CNN
/// (16, 32, 64, 128 channels, 128 × 300 input) with the default front end fitted on RAVDESS clips.
/// </summary>
public static class LatencyBench
{
    /// <summary>Builds the command.</summary>
    /// <returns>The <c>latency</c> benchmark command.</returns>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The model to time (model.onnx or model-e2e.onnx).", DefaultValueFactory = _ => Path.Combine("artifacts", "model.onnx") };
        var random = new Option<bool>("--random") { Description = "Time a random-weight 4-block CNN (16,32,64,128 channels, 128x300 input) with the default front end fitted on 24 RAVDESS clips, instead of --model." };
        var save = new Option<string?>("--save-model") { Description = "With --random: also keep the random model.onnx at this path (e.g. for scripts/bench-predict-coldstart.sh)." };
        var ep = new Option<string>("--ep") { Description = "Execution provider: cpu, cuda or auto.", DefaultValueFactory = _ => "cpu" };
        ep.AcceptOnlyFromAmong([.. ExecutionProviderNames.All]);
        var clips = new Option<string?>("--clips") { Description = "A folder of WAV clips to use instead of the default 3-s cuts of shared/data/ravdess-48k-samples." };
        var seconds = new Option<double>("--seconds") { Description = "Length of the default clips in seconds, cut from the start of each 48 kHz file.", DefaultValueFactory = _ => 3.0 };
        var iterations = new Option<int>("--iterations") { Description = "Timed single-clip calls (0: only write --save-model).", DefaultValueFactory = _ => 300 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed calls first.", DefaultValueFactory = _ => 30 };
        var batch = new Option<int>("--batch") { Description = "Clips per call of the batched overload.", DefaultValueFactory = _ => 32 };
        var spin = new Option<bool>("--spin")
        {
            Description = "Let idle ONNX Runtime threads spin between runs (its default). Off by default: on a shared 2-core machine the spinning threads steal the cores the pipeline needs (p50 measured 2-3x worse).",
        };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads; default the number of cores.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var shared = BenchEnvironment.SharedOption("The shared data folder; default $SERMLNET_SHARED or ../shared.");
        var command = new Command("latency", "Inference latency of one clip end to end (read, resample, trim, features, ONNX Runtime) and batch throughput.");
        foreach (Option option in new Option[] { model, random, save, ep, clips, seconds, iterations, warmup, batch, threads, spin, shared })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => Run(new Settings(
            parse.GetValue(model)!, parse.GetValue(random), parse.GetValue(save), parse.GetValue(ep)!, parse.GetValue(clips), parse.GetValue(seconds),
            parse.GetValue(iterations), parse.GetValue(warmup), parse.GetValue(batch), parse.GetValue(threads), parse.GetValue(spin), parse.GetValue(shared)!)));
        return command;
    }

    private sealed record Settings(
        string Model, bool Random, string? SaveModel, string Ep, string? Clips, double Seconds, int Iterations, int Warmup, int Batch, int Threads, bool Spin, string Shared);

    private static int Run(Settings s)
    {
        if (s.Iterations < 0 || s.Warmup < 0 || s.Batch < 1 || s.Threads < 1 || !(s.Seconds > 0))
        {
            throw new UsageException("--iterations and --warmup must be >= 0, --batch and --threads >= 1, --seconds > 0");
        }
        if (s.SaveModel is not null && !s.Random)
        {
            throw new UsageException("--save-model needs --random");
        }
        using var scratch = new ScratchFolder();
        string modelPath = s.Model;
        if (s.Random)
        {
            modelPath = s.SaveModel ?? Path.Combine(scratch.Path, "model.onnx");
            var clock = Stopwatch.StartNew();
            RandomModel.Export(s.Shared, modelPath);
            Console.WriteLine($"random model: {modelPath} (4 blocks 16,32,64,128, 128x300 input, pipeline fitted on {RandomModel.FitClipCount} clips) in {clock.Elapsed.TotalSeconds:F1} s");
            if (s.Iterations == 0)
            {
                return 0;
            }
        }
        string[] clips = s.Clips is null ? CutClips(s.Shared, s.Seconds, scratch.Path) : ListClips(s.Clips);
        var options = new OnnxModelOptions
        {
            ExecutionProvider = ExecutionProviderNames.Parse(s.Ep),
            IntraOpThreads = s.Threads,
            AllowThreadSpinning = s.Spin,
        };
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(modelPath, options);

        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {BenchEnvironment.CpuModel()}, load average {BenchEnvironment.LoadAverage()}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine($"model: {recognizer.Model.ModelPath}, input {recognizer.InputKind} [{string.Join("x", recognizer.Model.InputShape)}], provider {recognizer.Model.Provider}"
            + (recognizer.Model.ProviderFallbackReason is { } why ? $" (fell back: {CliRunner.OneLine(why)})" : string.Empty)
            + $", {s.Threads} intra-op threads, {(s.Spin ? "spinning" : "not spinning")} between runs");
        RecognitionResult[] first = [.. clips.Select(c => recognizer.Recognize(c))];
        int[] windows = [.. first.Select(r => r.Windows.Count)];
        double audio = first.Sum(r => r.DurationSeconds);
        Console.WriteLine($"clips: {clips.Length} ({(s.Clips is null ? $"first {s.Seconds:F1} s of each 48 kHz file in {Path.Combine(s.Shared, "data", "ravdess-48k-samples")}" : s.Clips)}), "
            + $"{audio / clips.Length:F2} s on average, {windows.Sum()} windows in all ({windows.Min()}-{windows.Max()} per clip)");

        for (int i = 0; i < s.Warmup; i++)
        {
            recognizer.Recognize(clips[i % clips.Length]);
        }
        double[] endToEnd = Time(s.Iterations, i => recognizer.Recognize(clips[i % clips.Length]));
        Console.WriteLine();
        Console.WriteLine($"one clip end to end (read WAV, resample, trim, log-Mel, normalise, ORT), {s.Iterations} calls after {s.Warmup} warm-up:");
        Console.WriteLine($"  {Summary(endToEnd)}   goal p50 <= 5 ms: {(Percentile(endToEnd, 0.5) <= 5 ? "met" : "NOT met")}");

        // The two halves apart: the pipeline alone, and the network alone on the features of one window.
        FittedFrontEnd pipeline = recognizer.Pipeline;
        double[] features = Time(s.Iterations, i => pipeline.ComputeFeatures(clips[i % clips.Length]));
        Console.WriteLine($"  of which the pipeline (read ... normalise):   {Summary(features)}");
        string[] steps = ["loadAudio", "trim", "logMel", "fixedLength", "normalise"];
        var stepTimes = new double[steps.Length][];
        for (int k = 0; k < steps.Length; k++)
        {
            stepTimes[k] = new double[s.Iterations];
        }
        for (int i = 0; i < s.Iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            AudioSignal clip = pipeline.ReadAudio(clips[i % clips.Length]);
            stepTimes[0][i] = Lap(ref start);
            clip = pipeline.TrimSilence(clip, out _);
            stepTimes[1][i] = Lap(ref start);
            FeatureMatrix matrix = pipeline.ComputeLogMel(clip);
            stepTimes[2][i] = Lap(ref start);
            matrix = pipeline.ApplyFixedLength(matrix);
            stepTimes[3][i] = Lap(ref start);
            pipeline.Normalize(matrix);
            stepTimes[4][i] = Lap(ref start);
        }
        for (int k = 0; k < steps.Length; k++)
        {
            Console.WriteLine($"    step {k} {steps[k],-12} {Summary(stepTimes[k])}");
        }
        if (recognizer.InputKind == ModelInputKind.LogMel)
        {
            float[] input = pipeline.ComputeFeatures(clips[0]).Data;
            using EmotionPredictor predictor = recognizer.Model.CreatePredictor();
            for (int i = 0; i < s.Warmup; i++)
            {
                predictor.Run(input);
            }
            double[] network = Time(s.Iterations, _ => predictor.Run(input));
            Console.WriteLine($"  and the network alone (one window, ORT run): {Summary(network)}");
        }

        // Throughput: the batched overload, then independent single-file calls from one thread per core.
        Console.WriteLine();
        string[] batch = [.. Enumerable.Range(0, s.Batch).Select(i => clips[i % clips.Length])];
        recognizer.Recognize(batch);
        int rounds = Math.Max(3, s.Iterations / s.Batch);
        var watch = Stopwatch.StartNew();
        for (int r = 0; r < rounds; r++)
        {
            recognizer.Recognize(batch);
        }
        double batched = rounds * s.Batch / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"throughput, batches of {s.Batch} files through Recognize(IReadOnlyList<string>): {batched:F0} clips/s ({rounds} batches, {1000.0 / batched:F2} ms per clip)");
        int total = rounds * s.Batch;
        watch.Restart();
        Parallel.For(0, total, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => recognizer.Recognize(clips[i % clips.Length]));
        double parallel = total / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"throughput, single-file calls from {Environment.ProcessorCount} threads:                 {parallel:F0} clips/s ({total} files, {1000.0 / parallel:F2} ms per clip)");
        Console.WriteLine($"load average after: {BenchEnvironment.LoadAverage()} (a shared machine: other work slows every figure)");
        return 0;
    }

    /// <summary>Milliseconds since <paramref name="start"/>; moves it to now.</summary>
    private static double Lap(ref long start)
    {
        long now = Stopwatch.GetTimestamp();
        double ms = Stopwatch.GetElapsedTime(start, now).TotalMilliseconds;
        start = now;
        return ms;
    }

    private static double[] Time(int count, Action<int> action)
    {
        var times = new double[count];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action(i);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return times;
    }

    private static string Summary(double[] times) => times.Length == 0
        ? "no calls"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {Percentile(times, 0.5),6:F2} ms   p99 {Percentile(times, 0.99),6:F2} ms   mean {times.Average(),6:F2} ms");

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(double[] times, double p)
    {
        if (times.Length == 0)
        {
            return double.NaN;
        }
        double[] sorted = [.. times.Order()];
        int rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>The first <paramref name="seconds"/> of each 48 kHz sample file, written as 48 kHz 16-bit WAV files.</summary>
    private static string[] CutClips(string shared, double seconds, string folder)
    {
        string source = Path.Combine(shared, "data", "ravdess-48k-samples");
        if (!Directory.Exists(source))
        {
            throw new DirectoryNotFoundException($"'{source}' is missing (set --shared or pass --clips)");
        }
        var clips = new List<string>();
        foreach (string file in Directory.GetFiles(source, "*.wav").Order(StringComparer.Ordinal))
        {
            AudioSignal audio = WavFile.Read(file);
            int length = Math.Min(audio.Samples.Length, (int)Math.Round(seconds * audio.SampleRate));
            string clip = Path.Combine(folder, Path.GetFileName(file));
            WavFile.Write(clip, new AudioSignal(audio.Samples[..length], audio.SampleRate));
            clips.Add(clip);
        }
        return [.. clips];
    }

    private static string[] ListClips(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"--clips folder '{folder}' does not exist");
        }
        string[] clips = [.. Directory.GetFiles(folder, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
        return clips.Length > 0 ? clips : throw new FileNotFoundException($"no .wav files under '{folder}'");
    }

    /// <summary>A random-weight stand-in for the trained model, with a pipeline fitted on real clips.</summary>
    private static class RandomModel
    {
        public const int FitClipCount = 24;

        public static void Export(string shared, string path)
        {
            string data = Path.Combine(shared, "data", "ravdess-16k");
            if (!Directory.Exists(data))
            {
                throw new DirectoryNotFoundException($"'{data}' is missing (set --shared)");
            }
            string[] fit = [.. Directory.GetFiles(data, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Where((_, i) => i % 50 == 0).Take(FitClipCount)];
            var options = new FrontEndOptions();
            FittedFrontEnd unnormalized = options.CreateUnnormalized(null);
            FittedFrontEnd frontEnd = options.Fit(unnormalized, fit.AsParallel().AsOrdered().Select(p => unnormalized.ComputeUnnormalizedFeatures(WavFile.Read(p))));
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }
            OnnxExporter.Export(Network(seed: 1234), new OnnxExportOptions
            {
                ClassLabels = Emotions.Ravdess,
                FrontEndJson = frontEnd.ToJson(),
                Description = "random-weight 4-block CNN for benchmarks (not trained)",
            }, path);
        }

        /// <summary>conv3x3/pad1 + BN + ReLU + max-pool 2 blocks of 16, 32, 64, 128 channels, global average pool, linear head.</summary>
        private static CnnDescription Network(int seed)
        {
            var rng = new Random(seed);
            var layers = new List<CnnLayer>();
            int inChannels = 1;
            foreach (int channels in new[] { 16, 32, 64, 128 })
            {
                layers.Add(new Conv2dLayer(new WeightTensor(Uniform(rng, channels * inChannels * 9, Math.Sqrt(6.0 / (inChannels * 9))), [channels, inChannels, 3, 3]), Uniform(rng, channels, 0.05), 1, 1));
                layers.Add(new BatchNorm2dLayer([.. Uniform(rng, channels, 0.1).Select(v => 1 + v)], Uniform(rng, channels, 0.1), Uniform(rng, channels, 0.1), [.. Uniform(rng, channels, 0.1).Select(v => 1 + v)]));
                layers.Add(new ReluLayer());
                layers.Add(new MaxPool2dLayer(2));
                inChannels = channels;
            }
            layers.Add(new GlobalAvgPoolLayer());
            layers.Add(new FlattenLayer());
            layers.Add(new DropoutLayer(0.3f));
            layers.Add(new LinearLayer(new WeightTensor(Uniform(rng, Emotions.Ravdess.Count * inChannels, 1.0 / Math.Sqrt(inChannels)), [Emotions.Ravdess.Count, inChannels]), Uniform(rng, Emotions.Ravdess.Count, 0.1)));
            return new CnnDescription(layers, 128, 300);
        }

        private static float[] Uniform(Random rng, int count, double scale)
        {
            var values = new float[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
            }
            return values;
        }
    }

    /// <summary>A temporary folder for the cut clips and the random model, removed afterwards.</summary>
    private sealed class ScratchFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("sermlnet-latency-").FullName;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
