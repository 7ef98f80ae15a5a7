using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SerMlNet.Audio.Wav;
using SerMlNet.Cli;
using SerMlNet.Onnx;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Onnx.Calibration;

namespace SerMlNet.Predict;

/// <summary>The command line of Predict and what it does: find the inputs, open the model, recognise, print.</summary>
internal static class PredictCommand
{
    /// <summary>Files handed to the recognizer's batched overload at once in folder mode.</summary>
    private const int FilesPerBatch = 16;

    /// <summary>Builds the root command.</summary>
    /// <returns>The command.</returns>
    public static RootCommand Create()
    {
        var wav = new Option<string>("--wav")
        {
            Description = "A WAV file (any sample rate, mono or stereo, PCM or float), a folder (every .wav under it, recursively), or - for a WAV stream on standard input (e.g. from 'sox -d -t wav -' or 'arecord -t wav').",
            HelpName = "file|folder|-",
        };
        var calibrate = new Option<string?>("--calibrate")
        {
            Description = "A folder of one speaker's clips (unlabelled; 16 or more that span the speaker's moods are best): fits that speaker's calibration (the mean log-probability the model gives each emotion over them, taken out of every later score) and writes it to the --calibration file (default: <folder name>.calibration.json in the current folder). With --wav, the file is then scored with it.",
            HelpName = "folder",
        };
        var calibration = new Option<string?>("--calibration")
        {
            Description = "A speaker calibration file written by --calibrate: score with that speaker's calibration (it must have been fitted with the same model file). With --calibrate, where to write it.",
            HelpName = "file.json",
        };
        var model = new Option<string?>("--model")
        {
            Description = "The SerMlNet ONNX model (model.onnx or model-e2e.onnx). Default: artifacts/model.onnx in the current folder, else artifacts/model.onnx of the repository this Predict was built in.",
            HelpName = "file.onnx",
        };
        var ep = new Option<string>("--ep")
        {
            Description = "ONNX Runtime execution provider: cpu, cuda (fails, naming what is missing, when CUDA cannot run) or auto (CUDA when usable, else the CPU with a note on stderr).",
            DefaultValueFactory = _ => "cpu",
            HelpName = "cpu|cuda|auto",
        };
        ep.AcceptOnlyFromAmong([.. ExecutionProviderNames.All]);
        var json = new Option<bool>("--json")
        {
            Description = $"Print one JSON document ('{JsonReport.FormatName}' version {JsonReport.FormatVersion}): model, provider, labels, and per file its duration, label, confidence (0-1), sorted class probabilities and windows.",
        };
        var top = new Option<int>("--top")
        {
            Description = "Print only the K most probable classes (default: all).",
            HelpName = "K",
        };
        var bench = new Option<int>("--bench")
        {
            Description = "After the results, time N recognitions of the first file end to end (read, features, network) and N network runs on its features, and print p50/p90/mean latencies in ms on standard error (for comparing providers: --ep cuda against --ep cpu).",
            HelpName = "N",
        };
        var stream = new Option<bool>("--stream")
        {
            Description = $"Score the input window by window as it is read, in bounded memory (live input, long recordings): one JSON line per window ('{StreamReport.FormatName}' version {StreamReport.FormatVersion}: start, end, label, confidence, probabilities), flushed as soon as it is scored, and a summary line at the end of the stream (mean probabilities, duration, real-time factor). Each window is trimmed and scored as a clip of its own. A stream that breaks off prints its windows, then one error line, and exits 1.",
        };
        var tta = new Option<bool>("--tta")
        {
            Description = "Test-time augmentation: score each file (not --stream) also at 0.9 and 1.1 times its speed, the speeds the model was trained with, and answer with the mean of the three predictions: more accurate on voices the model never heard (5-fold macro-F1 0.692 against 0.677), about three times the work. Use the same setting for --calibrate and --calibration.",
        };
        var root = new RootCommand(
            "Recognise the emotion in speech with a SerMlNet model on ONNX Runtime. Prints the winning emotion with its confidence "
            + "in percent and every class probability; audio longer than the model's window (about 3 s) is scored in half-overlapping "
            + "windows, shown one per line, with the mean as the answer.");
        root.Options.Add(wav);
        root.Options.Add(model);
        root.Options.Add(ep);
        root.Options.Add(json);
        root.Options.Add(top);
        root.Options.Add(bench);
        root.Options.Add(stream);
        root.Options.Add(calibrate);
        root.Options.Add(calibration);
        root.Options.Add(tta);
        root.SetAction(parse => Run(
            parse.GetValue(wav), parse.GetValue(model), parse.GetValue(ep)!, parse.GetValue(json),
            parse.GetResult(top) is null ? null : parse.GetValue(top), parse.GetResult(bench) is null ? null : parse.GetValue(bench), parse.GetValue(stream),
            parse.GetValue(calibrate), parse.GetValue(calibration), parse.GetValue(tta)));
        return root;
    }

    /// <summary>The <c>--wav</c> value that means standard input.</summary>
    private const string StandardInput = "-";

    /// <summary>The name standard input goes by in results and messages.</summary>
    private const string StandardInputName = "stdin";

    private static int Run(string? wav, string? modelOption, string ep, bool json, int? top, int? bench, bool stream, string? calibrateFolder, string? calibrationFile, bool tta)
    {
        if (wav is null && calibrateFolder is null)
        {
            throw new UsageException("give --wav (what to score) or --calibrate (a folder of one speaker's clips), or both");
        }
        if (top is < 1)
        {
            throw new UsageException($"--top must be at least 1 (was {top})");
        }
        if (bench is < 1)
        {
            throw new UsageException($"--bench must be at least 1 (was {bench})");
        }
        bool stdin = wav == StandardInput;
        if (calibrateFolder is not null && !Directory.Exists(calibrateFolder))
        {
            throw new DirectoryNotFoundException($"--calibrate: '{calibrateFolder}' is not a folder (give a folder of one speaker's WAV clips)");
        }
        if (stdin && bench is not null)
        {
            throw new UsageException("--bench re-reads its file, so it needs a file, not - (standard input)");
        }
        if (stream && tta)
        {
            throw new UsageException("--tta scores whole files; --stream scores each window once as it arrives");
        }
        if (stream && (bench is not null || json))
        {
            throw new UsageException($"--stream prints JSON lines of its own; it takes neither {(json ? "--json" : "--bench")}");
        }
        (IReadOnlyList<string> files, bool folder) = wav is null ? ([], false) : stdin ? ([StandardInputName], false) : FindInputs(wav);
        if (stream && folder)
        {
            throw new UsageException("--stream reads one stream: give it a file or - (standard input), not a folder");
        }
        string modelPath = ModelLocator.Resolve(modelOption);
        var options = new OnnxModelOptions
        {
            ExecutionProvider = ExecutionProviderNames.Parse(ep),
            // Both cores for each network run; idle ORT threads sleep rather than spin, which on a 2-core machine would
            // steal the cores the front end of the next file needs (ser bench latency --spin shows the cost).
            IntraOpThreads = Environment.ProcessorCount,
            AllowThreadSpinning = false,
        };
        var recognition = new RecognitionOptions { TestTimeSpeeds = tta ? RecognitionOptions.TrainingSpeeds : [] };
        SpeakerCalibration? speaker = calibrateFolder is not null
            ? Calibrate(modelPath, calibrateFolder, calibrationFile, recognition)
            : calibrationFile is not null ? SpeakerCalibration.Load(calibrationFile) : null;
        if (wav is null)
        {
            return CliRunner.ExitSuccess;
        }
        using EmotionRecognizer recognizer = speaker is null
            ? EmotionRecognizer.Open(modelPath, options, recognition)
            : EmotionRecognizer.OpenCalibrated(modelPath, speaker, options, recognition);
        if (recognizer.Model.ProviderFallbackReason is { } reason)
        {
            Console.Error.WriteLine($"Predict: note: --ep auto runs on the CPU: {CliRunner.OneLine(reason)}");
        }

        if (stream)
        {
            return RunStream(recognizer, stdin ? null : wav, top);
        }

        var errors = new List<(string Source, string Message)>();
        IReport report;
        if (!folder)
        {
            // One file (or standard input read whole): a failure is the command's failure (one line from CliRunner,
            // nothing on standard output).
            RecognitionResult result = stdin
                ? recognizer.Recognize(WavFile.Read(Console.OpenStandardInput(), StandardInputName), StandardInputName)
                : recognizer.Recognize(files[0]);
            report = json ? new JsonReport(recognizer, top) : new TextReport(top, recognition.TestTimeSpeeds);
            report.Add(result);
        }
        else
        {
            report = json ? new JsonReport(recognizer, top) : new TextReport(top, recognition.TestTimeSpeeds);
            for (int begin = 0; begin < files.Count; begin += FilesPerBatch)
            {
                string[] batch = [.. files.Skip(begin).Take(FilesPerBatch)];
                IReadOnlyList<RecognitionResult> scored;
                try
                {
                    scored = recognizer.Recognize(batch);
                }
                catch (Exception e) when (IsBadInput(e))
                {
                    // Find the bad file(s): score this batch one file at a time.
                    var one = new List<RecognitionResult>();
                    foreach (string file in batch)
                    {
                        try
                        {
                            one.Add(recognizer.Recognize(file));
                        }
                        catch (Exception single) when (IsBadInput(single))
                        {
                            string message = CliRunner.Describe(single);
                            Console.Error.WriteLine($"Predict: {(message.Contains(file, StringComparison.Ordinal) ? message : $"{file}: {message}")}");
                            errors.Add((file, message));
                        }
                    }
                    scored = one;
                }
                foreach (RecognitionResult result in scored)
                {
                    report.Add(result);
                }
            }
        }
        report.Finish(errors);
        if (bench is int calls && errors.Count == 0)
        {
            PrintBench(recognizer, files[0], calls);
        }
        return errors.Count == 0 ? CliRunner.ExitSuccess : CliRunner.ExitFailure;
    }

    /// <summary>
    /// <c>--calibrate</c>: fits one speaker's calibration on every WAV under <paramref name="folder"/> with the model
    /// and writes it (atomically) to <paramref name="file"/>, or <c>&lt;folder name&gt;.calibration.json</c> in the
    /// current folder; prints one line on standard error.
    /// </summary>
    private static SpeakerCalibration Calibrate(string modelPath, string folder, string? file, RecognitionOptions recognition)
    {
        (IReadOnlyList<string> clips, _) = FindInputs(folder);
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        string destination = file ?? $"{name}.calibration.json";
        SpeakerCalibration calibration;
        using (EmotionRecognizer plain = EmotionRecognizer.Open(modelPath, null, recognition))
        {
            calibration = plain.FitCalibration(clips, name);
        }
        calibration.Save(destination);
        Console.Error.WriteLine($"Predict: calibrated on {calibration.Clips} clip{(calibration.Clips == 1 ? "" : "s")} of '{folder}' -> {destination}");
        return calibration;
    }

    /// <summary>
    /// <c>--stream</c>: scores a file or standard input window by window, printing each window's line as soon as it is
    /// scored; a stream that breaks off throws after its windows were printed (CliRunner prints the one error line).
    /// </summary>
    private static int RunStream(EmotionRecognizer recognizer, string? file, int? top)
    {
        if (file is not null && !File.Exists(file))
        {
            throw new FileNotFoundException($"'{file}' does not exist (expected a WAV file or -)", file);
        }
        using Stream input = file is null ? Console.OpenStandardInput() : new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        string name = file ?? StandardInputName;
        using var report = new StreamReport(top);
        var windows = new List<WindowResult>();
        long started = Stopwatch.GetTimestamp();
        IAsyncEnumerator<WindowResult> enumerator = recognizer.RecognizeStreamAsync(input, new StreamRecognitionOptions { SourceName = name }).GetAsyncEnumerator();
        try
        {
            while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                report.Add(enumerator.Current);
                windows.Add(enumerator.Current);
            }
        }
        finally
        {
            enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        double elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        report.Finish(RecognitionResult.FromWindows(name, windows[^1].EndSeconds, windows), elapsed);
        return CliRunner.ExitSuccess;
    }

    /// <summary>
    /// Whether a folder-mode failure is one input's fault, reported for that file while the others are still scored: the
    /// file is missing or unreadable (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>), not a WAV
    /// file this library decodes (<see cref="Audio.Wav.WavFormatException"/>, which is not an <see cref="IOException"/>),
    /// or audio the model's pipeline rejects. Anything else (ONNX Runtime failing, say) fails the whole command.
    /// </summary>
    private static bool IsBadInput(Exception e) => CliRunner.IsBadInputFile(e) || e is Pipeline.Features.SchemaMismatchException;

    private static void PrintBench(EmotionRecognizer recognizer, string file, int calls)
    {
        (LatencySummary endToEnd, LatencySummary network, int windows) = RecognitionTiming.Measure(recognizer, file, calls);
        string provider = ExecutionProviderNames.Name(recognizer.Model.Provider);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: {file} on {provider}, {calls} calls each: end to end p50 {endToEnd.P50Ms:F2} ms, p90 {endToEnd.P90Ms:F2} ms, mean {endToEnd.MeanMs:F2} ms, min {endToEnd.MinMs:F2} ms"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: network only ({windows} window{(windows == 1 ? "" : "s")} per run) on {provider}: p50 {network.P50Ms:F3} ms, p90 {network.P90Ms:F3} ms, mean {network.MeanMs:F3} ms, min {network.MinMs:F3} ms"));
    }

    /// <summary>The files to score: the file itself, or every <c>.wav</c> under the folder (recursive, sorted).</summary>
    private static (IReadOnlyList<string> Files, bool Folder) FindInputs(string wav)
    {
        if (Directory.Exists(wav))
        {
            var files = new List<string>();
            foreach (string file in Directory.EnumerateFiles(wav, "*", new EnumerationOptions { RecurseSubdirectories = true, MatchCasing = MatchCasing.CaseInsensitive }))
            {
                if (file.EndsWith(".wav", StringComparison.OrdinalIgnoreCase))
                {
                    files.Add(file);
                }
            }
            if (files.Count == 0)
            {
                throw new FileNotFoundException($"no .wav files under '{wav}'");
            }
            files.Sort(StringComparer.Ordinal);
            return (files, true);
        }
        if (!File.Exists(wav))
        {
            throw new FileNotFoundException($"'{wav}' does not exist (expected a WAV file or a folder of them)", wav);
        }
        return ([wav], false);
    }
}
