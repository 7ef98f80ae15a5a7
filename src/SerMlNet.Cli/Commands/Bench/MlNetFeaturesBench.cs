using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Trimming;
using SerMlNet.ML.Transforms;

namespace SerMlNet.Cli.Commands.Bench;

/// <summary>
/// <c>ser bench mlnet-features -d ../shared/data/ravdess-16k --clips 1200 --runs 3</c>: feature throughput of the ML.NET
/// pipeline (<c>LoadAudio → TrimSilence → LogMel → FixedLength(300) → NormalizeBands</c>, read through a cursor set of
/// <c>--jobs</c> cursors, one thread each) against the <c>ser features</c> computation of the same clips
/// (<see cref="FeaturesCommand.Compute"/> with the same trim, log-Mel and 300 frames, then the same band statistics;
/// <c>Parallel.ForEach</c> over <c>--jobs</c> threads, largest files first, as the command runs), alternating in one
/// process after a warm-up (odd runs start with <c>ser features</c>, even runs with ML.NET). Neither side writes files. Each run checks that both give the same features for every clip.
/// Prints a Markdown table and the ratio ML.NET / <c>ser features</c> (the goal: at most 1.3).
/// </summary>
public static class MlNetFeaturesBench
{
    /// <summary>Builds the command.</summary>
    /// <returns>The <c>mlnet-features</c> command.</returns>
    public static Command Create()
    {
        var data = new Option<string>("--data", "-d") { Description = "A folder of WAV files (searched recursively), e.g. ../shared/data/ravdess-16k.", Required = true };
        var clips = new Option<int>("--clips") { Description = "Clips to process: the first ones in path order.", DefaultValueFactory = _ => 1200 };
        var runs = new Option<int>("--runs") { Description = "Timed runs of each side, alternating.", DefaultValueFactory = _ => 3 };
        var jobs = new Option<int>("--jobs") { Description = "Threads of both sides (ML.NET: cursors in the cursor set).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var fitClips = new Option<int>("--fit-clips") { Description = "Clips the band statistics are fitted on before timing (not timed).", DefaultValueFactory = _ => 100 };
        var command = new Command("mlnet-features", "Feature throughput of the ML.NET audio pipeline against the ser features computation, over the same clips and threads.")
        {
            data, clips, runs, jobs, fitClips,
        };
        command.SetAction(parse => Run(parse.GetValue(data)!, parse.GetValue(clips), parse.GetValue(runs), parse.GetValue(jobs), parse.GetValue(fitClips)));
        return command;
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }

    private static int Run(string dataPath, int clipCount, int runs, int jobs, int fitClips)
    {
        if (clipCount < 1 || runs < 1 || jobs < 1 || fitClips < 1)
        {
            throw new UsageException("--clips, --runs, --jobs and --fit-clips must be at least 1");
        }
        if (!Directory.Exists(dataPath))
        {
            throw new UsageException($"--data '{dataPath}' is not a folder");
        }
        string[] paths = [.. Directory.EnumerateFiles(Path.GetFullPath(dataPath), "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(clipCount)];
        if (paths.Length < clipCount)
        {
            throw new UsageException($"--data holds {paths.Length} WAV files, fewer than --clips {clipCount}");
        }

        var ml = new MLContext(seed: 1);
        PathRow[] rows = [.. paths.Select(p => new PathRow { Path = p })];
        var pipeline = ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 16000)
            .Append(ml.Transforms.TrimSilence("Audio"))
            .Append(ml.Transforms.LogMel("LogMel", "Audio"))
            .Append(ml.Transforms.FixedLength("Fixed", "LogMel", new FixedLengthOptions { Frames = 300 }))
            .Append(ml.Transforms.NormalizeBands("Features", "Fixed"));
        var fitClock = Stopwatch.StartNew();
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(rows.Take(fitClips)));
        fitClock.Stop();
        BandStatistics statistics = model.LastTransformer.Statistics;
        IDataView features = model.Transform(ml.Data.LoadFromEnumerable(rows));

        var settings = new FeaturesCommand.Settings(new LogMelOptions(), new TrimOptions(), FeaturesCommand.Stage.Db, new FixedLengthOptions { Frames = 300 }, ZScore: false);
        var extractor = new LogMelExtractor(settings.LogMel);
        // Largest first, as `ser features` orders a folder.
        string[] bySize = [.. paths.OrderByDescending(p => new FileInfo(p).Length)];

        Console.WriteLine($"{paths.Length} clips of {dataPath}; {jobs} threads each side; band statistics fitted on {Math.Min(fitClips, paths.Length)} clips in {fitClock.Elapsed.TotalSeconds:F1} s (not timed)");
        Console.WriteLine($"CPU {BenchEnvironment.CpuModel()}, {Environment.ProcessorCount} logical cores; load average before: {BenchEnvironment.LoadAverage()}");
        // Warm-up (JIT, file cache, filter and Mel tables) on a slice, not reported.
        SerFeatures(bySize[..Math.Min(bySize.Length, 4 * jobs)], extractor, settings, statistics, jobs);
        MlNet(model.Transform(ml.Data.LoadFromEnumerable(rows.Take(4 * jobs))), jobs);

        Console.WriteLine();
        Console.WriteLine("| run | ser features (s) | ML.NET pipeline (s) | ratio ML.NET / ser features |");
        Console.WriteLine("|---:|---:|---:|---:|");
        var ratios = new List<double>();
        double bestSer = double.MaxValue, bestMl = double.MaxValue;
        for (int run = 1; run <= runs; run++)
        {
            // Odd runs time ser features first, even runs ML.NET first, so neither side always follows the other.
            (double Seconds, Dictionary<string, double> Sums) ser = default, mlNet = default;
            if (run % 2 == 1)
            {
                ser = SerFeatures(bySize, extractor, settings, statistics, jobs);
                mlNet = MlNet(features, jobs);
            }
            else
            {
                mlNet = MlNet(features, jobs);
                ser = SerFeatures(bySize, extractor, settings, statistics, jobs);
            }
            (double serSeconds, Dictionary<string, double> serSums) = ser;
            (double mlSeconds, Dictionary<string, double> mlSums) = mlNet;
            if (mlSums.Count != paths.Length || paths.Any(p => mlSums[p] != serSums[p]))
            {
                throw new InvalidOperationException("the ML.NET pipeline and the ser features computation gave different features");
            }
            ratios.Add(mlSeconds / serSeconds);
            bestSer = Math.Min(bestSer, serSeconds);
            bestMl = Math.Min(bestMl, mlSeconds);
            Console.WriteLine($"| {run} | {serSeconds:F2} ({paths.Length / serSeconds:F0} clips/s) | {mlSeconds:F2} ({paths.Length / mlSeconds:F0} clips/s) | {mlSeconds / serSeconds:F3} |");
        }
        ratios.Sort();
        double median = ratios.Count % 2 == 1 ? ratios[ratios.Count / 2] : (ratios[ratios.Count / 2 - 1] + ratios[ratios.Count / 2]) / 2;
        Console.WriteLine();
        Console.WriteLine($"median ratio {median:F3}; best times {bestSer:F2} s vs {bestMl:F2} s (ratio {bestMl / bestSer:F3}); goal <= 1.3; features identical for all {paths.Length} clips");
        Console.WriteLine($"load average after: {BenchEnvironment.LoadAverage()}");
        return 0;
    }

    /// <summary>The `ser features` computation of every clip, then the fitted band statistics; per-clip sums of the result.</summary>
    private static (double Seconds, Dictionary<string, double> Sums) SerFeatures(string[] paths, LogMelExtractor extractor, FeaturesCommand.Settings settings, BandStatistics statistics, int jobs)
    {
        var sums = new ConcurrentDictionary<string, double>();
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(paths, new ParallelOptions { MaxDegreeOfParallelism = jobs }, path =>
        {
            (FeatureMatrix matrix, _) = FeaturesCommand.Compute(path, extractor, settings);
            statistics.Apply(matrix.Data, matrix.Columns, matrix.Data);
            sums[path] = Sum(matrix.Data);
        });
        clock.Stop();
        return (clock.Elapsed.TotalSeconds, new Dictionary<string, double>(sums));
    }

    /// <summary>Every row's Features through a cursor set of <paramref name="jobs"/> cursors, one thread each; per-clip sums.</summary>
    private static (double Seconds, Dictionary<string, double> Sums) MlNet(IDataView features, int jobs)
    {
        var sums = new ConcurrentDictionary<string, double>();
        var clock = Stopwatch.StartNew();
        DataViewSchema.Column path = features.Schema["Path"];
        DataViewSchema.Column values = features.Schema["Features"];
        DataViewRowCursor[] cursors = features.GetRowCursorSet([path, values], jobs);
        Parallel.ForEach(cursors, new ParallelOptions { MaxDegreeOfParallelism = jobs }, cursor =>
        {
            using (cursor)
            {
                ValueGetter<ReadOnlyMemory<char>> getPath = cursor.GetGetter<ReadOnlyMemory<char>>(path);
                ValueGetter<VBuffer<float>> getValues = cursor.GetGetter<VBuffer<float>>(values);
                ReadOnlyMemory<char> p = default;
                VBuffer<float> v = default;
                while (cursor.MoveNext())
                {
                    getPath(ref p);
                    getValues(ref v);
                    sums[p.ToString()] = Sum(v.GetValues());
                }
            }
        });
        clock.Stop();
        return (clock.Elapsed.TotalSeconds, new Dictionary<string, double>(sums));
    }

    private static double Sum(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float x in values)
        {
            sum += x;
        }
        return sum;
    }
}
