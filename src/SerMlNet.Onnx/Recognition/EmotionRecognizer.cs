using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Onnx.Calibration;
using SerMlNet.Pipeline.Features;

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
/// and gets exactly the features <see cref="FittedFrontEnd.ComputeFeatures(string)"/> computes (what training saw). A longer one is cut into windows of
/// <c>Frames</c> frames with a hop of <c>Frames / 2</c>, each then through the stages after <c>fixedLength</c>
/// (normalisation). The windows are cut from the clip's log-Mel matrix, so their dB values are relative to the loudest
/// frame of the whole clip.</item>
/// <item><see cref="ModelInputKind.Pcm"/> models (<c>model-e2e.onnx</c>): the pipeline runs up to its <c>logMel</c>
/// stage (decoding, resampling, trimming) and the samples are cut into windows of <c>(Frames − 1) × HopLength</c>
/// samples (which the graph turns into exactly <c>Frames</c> frames) with a hop of half that; a shorter input is one
/// window. The graph computes the rest, each window relative to its own loudest frame.</item>
/// </list></para>
/// <para><b>Test-time augmentation and calibration.</b> With <see cref="RecognitionOptions.TestTimeSpeeds"/> (opened with
/// <see cref="Open(string, OnnxModelOptions?, RecognitionOptions?)"/>), every whole input is also scored at those speeds
/// and its overall prediction is the mean of the variants'; its windows stay those of the input as given, and streams
/// score each window once. A recognizer opened with a <see cref="SpeakerCalibration"/> shifts every window's logits
/// (of every variant) by minus its offsets before the softmax.</para>
/// <para><b>Batching.</b> The windows of an input go to ONNX Runtime together, up to <see cref="MaxWindowsPerRun"/> per
/// run, through buffers reused across calls. The batched overloads score their inputs in groups of 8, one group per core
/// at a time (features, then one network run for the group's windows), so one group's network run overlaps another's
/// features, and each run stays small enough for its activations to stay in cache.</para>
/// <para><b>Parts.</b> This type only wires them: <see cref="RecognizerStartup"/> (cold start), <see cref="RecognitionFrontEnd"/>
/// (the pipeline up to the network input), <see cref="WindowPlan"/> (where windows start), <see cref="WindowBatchScorer"/>
/// (ONNX Runtime runs), <see cref="WindowAggregation"/> (window and overall predictions) and <see cref="InputGroups"/>
/// (the batched overloads); every path shares the plan, the scorer and the aggregation.</para>
/// <para><b>Threads.</b> Thread-safe: any number of threads may call <see cref="Recognize(string)"/> and its overloads at
/// once (each call rents its own buffers). <see cref="Dispose"/> must not race with them.</para>
/// </summary>
public sealed class EmotionRecognizer : IDisposable
{
    /// <summary>
    /// Inputs up to this many windows long are scored as one window, cropped like the training features (a typical
    /// trimmed RAVDESS clip is 3.1 s against a 3-s window); longer ones are scored in sliding windows.
    /// </summary>
    public const double SingleWindowFactor = WindowPlan.SingleWindowFactor;

    /// <summary>The most windows handed to ONNX Runtime in one run; more are split into several runs.</summary>
    public const int MaxWindowsPerRun = WindowBatchScorer.MaxWindowsPerRun;

    private readonly OnnxModel _model;
    private readonly RecognitionFrontEnd _frontEnd;
    private readonly WindowBatchScorer _scorer;

    /// <summary>The network's first run, on zeros, started by <see cref="Open(string, OnnxModelOptions?)"/> in the background; never faults.</summary>
    private readonly Task _networkWarmUp;

    private EmotionRecognizer(OnnxModel model, RecognitionFrontEnd frontEnd, Task networkWarmUp, SpeakerCalibration? calibration, RecognitionOptions recognition)
    {
        _model = model;
        _frontEnd = frontEnd;
        _networkWarmUp = networkWarmUp;
        Calibration = calibration;
        Options = recognition with { TestTimeSpeeds = [.. recognition.TestTimeSpeeds] }; // the caller's list may change later
        _scorer = new WindowBatchScorer(model, frontEnd, networkWarmUp, calibration);
    }

    /// <summary>The model (its labels, metadata and provider). Owned by this recognizer.</summary>
    public OnnxModel Model => _model;

    /// <summary>The fitted pipeline read from the model's <c>frontend</c> metadata.</summary>
    public FittedFrontEnd Pipeline => _frontEnd.FrontEnd;

    /// <summary>Class labels in output order.</summary>
    public IReadOnlyList<string> Labels => _model.Labels;

    /// <summary>What the model is fed.</summary>
    public ModelInputKind InputKind => _model.InputKind;

    /// <summary>Rate in Hz inputs are resampled to (the pipeline's <c>logMel.sampleRate</c>).</summary>
    public int SampleRate => _frontEnd.FrontEnd.SampleRate;

    /// <summary>Frames the network sees per window (the pipeline's <c>fixedLength.frames</c>), e.g. 300.</summary>
    public int WindowFrames => _frontEnd.FrontEnd.Frames;

    /// <summary>
    /// Length of a window in seconds: <c>(Frames − 1) × HopLength / SampleRate</c>, the span between its first and last
    /// frame centres (2.99 s for 300 frames at a 10 ms hop). Inputs up to 1.5 times this long (after trimming) are one window.
    /// </summary>
    public double WindowSeconds => (_frontEnd.FrontEnd.Frames - 1) * (double)_frontEnd.FrontEnd.HopLength / SampleRate;

    /// <summary>Hop between windows in seconds: <c>Frames / 2</c> frames (log-Mel models) or half a window of samples (PCM models).</summary>
    public double HopSeconds => _frontEnd.HopSeconds;

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
    public static EmotionRecognizer Open(string modelPath, OnnxModelOptions? options = null) => OpenCore(modelPath, options, calibration: null, recognition: null);

    /// <summary>
    /// Opens a model as <see cref="Open(string, OnnxModelOptions?)"/> does, scoring whole inputs as <paramref name="recognition"/> says
    /// (e.g. test-time augmentation).
    /// </summary>
    /// <param name="modelPath">A SerMlNet <c>model.onnx</c> or <c>model-e2e.onnx</c>.</param>
    /// <param name="options">Session set-up (provider, threads); null for the defaults (CPU).</param>
    /// <param name="recognition">How whole inputs are scored; null for the defaults (once each).</param>
    /// <returns>The recognizer; dispose it to free the session.</returns>
    /// <exception cref="ModelFileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidModelException">The file is not a SerMlNet model, or its pipeline is missing, unreadable or does not fit the network.</exception>
    /// <exception cref="OptionsValidationException"><paramref name="recognition"/> is invalid.</exception>
    public static EmotionRecognizer Open(string modelPath, OnnxModelOptions? options, RecognitionOptions? recognition) =>
        OpenCore(modelPath, options, calibration: null, recognition);

    /// <summary>
    /// Opens a model, as <see cref="Open(string, OnnxModelOptions?)"/>, that scores one speaker with their calibration:
    /// every window's logits are shifted by minus <see cref="SpeakerCalibration.Offsets"/> before the softmax, on every
    /// path (files, batches, streams); <see cref="RecognitionResult"/>s then hold the calibrated logits and probabilities.
    /// </summary>
    /// <param name="modelPath">The SerMlNet model (<c>model.onnx</c> or <c>model-e2e.onnx</c>) the calibration was fitted with.</param>
    /// <param name="calibration">The speaker's calibration (<see cref="FitCalibration"/>, or <see cref="SpeakerCalibration.Load"/>).</param>
    /// <param name="options">Session set-up; null for the defaults (CPU).</param>
    /// <returns>The recognizer; dispose it to free the session.</returns>
    /// <exception cref="ModelFileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidModelException">The file is not a SerMlNet model.</exception>
    /// <exception cref="SchemaMismatchException">The calibration was fitted with another model file, or its classes differ.</exception>
    public static EmotionRecognizer OpenCalibrated(string modelPath, SpeakerCalibration calibration, OnnxModelOptions? options = null) =>
        OpenCalibrated(modelPath, calibration, options, recognition: null);

    /// <summary>As <see cref="OpenCalibrated(string, SpeakerCalibration, OnnxModelOptions?)"/>, scoring whole inputs as <paramref name="recognition"/> says.</summary>
    /// <param name="modelPath">The SerMlNet model the calibration was fitted with.</param>
    /// <param name="calibration">The speaker's calibration.</param>
    /// <param name="options">Session set-up; null for the defaults (CPU).</param>
    /// <param name="recognition">How whole inputs are scored; null for the defaults. Fit and use a calibration with the same setting.</param>
    /// <returns>The recognizer; dispose it to free the session.</returns>
    /// <exception cref="ModelFileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidModelException">The file is not a SerMlNet model.</exception>
    /// <exception cref="SchemaMismatchException">The calibration was fitted with another model file, or its classes differ.</exception>
    /// <exception cref="OptionsValidationException"><paramref name="recognition"/> is invalid.</exception>
    public static EmotionRecognizer OpenCalibrated(string modelPath, SpeakerCalibration calibration, OnnxModelOptions? options, RecognitionOptions? recognition)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        return OpenCore(modelPath, options, calibration, recognition);
    }

    private static EmotionRecognizer OpenCore(string modelPath, OnnxModelOptions? options, SpeakerCalibration? calibration, RecognitionOptions? recognition)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        recognition ??= new RecognitionOptions();
        recognition.Validate();
        (OnnxModel model, FittedFrontEnd pipeline) = RecognizerStartup.Open(modelPath, options);
        RecognitionFrontEnd frontEnd;
        try
        {
            if (calibration is not null)
            {
                calibration.RequireModel(modelPath);
                calibration.RequireLabels(model.Labels);
            }
            frontEnd = new RecognitionFrontEnd(model, pipeline);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return new EmotionRecognizer(model, frontEnd, RecognizerStartup.WarmUpNetworkInBackground(model), calibration, recognition);
    }

    /// <summary>How whole inputs are scored (test-time augmentation); validated.</summary>
    public RecognitionOptions Options { get; }

    /// <summary>The speaker calibration this recognizer scores with; null for a plain one (<see cref="Open(string, OnnxModelOptions?)"/>).</summary>
    public SpeakerCalibration? Calibration { get; }

    /// <summary>
    /// Fits one speaker's calibration on unlabelled clips of that speaker: scores them with this (plain) recognizer and
    /// takes each class's mean log-probability (<see cref="SpeakerCalibration.Fit"/>), for <see cref="OpenCalibrated(string, SpeakerCalibration, OnnxModelOptions?)"/>.
    /// Sixteen or more clips that span the speaker's moods work best (see <see cref="SpeakerCalibration"/>). With test-time
    /// augmentation the offsets are fitted on the augmented predictions: use the calibration with the same setting.
    /// </summary>
    /// <param name="wavPaths">The speaker's clips (WAV files); at least one.</param>
    /// <param name="speaker">Name to record; default empty.</param>
    /// <returns>The calibration.</returns>
    /// <exception cref="ArgumentException"><paramref name="wavPaths"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">This recognizer is itself calibrated.</exception>
    /// <exception cref="IOException">A file is missing or unreadable.</exception>
    /// <exception cref="WavFormatException">A file is not a WAV file this library decodes.</exception>
    public SpeakerCalibration FitCalibration(IEnumerable<string> wavPaths, string speaker = "")
    {
        ArgumentNullException.ThrowIfNull(wavPaths);
        if (Calibration is not null)
        {
            throw new InvalidOperationException("fit a speaker calibration with a plain recognizer (EmotionRecognizer.Open), not a calibrated one");
        }
        string[] paths = [.. wavPaths];
        if (paths.Length == 0)
        {
            throw new ArgumentException("speaker calibration needs at least one clip", nameof(wavPaths));
        }
        return SpeakerCalibration.Fit(SpeakerCalibration.HashOfModel(_model.ModelPath), Recognize(paths), speaker);
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
        return Score([_frontEnd.PrepareFile(wavPath, wavPath, Options.TestTimeSpeeds)])[0];
    }

    /// <summary>Recognises the emotion in a waveform.</summary>
    /// <param name="audio">Mono samples at any rate (resampled to <see cref="SampleRate"/> by the pipeline).</param>
    /// <param name="source">A name for the result's <see cref="RecognitionResult.Source"/>; default <c>audio</c>.</param>
    /// <returns>The result.</returns>
    /// <exception cref="OnnxModelException">ONNX Runtime failed.</exception>
    public RecognitionResult Recognize(AudioSignal audio, string source = "audio")
    {
        ArgumentNullException.ThrowIfNull(audio);
        return Score([_frontEnd.Prepare(audio, source, Options.TestTimeSpeeds)])[0];
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
        return InputGroups.Run(wavPaths.Count, i => _frontEnd.PrepareFile(wavPaths[i], wavPaths[i], Options.TestTimeSpeeds), Score);
    }

    /// <summary>Recognises many waveforms in batches (see <see cref="Recognize(IReadOnlyList{string})"/>).</summary>
    /// <param name="signals">Mono waveforms at any rate.</param>
    /// <returns>One result per waveform, in input order; <see cref="RecognitionResult.Source"/> is <c>audio[i]</c>.</returns>
    /// <exception cref="OnnxModelException">ONNX Runtime failed.</exception>
    public IReadOnlyList<RecognitionResult> Recognize(IReadOnlyList<AudioSignal> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        return InputGroups.Run(signals.Count,
            i => _frontEnd.Prepare(signals[i] ?? throw new ArgumentNullException(nameof(signals), $"signals[{i}] is null"), $"audio[{i}]", Options.TestTimeSpeeds),
            Score);
    }

    /// <summary>
    /// Recognises the emotion in a WAV stream window by window as it arrives: a pipe from a microphone
    /// (<c>sox -d -t wav -</c>, <c>arecord -t wav</c>), standard input, a socket, or a file of any length, in bounded
    /// memory. Each window is yielded as soon as its last sample has arrived and it has been scored.
    /// <para><b>Windows.</b> Over the stream's samples at <see cref="SampleRate"/> (after down-mixing and a streaming
    /// resampler that gives the whole-file resampler's output bit for bit): <see cref="WindowSeconds"/> long, half that
    /// apart, the last one aligned to the end of the stream; a stream of at most 1.5 windows is one window. Start and end
    /// are the window's span in the stream, in seconds.</para>
    /// <para><b>Trimming on a stream.</b> A stream's loudest frame is unknown until it ends, so each window is treated as
    /// a clip of its own: the pipeline runs on the window from its first stage, so silence at the window's edges is
    /// trimmed relative to the window's own loudest frame and its log-Mel values are relative to that frame, exactly as a
    /// clip of that length read from a file (<see cref="Recognize(AudioSignal, string)"/> on the window's samples gives
    /// the same probabilities). A whole file given to <see cref="Recognize(string)"/> is still trimmed and windowed as one
    /// clip, so the two paths agree on a single-window input and differ slightly on longer ones.</para>
    /// <para><b>Errors.</b> A stream that ends inside its header, inside a sample frame or before its declared data size
    /// yields every window it completed, then throws <see cref="TruncatedWavException"/>.</para>
    /// </summary>
    /// <param name="wav">The WAV stream, read from its current position to its end (non-seekable streams are fine); not disposed.</param>
    /// <param name="options">Read settings and the stream's name for errors; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the enumeration between reads.</param>
    /// <returns>The windows, in stream order, <see cref="WindowResult.Index"/> from 0.</returns>
    /// <exception cref="WavFormatException">The stream is not a WAV stream this library decodes, or holds no audio.</exception>
    /// <exception cref="TruncatedWavException">The stream ended early (after the windows it completed).</exception>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> are invalid.</exception>
    /// <exception cref="OnnxModelException">ONNX Runtime failed.</exception>
    public IAsyncEnumerable<WindowResult> RecognizeStreamAsync(Stream wav, StreamRecognitionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wav);
        options ??= new StreamRecognitionOptions();
        options.Validate();
        return StreamRecognition.RunAsync(wav, options, _frontEnd, _scorer, _model.Labels, cancellationToken);
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
    /// <param name="wavPath">A WAV file.</param>
    /// <returns>Each window's input and its start (frames or samples into the trimmed input).</returns>
    internal IReadOnlyList<(float[] Input, int Start)> ComputeWindowInputs(string wavPath) => WindowInputs(_frontEnd.PrepareFile(wavPath, "test"));

    /// <summary>As <see cref="ComputeWindowInputs(string)"/>, for a waveform.</summary>
    /// <param name="audio">A waveform at any rate.</param>
    /// <returns>Each window's input and its start.</returns>
    internal IReadOnlyList<(float[] Input, int Start)> ComputeWindowInputs(AudioSignal audio) => WindowInputs(_frontEnd.Prepare(audio, "test"));

    private List<(float[] Input, int Start)> WindowInputs(PreparedInput p)
    {
        var result = new List<(float[], int)>(p.WindowCount);
        for (int w = 0; w < p.WindowCount; w++)
        {
            var values = new float[_frontEnd.WindowInputLength(p)];
            _frontEnd.FillWindow(p, w, values);
            result.Add((values, p.Starts[w]));
        }
        return result;
    }

    /// <summary>
    /// Scores prepared inputs (and their test-time variants) together and aggregates each one's windows, then its
    /// variants' overall predictions.
    /// </summary>
    private RecognitionResult[] Score(PreparedInput[] items)
    {
        _scorer.Score(Options.TestTimeSpeeds.Count == 0 ? items : [.. items.SelectMany(i => i.Variants.Prepend(i))]);
        var results = new RecognitionResult[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            results[i] = WindowAggregation.ToResult(items[i], _frontEnd, _model.Labels);
        }
        return results;
    }
}
