using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Trimming;
using SerMlNet.Pipeline.Calibration;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Stages;

namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// Recognises emotions in WAV files or waveforms with a SerMlNet model: the fitted pipeline stored in the model's
/// <c>frontend</c> metadata turns any WAV (any rate, mono or stereo) into exactly the features training saw, and the
/// model scores them on ONNX Runtime.
/// <para><b>Windows.</b> An input longer than the network's window is scored in sliding windows, half a window apart,
/// the last one aligned to the end; the overall answer is the mean of the windows' probabilities.
/// <list type="bullet">
/// <item><see cref="ModelInputKind.LogMel"/> models (<c>model.onnx</c>): the pipeline runs up to its <c>fixedLength</c>
/// stage on the whole clip. A clip of at most 1.5 × <c>Frames</c> frames (<see cref="SingleWindowFactor"/>) is one window
/// and gets exactly the features <see cref="TransformerChain.TransformFile"/> computes (what training saw). A longer one is cut into windows of
/// <c>Frames</c> frames with a hop of <c>Frames / 2</c>, each then through the stages after <c>fixedLength</c>
/// (normalisation). The windows are cut from the clip's log-Mel matrix, so their dB values are relative to the loudest
/// frame of the whole clip.</item>
/// <item><see cref="ModelInputKind.Pcm"/> models (<c>model-e2e.onnx</c>): the pipeline runs up to its <c>logMel</c>
/// stage (decoding, resampling, trimming) and the samples are cut into windows of <c>(Frames − 1) × HopLength</c>
/// samples (which the graph turns into exactly <c>Frames</c> frames) with a hop of half that; a shorter input is one
/// window. The graph computes the rest, each window relative to its own loudest frame.</item>
/// </list></para>
/// <para><b>Batching.</b> The windows of an input go to ONNX Runtime together, up to <see cref="MaxWindowsPerRun"/> per
/// run, through buffers reused across calls. The batched overloads score their inputs in groups of 8, one group per core
/// at a time (features, then one network run for the group's windows), so one group's network run overlaps another's
/// features, and each run stays small enough for its activations to stay in cache.</para>
/// <para><b>Threads.</b> Thread-safe: any number of threads may call <see cref="Recognize(string)"/> and its overloads at
/// once (each call rents its own buffers). <see cref="Dispose"/> must not race with them.</para>
/// </summary>
public sealed class EmotionRecognizer : IDisposable
{
    /// <summary>
    /// Inputs up to this many windows long are scored as one window, cropped like the training features (a typical
    /// trimmed RAVDESS clip is 3.1 s against a 3-s window); longer ones are scored in sliding windows.
    /// </summary>
    public const double SingleWindowFactor = 1.5;

    /// <summary>The most windows handed to ONNX Runtime in one run; more are split into several runs.</summary>
    public const int MaxWindowsPerRun = 16;

    /// <summary>Inputs of the batched overloads scored together (features, then one network run).</summary>
    private const int InputsPerGroup = 8;

    private readonly OnnxModel _model;
    private readonly ChainLayout _layout;
    private readonly TransformerChain _prefix;
    private readonly NormaliseTransformer[]? _fastTail;
    private readonly int _windowLength;
    private readonly int _windowHop;
    private readonly ConcurrentBag<Workspace> _workspaces = [];

    /// <summary>The network's first run, on zeros, started by <see cref="Open"/> in the background; never faults.</summary>
    private Task _networkWarmUp = Task.CompletedTask;

    private EmotionRecognizer(OnnxModel model, TransformerChain chain)
    {
        _model = model;
        string path = model.ModelPath;
        if (!ChainLayout.TryAnalyse(chain, out ChainLayout? layout, out string? problem))
        {
            throw new InvalidModelException(path, $"metadata '{OnnxMetadataKeys.FrontEnd}': {problem}");
        }
        _layout = layout!;
        SampleSchema output;
        try
        {
            output = chain.GetOutputSchema(SampleSchema.Source);
        }
        catch (SchemaMismatchException e)
        {
            throw new InvalidModelException(path, $"metadata '{OnnxMetadataKeys.FrontEnd}': {e.Message}", e);
        }
        if (model.InputKind == ModelInputKind.LogMel)
        {
            long mels = model.InputShape[2], frames = model.InputShape[3];
            if (output.Kind != SampleKind.Features || output.Rows != mels || output.Columns != frames || _layout.Frames != frames)
            {
                throw new InvalidModelException(path, $"its pipeline yields {output.Describe()} but the network takes [{mels} x {frames}] log-Mel features");
            }
            _prefix = _layout.BeforeFixedLength;
            _fastTail = CompileTail(_layout.AfterFixedLength, _layout.Frames);
            _windowLength = _layout.Frames;
            _windowHop = Math.Max(1, _layout.Frames / 2);
        }
        else
        {
            if (model.Metadata.SampleRate != _layout.SampleRate)
            {
                throw new InvalidModelException(path, $"the graph takes PCM at {model.Metadata.SampleRate} Hz but its pipeline's '{LogMelStage.TypeName}' stage is set for {_layout.SampleRate} Hz");
            }
            _prefix = _layout.BeforeLogMel;
            _windowLength = checked((_layout.Frames - 1) * _layout.HopLength);
            if (_windowLength < 1)
            {
                throw new InvalidModelException(path, $"a window of {_layout.Frames} frame(s) holds no samples");
            }
            _windowHop = Math.Max(1, _windowLength / 2);
        }
    }

    /// <summary>The model (its labels, metadata and provider). Owned by this recognizer.</summary>
    public OnnxModel Model => _model;

    /// <summary>The fitted pipeline read from the model's <c>frontend</c> metadata.</summary>
    public TransformerChain Pipeline => _layout.Chain;

    /// <summary>Class labels in output order.</summary>
    public IReadOnlyList<string> Labels => _model.Labels;

    /// <summary>What the model is fed.</summary>
    public ModelInputKind InputKind => _model.InputKind;

    /// <summary>Rate in Hz inputs are resampled to (the pipeline's <c>logMel.sampleRate</c>).</summary>
    public int SampleRate => _layout.SampleRate;

    /// <summary>Frames the network sees per window (the pipeline's <c>fixedLength.frames</c>), e.g. 300.</summary>
    public int WindowFrames => _layout.Frames;

    /// <summary>
    /// Length of a window in seconds: <c>(Frames − 1) × HopLength / SampleRate</c>, the span between its first and last
    /// frame centres (2.99 s for 300 frames at a 10 ms hop). Inputs up to 1.5 times this long (after trimming) are one window.
    /// </summary>
    public double WindowSeconds => (_layout.Frames - 1) * (double)_layout.HopLength / _layout.SampleRate;

    /// <summary>Hop between windows in seconds: <c>Frames / 2</c> frames (log-Mel models) or half a window of samples (PCM models).</summary>
    public double HopSeconds => InputKind == ModelInputKind.LogMel
        ? _windowHop * (double)_layout.HopLength / _layout.SampleRate
        : _windowHop / (double)_layout.SampleRate;

    /// <summary>
    /// Opens a model and rebuilds its fitted pipeline, ready for a fast first call. Cold start runs side by side: the
    /// calling thread has ONNX Runtime create the session (native library load, environment, graph optimisation), while
    /// a worker thread reads the pipeline JSON straight from the file, builds the pipeline and runs it once on 0.25 s
    /// of a synthetic 48 kHz tone (decoded from an in-memory WAV), so the decoder, the 48 kHz resampler and the feature
    /// code are compiled (JIT builds) and their tables built. Once the session exists this method returns, and the
    /// network's first run (ONNX Runtime allocates and prepares its kernels then) continues in the background on zeros,
    /// while the caller computes the features of its first input; the first network run of a <c>Recognize</c> call
    /// waits for it.
    /// </summary>
    /// <param name="modelPath">A SerMlNet <c>model.onnx</c> or <c>model-e2e.onnx</c> whose <c>frontend</c> metadata holds the fitted pipeline JSON.</param>
    /// <param name="options">Session set-up (provider, threads); null for the defaults (CPU).</param>
    /// <returns>The recognizer; dispose it to free the session.</returns>
    /// <exception cref="ModelFileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidModelException">The file is not a SerMlNet model, or its pipeline is missing, unreadable or does not fit the network.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">CUDA was asked for and cannot run.</exception>
    /// <exception cref="OnnxValidationException"><paramref name="options"/> are invalid.</exception>
    public static EmotionRecognizer Open(string modelPath, OnnxModelOptions? options = null) => OpenCore(modelPath, options, calibration: null);

    /// <summary>
    /// Opens a model, as <see cref="Open(string, OnnxModelOptions?)"/>, with one speaker's calibration in place of the
    /// training split's band statistics (<see cref="SpeakerCalibration.Apply"/>).
    /// </summary>
    /// <param name="modelPath">A SerMlNet <c>model.onnx</c> (log-Mel input: the calibrated normalisation runs in C#).</param>
    /// <param name="calibration">The speaker's calibration, fitted with this model's pipeline.</param>
    /// <param name="options">Session set-up; null for the defaults (CPU).</param>
    /// <returns>The recognizer; dispose it to free the session.</returns>
    /// <exception cref="ModelFileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidModelException">The file is not a SerMlNet model, or the calibration is given for an end-to-end model (whose graph normalises).</exception>
    /// <exception cref="SchemaMismatchException">The calibration was fitted with another front end, or the pipeline has no band normaliser.</exception>
    public static EmotionRecognizer OpenCalibrated(string modelPath, SpeakerCalibration calibration, OnnxModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        return OpenCore(modelPath, options, calibration);
    }

    private static EmotionRecognizer OpenCore(string modelPath, OnnxModelOptions? options, SpeakerCalibration? calibration)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        // The pipeline on a worker, the session on the calling thread: loading libonnxruntime.so runs its static
        // initialisers (several MB of operator registrations) on whichever thread loads it, and glibc grows a non-main
        // thread's malloc arena one page (one mprotect) at a time, about 2,000 system calls on this model, where the
        // main thread's heap grows in 128-KB steps.
        Task<(string? Scanned, TransformerChain? Early)> pipeline = Task.Run(() => ReadAndWarmUpPipeline(modelPath));
        OnnxModel model;
        try
        {
            model = OnnxModel.Load(modelPath, options);
        }
        catch
        {
            // The load's error is the one to report; the worker is only waited for, never left running.
            ((IAsyncResult)pipeline).AsyncWaitHandle.WaitOne();
            throw;
        }
        try
        {
            (string? scanned, TransformerChain? early) = pipeline.GetAwaiter().GetResult();
            string json = model.Metadata.FrontEndJson
                ?? throw new InvalidModelException(model.ModelPath, $"metadata '{OnnxMetadataKeys.FrontEnd}' is missing, so the fitted pipeline that makes its features is unknown");
            TransformerChain chain = early is not null && json == scanned ? early : ParseChain(model.ModelPath, json);
            if (calibration is not null)
            {
                if (model.InputKind != ModelInputKind.LogMel)
                {
                    throw new InvalidModelException(model.ModelPath, "speaker calibration needs a log-Mel model (model.onnx); an end-to-end model normalises inside its graph");
                }
                chain = calibration.Apply(chain);
            }
            var recognizer = new EmotionRecognizer(model, chain);
            recognizer._networkWarmUp = Task.Run(() => WarmUpNetwork(model));
            return recognizer;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Recognises the emotion in a WAV file.</summary>
    /// <param name="wavPath">Any PCM or float WAV, any rate, any channel count (averaged to mono).</param>
    /// <returns>The result; <see cref="RecognitionResult.Source"/> is <paramref name="wavPath"/> as given.</returns>
    /// <exception cref="IOException">The file is missing or unreadable.</exception>
    /// <exception cref="Audio.Wav.WavFormatException">The file is not a WAV file this library decodes.</exception>
    /// <exception cref="OnnxModelException">ONNX Runtime failed.</exception>
    public RecognitionResult Recognize(string wavPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(wavPath);
        return Run([Prepare(Sample.FromFile(wavPath), wavPath)])[0];
    }

    /// <summary>Recognises the emotion in a waveform.</summary>
    /// <param name="audio">Mono samples at any rate (resampled to <see cref="SampleRate"/> by the pipeline).</param>
    /// <param name="source">A name for the result's <see cref="RecognitionResult.Source"/>; default <c>audio</c>.</param>
    /// <returns>The result.</returns>
    /// <exception cref="OnnxModelException">ONNX Runtime failed.</exception>
    public RecognitionResult Recognize(AudioSignal audio, string source = "audio")
    {
        ArgumentNullException.ThrowIfNull(audio);
        return Run([Prepare(Sample.FromAudio(audio), source)])[0];
    }

    /// <summary>
    /// Recognises many WAV files: their features are computed in parallel and all their windows scored in as few ONNX
    /// Runtime runs as <see cref="MaxWindowsPerRun"/> allows.
    /// </summary>
    /// <param name="wavPaths">The files.</param>
    /// <returns>One result per file, in input order.</returns>
    /// <exception cref="IOException">A file is missing or unreadable (the first failing one in input order; the message names it).</exception>
    /// <exception cref="Audio.Wav.WavFormatException">A file is not a WAV file this library decodes (likewise the first in input order).</exception>
    /// <exception cref="OnnxModelException">ONNX Runtime failed.</exception>
    public IReadOnlyList<RecognitionResult> Recognize(IReadOnlyList<string> wavPaths)
    {
        ArgumentNullException.ThrowIfNull(wavPaths);
        return RecognizeMany(wavPaths.Count, i => Prepare(Sample.FromFile(wavPaths[i]), wavPaths[i]));
    }

    /// <summary>Recognises many waveforms in batches (see <see cref="Recognize(IReadOnlyList{string})"/>).</summary>
    /// <param name="signals">Mono waveforms at any rate.</param>
    /// <returns>One result per waveform, in input order; <see cref="RecognitionResult.Source"/> is <c>audio[i]</c>.</returns>
    /// <exception cref="OnnxModelException">ONNX Runtime failed.</exception>
    public IReadOnlyList<RecognitionResult> Recognize(IReadOnlyList<AudioSignal> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        return RecognizeMany(signals.Count, i => Prepare(Sample.FromAudio(signals[i] ?? throw new ArgumentNullException(nameof(signals), $"signals[{i}] is null")), $"audio[{i}]"));
    }

    /// <summary>Frees the ONNX Runtime session (after the background warm-up run, if it is still going).</summary>
    public void Dispose()
    {
        _networkWarmUp.Wait();
        _model.Dispose();
    }

    /// <summary>
    /// The network inputs this recognizer builds for one input, window after window (row-major
    /// <c>[windows, n_mels, frames]</c> for log-Mel models, <c>[windows][samples]</c> concatenated for PCM models).
    /// For tests: they prove the features equal what the pipeline computes.
    /// </summary>
    /// <param name="input">A sample (a file or a waveform).</param>
    /// <returns>Each window's input and its start (frames or samples into the trimmed input).</returns>
    internal IReadOnlyList<(float[] Input, int Start)> ComputeWindowInputs(Sample input)
    {
        Prepared p = Prepare(input, "test");
        var result = new List<(float[], int)>(p.Starts.Length);
        for (int w = 0; w < p.Starts.Length; w++)
        {
            var values = new float[WindowInputLength(p)];
            FillWindow(p, w, values);
            result.Add((values, p.Starts[w]));
        }
        return result;
    }

    /// <summary>Whether the stages after <c>fixedLength</c> run on the allocation-free path (false: through the chain per window).</summary>
    internal bool UsesFastTail => _fastTail is not null;

    /// <summary>
    /// Reads the pipeline JSON straight from the model file and runs it once (see <see cref="WarmUp"/>); never faults:
    /// a missing or bad pipeline is reported by <see cref="Open"/> with the model's path once the session shows the file
    /// is a model at all.
    /// </summary>
    private static (string? Scanned, TransformerChain? Early) ReadAndWarmUpPipeline(string modelPath)
    {
        string? scanned = null;
        TransformerChain? early = null;
        try
        {
            scanned = OnnxFileMetadata.TryRead(modelPath, OnnxMetadataKeys.FrontEnd);
            early = scanned is null ? null : TransformerChain.FromJson(scanned);
        }
        catch (Exception e) when (IsPipelineError(e))
        {
            return (scanned, null);
        }
        if (early is not null)
        {
            try
            {
                WarmUp(early);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Only a warm-up: a pipeline that fails on real input says so, with its message, on the first call.
            }
        }
        return (scanned, early);
    }

    /// <summary>ONNX Runtime allocates and prepares kernels on a session's first run: do it on zeros, off the caller's path.</summary>
    private static void WarmUpNetwork(OnnxModel model)
    {
        try
        {
            var zeros = new float[model.ValuesPerExample ?? model.Metadata.SampleRate ?? 16000];
            model.Run(zeros, 1, new float[model.ClassCount], new float[model.ClassCount]);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only a warm-up: a network that cannot run fails again, with its message, on the first real call.
        }
    }

    /// <summary>Runs a chain once on 0.25 s of a 220 Hz tone at 48 kHz, written to and decoded from an in-memory 16-bit WAV.</summary>
    private static void WarmUp(TransformerChain chain)
    {
        const int rate = 48000;
        var tone = new float[rate / 4];
        for (int i = 0; i < tone.Length; i++)
        {
            tone[i] = 0.1f * MathF.Sin(2 * MathF.PI * 220 * i / rate);
        }
        using var wav = new MemoryStream();
        Audio.Wav.WavFile.Write(wav, tone, rate, Audio.Wav.WavSampleFormat.Pcm16);
        wav.Position = 0;
        chain.Transform(Sample.FromAudio(Audio.Wav.WavFile.Read(wav, "warm-up")), TransformContext.Plain);
    }

    private static TransformerChain ParseChain(string path, string json)
    {
        try
        {
            return TransformerChain.FromJson(json);
        }
        catch (Exception e) when (IsPipelineError(e))
        {
            throw new InvalidModelException(path, $"metadata '{OnnxMetadataKeys.FrontEnd}' is not a fitted SerMlNet pipeline: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    private static bool IsPipelineError(Exception e) =>
        e is PipelineFormatException or OptionsValidationException or SchemaMismatchException or JsonException
            or InvalidOperationException or ArgumentException or FormatException or IOException;

    private static NormaliseTransformer[]? CompileTail(TransformerChain tail, int frames)
    {
        var ops = new List<NormaliseTransformer>(tail.Count);
        foreach (ITransformer stage in tail)
        {
            if (stage is NormaliseTransformer normalise)
            {
                ops.Add(normalise);
            }
            else if ((stage.Traits & StageTraits.Augmentation) == 0 && !(stage is FixedLengthStage f && f.Options.Frames == frames))
            {
                // Neither inert at inference nor identity on a window that already has the right length.
                return null;
            }
        }
        return [.. ops];
    }

    /// <summary>
    /// Scores many inputs in groups of <see cref="InputsPerGroup"/>, one group per core at a time: each group computes its
    /// features, then runs its windows through ONNX Runtime, so one group's network run overlaps another's features.
    /// </summary>
    private RecognitionResult[] RecognizeMany(int count, Func<int, Prepared> prepare)
    {
        var results = new RecognitionResult[count];
        int groups = (count + InputsPerGroup - 1) / InputsPerGroup;
        var failures = new (int Index, Exception Error)?[groups];
        void RunGroup(int g)
        {
            int begin = g * InputsPerGroup, end = Math.Min(count, begin + InputsPerGroup);
            var items = new Prepared[end - begin];
            for (int i = begin; i < end; i++)
            {
                try
                {
                    items[i - begin] = prepare(i);
                }
                catch (Exception e)
                {
                    failures[g] = (i, e);
                    return;
                }
            }
            try
            {
                Run(items).CopyTo(results, begin);
            }
            catch (Exception e)
            {
                failures[g] = (begin, e);
            }
        }
        if (groups <= 1)
        {
            for (int g = 0; g < groups; g++)
            {
                RunGroup(g);
            }
        }
        else
        {
            Parallel.For(0, groups, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, RunGroup);
        }
        // Every input before a group's first failure succeeded, so the smallest index is the first failing input.
        (int Index, Exception Error)? first = null;
        foreach ((int Index, Exception Error)? failure in failures)
        {
            if (failure is { } f && (first is null || f.Index < first.Value.Index))
            {
                first = f;
            }
        }
        if (first is { } firstFailure)
        {
            ExceptionDispatchInfo.Throw(firstFailure.Error);
        }
        return results;
    }

    private Prepared Prepare(Sample input, string source)
    {
        var context = TransformContext.Plain;
        Sample sample = input;
        double? duration = input.Audio?.DurationSeconds;
        double offsetSeconds = 0;
        AudioSignal? lastAudio = input.Audio;
        foreach (ITransformer stage in _prefix)
        {
            if (stage is TrimStage trim && sample.Audio is { } untrimmed)
            {
                sample = trim.Trim(sample, out int start);
                offsetSeconds += start / (double)untrimmed.SampleRate;
            }
            else
            {
                sample = stage.Transform(sample, context);
            }
            if (sample.Audio is { } audio)
            {
                lastAudio = audio;
                duration ??= audio.DurationSeconds;
            }
        }
        if (lastAudio is null || lastAudio.SampleRate != SampleRate)
        {
            throw new SchemaMismatchException($"the pipeline did not produce {SampleRate} Hz audio before its '{LogMelStage.TypeName}' stage");
        }
        int audioLength = lastAudio.Samples.Length;
        if (InputKind == ModelInputKind.LogMel)
        {
            FeatureMatrix features = sample.RequireFeatures(FixedLengthStage.TypeName);
            return new Prepared(source, duration ?? 0, offsetSeconds, audioLength, features, null, Starts(features.Columns, _windowLength, _windowHop));
        }
        // An all-silent clip trims to nothing; one zero sample gives the graph the same single padded frame.
        float[] pcm = audioLength == 0 ? new float[1] : lastAudio.Samples;
        return new Prepared(source, duration ?? 0, offsetSeconds, audioLength, null, pcm, Starts(pcm.Length, _windowLength, _windowHop));
    }

    /// <summary>
    /// Window starts: one window at 0 when <paramref name="length"/> is at most <see cref="SingleWindowFactor"/>
    /// windows (the fixed-length stage then crops it exactly as in training), else every <paramref name="hop"/> with the
    /// last aligned to the end.
    /// </summary>
    private static int[] Starts(int length, int window, int hop)
    {
        if (length <= window * SingleWindowFactor)
        {
            return [0];
        }
        int count = (length - window + hop - 1) / hop + 1;
        var starts = new int[count];
        for (int i = 0; i < count; i++)
        {
            starts[i] = Math.Min(i * hop, length - window);
        }
        return starts;
    }

    private int WindowInputLength(Prepared p) => InputKind == ModelInputKind.LogMel
        ? _layout.NMels * _layout.Frames
        : p.Starts.Length == 1 ? p.Pcm!.Length : _windowLength;

    private void FillWindow(Prepared p, int window, Span<float> destination)
    {
        if (InputKind == ModelInputKind.Pcm)
        {
            p.Pcm.AsSpan(p.Starts[window], destination.Length).CopyTo(destination);
            return;
        }
        FeatureMatrix features = p.Features!;
        int rows = features.Rows, columns = features.Columns, frames = _layout.Frames;
        if (p.Starts.Length == 1)
        {
            // The whole clip, padded (or copied) exactly as the fixedLength stage does.
            FixedLength.Apply(features.Data, rows, columns, destination, frames, _layout.FixedLength.Options.Alignment);
        }
        else
        {
            int start = p.Starts[window];
            for (int r = 0; r < rows; r++)
            {
                features.Data.AsSpan(r * columns + start, frames).CopyTo(destination.Slice(r * frames, frames));
            }
        }
        if (_fastTail is not null)
        {
            foreach (NormaliseTransformer normalise in _fastTail)
            {
                if (normalise.Statistics is { } statistics)
                {
                    statistics.Apply(destination, frames, destination);
                }
                else
                {
                    ZScore.Apply(destination, destination);
                }
            }
            return;
        }
        var matrix = new FeatureMatrix(rows, frames, destination.ToArray());
        FeatureMatrix output = _layout.AfterFixedLength.Transform(Sample.FromFeatures(matrix), TransformContext.Plain).RequireFeatures("network input");
        if (output.Rows != rows || output.Columns != frames)
        {
            throw new SchemaMismatchException($"the stages after '{FixedLengthStage.TypeName}' turned a [{rows} x {frames}] window into [{output.Rows} x {output.Columns}]");
        }
        output.Data.CopyTo(destination);
    }

    private RecognitionResult[] Run(Prepared[] items)
    {
        int classes = _model.ClassCount;
        int total = 0;
        foreach (Prepared p in items)
        {
            total += p.Starts.Length;
            p.Logits = new float[p.Starts.Length * classes];
            p.Probabilities = new float[p.Logits.Length];
        }
        // Windows in the order they are scored: grouped by input length (PCM windows of one run must be equally long).
        var order = new (int Item, int Window, int Length)[total];
        int n = 0;
        for (int i = 0; i < items.Length; i++)
        {
            for (int w = 0; w < items[i].Starts.Length; w++)
            {
                order[n++] = (i, w, WindowInputLength(items[i]));
            }
        }
        if (InputKind == ModelInputKind.Pcm)
        {
            // Stable: equal lengths keep input order.
            order = [.. order.OrderBy(o => o.Length)];   // OrderBy is stable: equal lengths keep their order
        }
        Workspace workspace = _workspaces.TryTake(out Workspace? w0) ? w0 : new Workspace();
        try
        {
            for (int begin = 0; begin < total;)
            {
                int length = order[begin].Length;
                int end = begin + 1;
                while (end < total && end - begin < MaxWindowsPerRun && order[end].Length == length)
                {
                    end++;
                }
                int batch = end - begin;
                workspace.Ensure(batch * length, batch * classes);
                for (int k = 0; k < batch; k++)
                {
                    (int item, int window, _) = order[begin + k];
                    FillWindow(items[item], window, workspace.Input.AsSpan(k * length, length));
                }
                if (!_networkWarmUp.IsCompleted)
                {
                    _networkWarmUp.Wait();
                }
                _model.Run(workspace.Input.AsMemory(0, batch * length), batch, workspace.Logits.AsMemory(0, batch * classes), workspace.Probabilities.AsMemory(0, batch * classes));
                for (int k = 0; k < batch; k++)
                {
                    (int item, int window, _) = order[begin + k];
                    workspace.Logits.AsSpan(k * classes, classes).CopyTo(items[item].Logits.AsSpan(window * classes));
                    workspace.Probabilities.AsSpan(k * classes, classes).CopyTo(items[item].Probabilities.AsSpan(window * classes));
                }
                begin = end;
            }
        }
        finally
        {
            _workspaces.Add(workspace);
        }
        var results = new RecognitionResult[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            results[i] = ToResult(items[i], classes);
        }
        return results;
    }

    private RecognitionResult ToResult(Prepared p, int classes)
    {
        int windows = p.Starts.Length;
        var perWindow = new WindowResult[windows];
        var meanProbabilities = new float[classes];
        var meanLogits = new float[classes];
        double rate = SampleRate;
        for (int w = 0; w < windows; w++)
        {
            float[] probabilities = p.Probabilities.AsSpan(w * classes, classes).ToArray();
            float[] logits = p.Logits.AsSpan(w * classes, classes).ToArray();
            for (int c = 0; c < classes; c++)
            {
                meanProbabilities[c] += probabilities[c] / windows;
                meanLogits[c] += logits[c] / windows;
            }
            (double start, double end) = WindowSpan(p, w);
            perWindow[w] = new WindowResult(w, p.OffsetSeconds + start / rate, p.OffsetSeconds + end / rate, new EmotionPrediction(_model.Labels, probabilities, logits));
        }
        EmotionPrediction overall = windows == 1
            ? perWindow[0].Prediction
            : new EmotionPrediction(_model.Labels, meanProbabilities, meanLogits);
        return new RecognitionResult(p.Source, p.DurationSeconds, overall, perWindow);
    }

    /// <summary>A window's first and last sample in the trimmed audio.</summary>
    private (double Start, double End) WindowSpan(Prepared p, int window)
    {
        if (p.Starts.Length == 1)
        {
            return (0, p.AudioLength);
        }
        if (InputKind == ModelInputKind.Pcm)
        {
            return (p.Starts[window], p.Starts[window] + (double)_windowLength);
        }
        long hop = _layout.HopLength;
        long first = p.Starts[window] * hop;
        long last = Math.Min((p.Starts[window] + (long)_layout.Frames - 1) * hop, p.AudioLength);
        return (first, last);
    }

    /// <summary>One input on its way through: its pre-network data and window starts, then its outputs.</summary>
    private sealed class Prepared(string source, double durationSeconds, double offsetSeconds, int audioLength, FeatureMatrix? features, float[]? pcm, int[] starts)
    {
        public string Source { get; } = source;

        public double DurationSeconds { get; } = durationSeconds;

        /// <summary>Seconds trimmed from the start of the input.</summary>
        public double OffsetSeconds { get; } = offsetSeconds;

        /// <summary>Samples of the trimmed audio at the model's rate.</summary>
        public int AudioLength { get; } = audioLength;

        public FeatureMatrix? Features { get; } = features;

        public float[]? Pcm { get; } = pcm;

        /// <summary>Window starts: frames (log-Mel) or samples (PCM).</summary>
        public int[] Starts { get; } = starts;

        public float[] Logits { get; set; } = [];

        public float[] Probabilities { get; set; } = [];
    }

    /// <summary>Buffers of one call, pooled across calls: the batch input and ONNX Runtime's outputs.</summary>
    private sealed class Workspace
    {
        public float[] Input { get; private set; } = [];

        public float[] Logits { get; private set; } = [];

        public float[] Probabilities { get; private set; } = [];

        public void Ensure(int inputs, int outputs)
        {
            if (Input.Length < inputs)
            {
                Input = new float[inputs];
            }
            if (Logits.Length < outputs)
            {
                Logits = new float[outputs];
                Probabilities = new float[outputs];
            }
        }
    }
}
