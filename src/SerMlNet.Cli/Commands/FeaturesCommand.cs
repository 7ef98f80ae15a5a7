using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using SerMlNet.Audio;
using SerMlNet.Audio.Io;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Trimming;
using SerMlNet.Audio.Wav;
using Spectre.Console;

namespace SerMlNet.Cli.Commands;

/// <summary>
/// <c>ser features &lt;input&gt; -o &lt;output&gt;</c>: WAV → (resample to <c>--sr</c>) → silence trim → power, Mel or
/// log-Mel spectrogram → optional fixed length and z-score → NumPy <c>.npy</c> float32 in librosa's orientation
/// <c>[bins or mels, frames]</c>. A folder input is processed in parallel over the cores and mirrored in the output
/// folder, with a progress bar.
/// </summary>
public static class FeaturesCommand
{
    /// <summary>What the command writes.</summary>
    public enum Stage
    {
        /// <summary><c>|STFT|^power</c>, shape [1 + nFft/2, frames].</summary>
        Power,

        /// <summary>Mel spectrogram, shape [nMels, frames].</summary>
        Mel,

        /// <summary>Log-Mel in dB relative to the maximum (default), shape [nMels, frames].</summary>
        Db,
    }

    /// <summary>Builds the command.</summary>
    /// <returns>The <c>features</c> command.</returns>
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "A WAV file or a folder of WAV files (searched recursively)." };
        var output = new Option<string>("--output", "-o") { Description = "Output .npy file (file input) or folder (folder input; mirrors the input tree).", Required = true };
        var sr = new Option<int>("--sr") { Description = "Sample rate in Hz; inputs at another rate are resampled.", DefaultValueFactory = _ => 16000 };
        var nFft = new Option<int>("--n-fft") { Description = "FFT length in samples.", DefaultValueFactory = _ => 1024 };
        var hop = new Option<int>("--hop-length") { Description = "Hop between frames in samples (160 = 10 ms at 16 kHz).", DefaultValueFactory = _ => 160 };
        var win = new Option<int?>("--win-length") { Description = "Window length in samples (default: n-fft)." };
        var nMels = new Option<int>("--n-mels") { Description = "Number of Mel bands.", DefaultValueFactory = _ => 128 };
        var fMin = new Option<double>("--fmin") { Description = "Lowest Mel frequency in Hz.", DefaultValueFactory = _ => 0 };
        var fMax = new Option<double?>("--fmax") { Description = "Highest Mel frequency in Hz (default: sr / 2)." };
        var htk = new Option<bool>("--htk") { Description = "Use the HTK Mel scale instead of Slaney's." };
        var norm = new Option<string>("--norm") { Description = "Mel filter normalisation: slaney or none.", DefaultValueFactory = _ => "slaney" };
        var padMode = new Option<string>("--pad-mode") { Description = "STFT centring pad: constant (zeros) or reflect.", DefaultValueFactory = _ => "constant" };
        var power = new Option<float>("--power") { Description = "Exponent of the magnitude spectrogram (2 = power).", DefaultValueFactory = _ => 2f };
        var topDb = new Option<float>("--top-db") { Description = "Dynamic range of the dB output below its maximum.", DefaultValueFactory = _ => 80f };
        var trimDb = new Option<double?>("--trim-db") { Description = "Trim leading/trailing silence quieter than this many dB below the peak (default 60)." };
        var noTrim = new Option<bool>("--no-trim") { Description = "Do not trim silence." };
        var stage = new Option<string>("--stage") { Description = "Output: power (|STFT|^power), mel or db (log-Mel).", DefaultValueFactory = _ => "db" };
        var frames = new Option<int?>("--frames") { Description = "Pad (with the matrix minimum) or crop (keeping the start) to this many frames." };
        var zscore = new Option<bool>("--zscore") { Description = "Standardise each output to mean 0, standard deviation 1." };
        var jobs = new Option<int>("--jobs") { Description = "Files processed in parallel (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };

        var command = new Command("features", "Compute librosa-compatible spectrogram features of WAV files and write them as .npy float32 [bins or mels, frames].");
        command.Arguments.Add(input);
        foreach (Option option in new Option[] { output, sr, nFft, hop, win, nMels, fMin, fMax, htk, norm, padMode, power, topDb, trimDb, noTrim, stage, frames, zscore, jobs })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse =>
        {
            if (parse.GetValue(noTrim) && parse.GetValue(trimDb) is not null)
            {
                throw new UsageException("--trim-db and --no-trim cannot be used together");
            }
            int jobCount = parse.GetValue(jobs);
            if (jobCount < 1)
            {
                throw new UsageException($"--jobs must be at least 1 (was {jobCount})");
            }
            int? frameCount = parse.GetValue(frames);
            if (frameCount is < 1)
            {
                throw new UsageException($"--frames must be at least 1 (was {frameCount})");
            }
            var logMel = new LogMelOptions
            {
                SampleRate = parse.GetValue(sr),
                NFft = parse.GetValue(nFft),
                HopLength = parse.GetValue(hop),
                WinLength = parse.GetValue(win),
                NMels = parse.GetValue(nMels),
                FMin = parse.GetValue(fMin),
                FMax = parse.GetValue(fMax),
                Htk = parse.GetValue(htk),
                Norm = Choose(parse.GetValue(norm), "--norm", ("slaney", MelNorm.Slaney), ("none", MelNorm.None)),
                PadMode = Choose(parse.GetValue(padMode), "--pad-mode", ("constant", PadMode.Constant), ("reflect", PadMode.Reflect)),
                Power = parse.GetValue(power),
                TopDb = parse.GetValue(topDb),
            };
            TrimOptions? trim = parse.GetValue(noTrim) ? null : new TrimOptions { TopDb = parse.GetValue(trimDb) ?? 60 };
            var settings = new Settings(
                logMel,
                trim,
                Choose(parse.GetValue(stage), "--stage", ("power", Stage.Power), ("mel", Stage.Mel), ("db", Stage.Db)),
                frameCount is int f ? new FixedLengthOptions { Frames = f } : null,
                parse.GetValue(zscore));
            return Run(parse.GetValue(input)!, parse.GetValue(output)!, settings, jobCount);
        });
        return command;
    }

    /// <summary>Everything one file's processing needs.</summary>
    /// <param name="LogMel">Front-end parameters.</param>
    /// <param name="Trim">Trimming, or null for none.</param>
    /// <param name="Stage">Output stage.</param>
    /// <param name="FixedLength">Fixed length, or null.</param>
    /// <param name="ZScore">Per-utterance z-score.</param>
    public sealed record Settings(LogMelOptions LogMel, TrimOptions? Trim, Stage Stage, FixedLengthOptions? FixedLength, bool ZScore);

    /// <summary>Maps an option's text to its value; anything else is a one-line usage error.</summary>
    private static T Choose<T>(string? text, string option, params (string Name, T Value)[] choices)
    {
        foreach ((string name, T value) in choices)
        {
            if (string.Equals(text, name, StringComparison.Ordinal))
            {
                return value;
            }
        }
        throw new UsageException($"{option} must be one of {string.Join(", ", choices.Select(c => c.Name))} (was '{text}')");
    }

    private static int Run(string input, string output, Settings settings, int jobs)
    {
        try
        {
            settings.LogMel.Validate();
            settings.Trim?.Validate();
            settings.FixedLength?.Validate();
        }
        catch (OptionsValidationException ex)
        {
            throw new UsageException(string.Join("; ", ex.Errors));
        }
        var extractor = new LogMelExtractor(settings.LogMel);
        if (File.Exists(input))
        {
            string target = Directory.Exists(output) ? Path.Combine(output, Path.ChangeExtension(Path.GetFileName(input), ".npy")) : output;
            double seconds = ProcessFile(input, target, extractor, settings);
            Console.WriteLine($"wrote {target} ({seconds:F2} s of audio)");
            return 0;
        }
        if (!Directory.Exists(input))
        {
            throw new FileNotFoundException($"input '{input}' is neither a WAV file nor a folder");
        }
        return RunFolder(Path.GetFullPath(input), Path.GetFullPath(output), extractor, settings, jobs);
    }

    private static int RunFolder(string input, string output, LogMelExtractor extractor, Settings settings, int jobs)
    {
        var files = Directory.EnumerateFiles(input, "*", new EnumerationOptions { RecurseSubdirectories = true, MatchCasing = MatchCasing.CaseInsensitive })
            .Where(f => f.EndsWith(".wav", StringComparison.OrdinalIgnoreCase))
            .Select(f => new FileInfo(f))
            .OrderByDescending(f => f.Length) // Largest first balances the parallel tail.
            .ToArray();
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"no .wav files under '{input}'");
        }
        var failures = new ConcurrentBag<string>();
        double totalSeconds = 0;
        object gate = new();
        var clock = Stopwatch.StartNew();
        void Work(Action onFileDone)
        {
            Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = jobs }, file =>
            {
                string relative = Path.GetRelativePath(input, file.FullName);
                string target = Path.Combine(output, Path.ChangeExtension(relative, ".npy"));
                try
                {
                    double seconds = ProcessFile(file.FullName, target, extractor, settings);
                    lock (gate)
                    {
                        totalSeconds += seconds;
                    }
                }
                catch (Exception ex) when (CliRunner.IsBadInputFile(ex) || ex is ArgumentException or InvalidFileException)
                {
                    failures.Add(CliRunner.Describe(ex));
                }
                onFileDone();
            });
        }
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    ProgressTask task = ctx.AddTask($"features ({files.Length} files)", maxValue: files.Length);
                    Work(() => task.Increment(1));
                });
        }
        else
        {
            Work(() => { });
        }
        clock.Stop();
        int written = files.Length - failures.Count;
        double wall = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"wrote {written} of {files.Length} files to {output}: {totalSeconds:F1} s of audio in {wall:F2} s ({totalSeconds / wall:F0}x real time)");
        if (!failures.IsEmpty)
        {
            foreach (string failure in failures.Order(StringComparer.Ordinal))
            {
                Console.Error.WriteLine($"ser: skipped {failure}");
            }
            throw new IOException($"{failures.Count} of {files.Length} files failed (listed above)");
        }
        return 0;
    }

    /// <summary>Processes one file and writes its .npy; returns the audio duration in seconds (before trimming).</summary>
    private static double ProcessFile(string path, string target, LogMelExtractor extractor, Settings settings)
    {
        (FeatureMatrix matrix, double seconds) = Compute(path, extractor, settings);
        NpyFile.Write(target, matrix);
        return seconds;
    }

    /// <summary>One file's features, as the command computes them (also timed by <c>ser bench mlnet-features</c>).</summary>
    /// <param name="path">A WAV file.</param>
    /// <param name="extractor">The front end, built from <see cref="Settings.LogMel"/>.</param>
    /// <param name="settings">The settings.</param>
    /// <returns>The features and the audio duration in seconds (before trimming).</returns>
    internal static (FeatureMatrix Matrix, double Seconds) Compute(string path, LogMelExtractor extractor, Settings settings)
    {
        AudioSignal signal = WavFile.Read(path);
        float[] samples = signal.Samples;
        int rate = settings.LogMel.SampleRate;
        if (signal.SampleRate != rate)
        {
            samples = new Resampler(signal.SampleRate, rate).Process(samples);
        }
        ReadOnlySpan<float> kept = samples;
        if (settings.Trim is not null)
        {
            TrimInterval interval = SilenceTrimmer.FindInterval(samples, settings.Trim);
            if (interval.Length == 0)
            {
                throw new InvalidFileException($"{path}: nothing above -{settings.Trim.TopDb} dB, the whole file is silence");
            }
            kept = kept[interval.Start..interval.End];
        }
        FeatureMatrix matrix = settings.Stage switch
        {
            Stage.Power => extractor.ComputePower(kept),
            Stage.Mel => extractor.ComputeMel(kept),
            _ => extractor.ComputeDb(kept),
        };
        if (settings.FixedLength is not null)
        {
            matrix = FixedLength.Apply(matrix, settings.FixedLength);
        }
        if (settings.ZScore)
        {
            ZScore.Apply(matrix.Data, matrix.Data);
        }
        return (matrix, signal.DurationSeconds);
    }
}
