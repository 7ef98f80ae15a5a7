using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Stages;

namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// The model's fitted pipeline as inference runs it: checks once that the pipeline fits the network, turns an input (a
/// file, a waveform, one window of a stream) into a <see cref="PreparedInput"/> and writes each window's network input.
/// <list type="bullet">
/// <item><see cref="ModelInputKind.LogMel"/> models: the pipeline runs up to <c>fixedLength</c> on the whole input; windows
/// of <c>Frames</c> frames (hop <c>Frames / 2</c>) are cut from its log-Mel matrix, padded or cropped like the
/// <c>fixedLength</c> stage when the input is a single window, then through the <see cref="FeatureTail"/>.</item>
/// <item><see cref="ModelInputKind.Pcm"/> models: the pipeline runs up to <c>logMel</c> (decoding, resampling, trimming);
/// windows of <c>(Frames − 1) × HopLength</c> samples (hop half that) are cut from the samples; the graph does the rest.</item>
/// </list>
/// Immutable; thread-safe.
/// </summary>
internal sealed class RecognitionFrontEnd
{
    private readonly ModelInputKind _kind;
    private readonly TransformerChain _prefix;
    private readonly FeatureTail? _tail;

    /// <summary>Analyses the pipeline against the network.</summary>
    /// <param name="model">The model.</param>
    /// <param name="chain">Its fitted pipeline.</param>
    /// <exception cref="InvalidModelException">The pipeline lacks a stage inference needs or does not fit the network.</exception>
    public RecognitionFrontEnd(OnnxModel model, TransformerChain chain)
    {
        string path = model.ModelPath;
        if (!ChainLayout.TryAnalyse(chain, out ChainLayout? layout, out string? problem))
        {
            throw new InvalidModelException(path, $"metadata '{OnnxMetadataKeys.FrontEnd}': {problem}");
        }
        Layout = layout!;
        _kind = model.InputKind;
        SampleSchema output;
        try
        {
            output = chain.GetOutputSchema(SampleSchema.Source);
        }
        catch (SchemaMismatchException e)
        {
            throw new InvalidModelException(path, $"metadata '{OnnxMetadataKeys.FrontEnd}': {e.Message}", e);
        }
        if (_kind == ModelInputKind.LogMel)
        {
            long mels = model.InputShape[2], frames = model.InputShape[3];
            if (output.Kind != SampleKind.Features || output.Rows != mels || output.Columns != frames || Layout.Frames != frames)
            {
                throw new InvalidModelException(path, $"its pipeline yields {output.Describe()} but the network takes [{mels} x {frames}] log-Mel features");
            }
            _prefix = Layout.BeforeFixedLength;
            _tail = new FeatureTail(Layout.AfterFixedLength, Layout.Frames);
            Plan = new WindowPlan(Layout.Frames, Math.Max(1, Layout.Frames / 2));
        }
        else
        {
            if (model.Metadata.SampleRate != Layout.SampleRate)
            {
                throw new InvalidModelException(path, $"the graph takes PCM at {model.Metadata.SampleRate} Hz but its pipeline's '{LogMelStage.TypeName}' stage is set for {Layout.SampleRate} Hz");
            }
            _prefix = Layout.BeforeLogMel;
            int window = checked((Layout.Frames - 1) * Layout.HopLength);
            if (window < 1)
            {
                throw new InvalidModelException(path, $"a window of {Layout.Frames} frame(s) holds no samples");
            }
            Plan = new WindowPlan(window, Math.Max(1, window / 2));
        }
        // A stream is windowed over samples for either kind: a window of audio is as long as a PCM model's window.
        int samples = checked((Layout.Frames - 1) * Layout.HopLength);
        StreamPlan = new WindowPlan(Math.Max(1, samples), Math.Max(1, samples / 2));
    }

    /// <summary>Where the stages sit in the pipeline.</summary>
    public ChainLayout Layout { get; }

    /// <summary>Windows of a whole input: frames for log-Mel models, samples for PCM models.</summary>
    public WindowPlan Plan { get; }

    /// <summary>Windows of a stream, in samples at <see cref="ChainLayout.SampleRate"/>: <c>(Frames − 1) × HopLength</c> long, half that apart.</summary>
    public WindowPlan StreamPlan { get; }

    /// <summary>Whether the stages after <c>fixedLength</c> take the allocation-free path.</summary>
    public bool UsesFastTail => _tail?.IsFast ?? false;

    /// <summary>Hop between windows of a whole input, in seconds.</summary>
    public double HopSeconds => _kind == ModelInputKind.LogMel
        ? Plan.Hop * (double)Layout.HopLength / Layout.SampleRate
        : Plan.Hop / (double)Layout.SampleRate;

    /// <summary>Runs the pipeline up to the network's input and plans the windows.</summary>
    /// <param name="input">A file or a waveform at any rate.</param>
    /// <param name="source">The input's name for the result.</param>
    /// <param name="startSeconds">Where the input starts in a longer recording (a stream window), in seconds; 0 for a whole input.</param>
    /// <returns>The prepared input.</returns>
    /// <exception cref="SchemaMismatchException">The pipeline did not produce audio at the model's rate.</exception>
    public PreparedInput Prepare(Sample input, string source, double startSeconds = 0)
    {
        var context = TransformContext.Plain;
        Sample sample = input;
        double? duration = input.Audio?.DurationSeconds;
        double offsetSeconds = startSeconds;
        AudioSignal? lastAudio = input.Audio;
        foreach (ITransformer stage in _prefix)
        {
            if (stage is TrimStage trim && sample.Audio is { } untrimmed)
            {
                // The one stage whose effect on time the windows' spans need: where the kept audio starts.
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
        if (lastAudio is null || lastAudio.SampleRate != Layout.SampleRate)
        {
            throw new SchemaMismatchException($"the pipeline did not produce {Layout.SampleRate} Hz audio before its '{LogMelStage.TypeName}' stage");
        }
        int audioLength = lastAudio.Samples.Length;
        if (_kind == ModelInputKind.LogMel)
        {
            FeatureMatrix features = sample.RequireFeatures(FixedLengthStage.TypeName);
            return new PreparedInput(source, duration ?? 0, offsetSeconds, audioLength, features, null, Plan.Starts(features.Columns));
        }
        // An all-silent clip trims to nothing; one zero sample gives the graph the same single padded frame.
        float[] pcm = audioLength == 0 ? new float[1] : lastAudio.Samples;
        return new PreparedInput(source, duration ?? 0, offsetSeconds, audioLength, null, pcm, Plan.Starts(pcm.Length));
    }

    /// <summary>Values of one window's network input: <c>n_mels × Frames</c>, or its samples (a single PCM window keeps its own length).</summary>
    /// <param name="input">The prepared input.</param>
    /// <returns>The length.</returns>
    public int WindowInputLength(PreparedInput input) => _kind == ModelInputKind.LogMel
        ? Layout.NMels * Layout.Frames
        : input.WindowCount == 1 ? input.Pcm!.Length : Plan.Length;

    /// <summary>Writes one window's network input.</summary>
    /// <param name="input">The prepared input.</param>
    /// <param name="window">Window index.</param>
    /// <param name="destination">Exactly <see cref="WindowInputLength"/> values.</param>
    public void FillWindow(PreparedInput input, int window, Span<float> destination)
    {
        if (_kind == ModelInputKind.Pcm)
        {
            input.Pcm.AsSpan(input.Starts[window], destination.Length).CopyTo(destination);
            return;
        }
        FeatureMatrix features = input.Features!;
        int rows = features.Rows, columns = features.Columns, frames = Layout.Frames;
        if (input.WindowCount == 1)
        {
            // The whole input, padded (or cropped) exactly as the fixedLength stage does.
            FixedLength.Apply(features.Data, rows, columns, destination, frames, Layout.FixedLength.Options.Alignment);
        }
        else
        {
            int start = input.Starts[window];
            for (int r = 0; r < rows; r++)
            {
                features.Data.AsSpan(r * columns + start, frames).CopyTo(destination.Slice(r * frames, frames));
            }
        }
        _tail!.Apply(destination, rows, frames);
    }

    /// <summary>A window's first and last sample in the trimmed audio (at the model's rate).</summary>
    /// <param name="input">The prepared input.</param>
    /// <param name="window">Window index.</param>
    /// <returns>The span in samples.</returns>
    public (double Start, double End) WindowSpan(PreparedInput input, int window)
    {
        if (input.WindowCount == 1)
        {
            return (0, input.AudioLength);
        }
        if (_kind == ModelInputKind.Pcm)
        {
            return (input.Starts[window], input.Starts[window] + (double)Plan.Length);
        }
        long hop = Layout.HopLength;
        long first = input.Starts[window] * hop;
        long last = Math.Min((input.Starts[window] + (long)Layout.Frames - 1) * hop, input.AudioLength);
        return (first, last);
    }
}
