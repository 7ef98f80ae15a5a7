using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Resampling;
using SerMlNet.Pipeline.Features;

namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// The model's fitted front end as inference runs it: checks once that the front end fits the network, turns an input
/// (a file, a waveform, one window of a stream) into a <see cref="PreparedInput"/> and writes each window's network input.
/// <list type="bullet">
/// <item><see cref="ModelInputKind.LogMel"/> models: the pipeline runs up to <c>fixedLength</c> on the whole input; windows
/// of <c>Frames</c> frames (hop <c>Frames / 2</c>) are cut from its log-Mel matrix, padded or cropped like the
/// <c>fixedLength</c> stage when the input is a single window, then normalised in place (no allocation).</item>
/// <item><see cref="ModelInputKind.Pcm"/> models: the pipeline runs up to <c>logMel</c> (decoding, resampling, trimming);
/// windows of <c>(Frames − 1) × HopLength</c> samples (hop half that) are cut from the trimmed samples; the graph does the
/// rest. When the graph trims itself (metadata <c>trims_silence</c>), an input that fits one window goes to it untrimmed,
/// so the graph computes exactly the features of the pipeline; the windows of a longer input are cut from the trimmed
/// samples as before, and the graph trims each again as a clip of its own.</item>
/// </list>
/// Immutable; thread-safe.
/// </summary>
internal sealed class RecognitionFrontEnd
{
    private readonly ModelInputKind _kind;
    private readonly bool _graphTrims;

    /// <summary>Checks the front end against the network.</summary>
    /// <param name="model">The model.</param>
    /// <param name="frontEnd">Its fitted front end.</param>
    /// <exception cref="InvalidModelException">The front end does not fit the network.</exception>
    public RecognitionFrontEnd(OnnxModel model, FittedFrontEnd frontEnd)
    {
        string path = model.ModelPath;
        FrontEnd = frontEnd;
        _kind = model.InputKind;
        if (_kind == ModelInputKind.LogMel)
        {
            long mels = model.InputShape[2], frames = model.InputShape[3];
            if (frontEnd.NMels != mels || frontEnd.Frames != frames)
            {
                throw new InvalidModelException(path, $"its pipeline yields Features [{frontEnd.NMels} x {frontEnd.Frames}] @ {frontEnd.SampleRate} Hz but the network takes [{mels} x {frames}] log-Mel features");
            }
            Plan = new WindowPlan(frontEnd.Frames, Math.Max(1, frontEnd.Frames / 2));
        }
        else
        {
            if (model.Metadata.SampleRate != frontEnd.SampleRate)
            {
                throw new InvalidModelException(path, $"the graph takes PCM at {model.Metadata.SampleRate} Hz but its pipeline's 'logMel' stage is set for {frontEnd.SampleRate} Hz");
            }
            _graphTrims = model.Metadata.TrimsSilence;
            int window = checked((frontEnd.Frames - 1) * frontEnd.HopLength);
            if (window < 1)
            {
                throw new InvalidModelException(path, $"a window of {frontEnd.Frames} frame(s) holds no samples");
            }
            Plan = new WindowPlan(window, Math.Max(1, window / 2));
        }
        // A stream is windowed over samples for either kind: a window of audio is as long as a PCM model's window.
        int samples = checked((frontEnd.Frames - 1) * frontEnd.HopLength);
        StreamPlan = new WindowPlan(Math.Max(1, samples), Math.Max(1, samples / 2));
    }

    /// <summary>The fitted front end.</summary>
    public FittedFrontEnd FrontEnd { get; }

    /// <summary>Windows of a whole input: frames for log-Mel models, samples for PCM models.</summary>
    public WindowPlan Plan { get; }

    /// <summary>Windows of a stream, in samples at <see cref="FittedFrontEnd.SampleRate"/>: <c>(Frames − 1) × HopLength</c> long, half that apart.</summary>
    public WindowPlan StreamPlan { get; }

    /// <summary>Hop between windows of a whole input, in seconds.</summary>
    public double HopSeconds => _kind == ModelInputKind.LogMel
        ? Plan.Hop * (double)FrontEnd.HopLength / FrontEnd.SampleRate
        : Plan.Hop / (double)FrontEnd.SampleRate;

    /// <summary>Decodes a WAV file, runs the front end up to the network's input and plans the windows.</summary>
    /// <param name="wavPath">The file (any rate, mono or stereo).</param>
    /// <param name="source">The input's name for the result.</param>
    /// <returns>The prepared input.</returns>
    public PreparedInput PrepareFile(string wavPath, string source)
    {
        AudioSignal audio = FrontEnd.ReadAudio(wavPath);
        return PrepareResampled(audio, audio.DurationSeconds, source, 0);
    }

    /// <summary>
    /// <see cref="PrepareFile(string, string)"/> with a test-time variant for each of <paramref name="speeds"/> (<see
    /// cref="PreparedInput.Variants"/>): the decoded, resampled clip played at that speed (<see
    /// cref="Resampler.ChangeSpeed"/>, the training's speed perturbation computed from the resampler's exact polyphase
    /// table), then through the same stages.
    /// </summary>
    /// <param name="wavPath">The file (any rate, mono or stereo).</param>
    /// <param name="source">The input's name for the result.</param>
    /// <param name="speeds">Valid speeds (<see cref="RecognitionOptions.Validate"/>); empty for none.</param>
    /// <returns>The prepared input.</returns>
    public PreparedInput PrepareFile(string wavPath, string source, IReadOnlyList<double> speeds)
    {
        AudioSignal audio = FrontEnd.ReadAudio(wavPath);
        return WithVariants(audio, audio.DurationSeconds, source, speeds);
    }

    /// <summary><see cref="Prepare(AudioSignal, string, double)"/> of a whole input with a test-time variant for each of <paramref name="speeds"/>.</summary>
    /// <param name="input">A waveform at any rate.</param>
    /// <param name="source">The input's name for the result.</param>
    /// <param name="speeds">Valid speeds; empty for none.</param>
    /// <returns>The prepared input.</returns>
    public PreparedInput Prepare(AudioSignal input, string source, IReadOnlyList<double> speeds) =>
        WithVariants(FrontEnd.Resample(input), input.DurationSeconds, source, speeds);

    private PreparedInput WithVariants(AudioSignal audio, double duration, string source, IReadOnlyList<double> speeds)
    {
        PreparedInput plain = PrepareResampled(audio, duration, source, 0);
        if (speeds.Count == 0)
        {
            return plain;
        }
        var variants = new PreparedInput[speeds.Count];
        for (int v = 0; v < variants.Length; v++)
        {
            variants[v] = PrepareResampled(new AudioSignal(Resampler.ChangeSpeed(audio.Samples, speeds[v]), audio.SampleRate), duration, source, 0);
        }
        plain.Variants = variants;
        return plain;
    }

    /// <summary>Runs the front end up to the network's input on a waveform and plans the windows.</summary>
    /// <param name="input">A waveform at any rate.</param>
    /// <param name="source">The input's name for the result.</param>
    /// <param name="startSeconds">Where the input starts in a longer recording (a stream window), in seconds; 0 for a whole input.</param>
    /// <returns>The prepared input.</returns>
    public PreparedInput Prepare(AudioSignal input, string source, double startSeconds = 0) =>
        PrepareResampled(FrontEnd.Resample(input), input.DurationSeconds, source, startSeconds);

    private PreparedInput PrepareResampled(AudioSignal audio, double duration, string source, double offsetSeconds)
    {
        // Trimming is the one step whose effect on time the windows' spans need: where the kept audio starts.
        AudioSignal trimmed = FrontEnd.TrimSilence(audio, out int start);
        offsetSeconds += start / (double)audio.SampleRate;
        int audioLength = trimmed.Samples.Length;
        if (_kind == ModelInputKind.LogMel)
        {
            FeatureMatrix features = FrontEnd.ComputeLogMel(trimmed);
            return new PreparedInput(source, duration, offsetSeconds, audioLength, features, null, Plan.Starts(features.Columns));
        }
        // An empty input has nothing to trim; one zero sample gives the graph the same single padded frame.
        float[] pcm = audioLength == 0 ? new float[1] : trimmed.Samples;
        int[] starts = Plan.Starts(pcm.Length);
        if (_graphTrims && starts.Length == 1 && FrontEnd.Trim is not null && audio.Samples.Length > 0)
        {
            pcm = audio.Samples;
        }
        return new PreparedInput(source, duration, offsetSeconds, audioLength, null, pcm, starts);
    }

    /// <summary>Values of one window's network input: <c>n_mels × Frames</c>, or its samples (a single PCM window keeps its own length).</summary>
    /// <param name="input">The prepared input.</param>
    /// <returns>The length.</returns>
    public int WindowInputLength(PreparedInput input) => _kind == ModelInputKind.LogMel
        ? FrontEnd.NMels * FrontEnd.Frames
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
        int rows = features.Rows, columns = features.Columns, frames = FrontEnd.Frames;
        if (input.WindowCount == 1)
        {
            // The whole input, padded (or cropped) exactly as the fixedLength stage does.
            FixedLength.Apply(features.Data, rows, columns, destination, frames, FrontEnd.FixedLength.Alignment);
        }
        else
        {
            int start = input.Starts[window];
            for (int r = 0; r < rows; r++)
            {
                features.Data.AsSpan(r * columns + start, frames).CopyTo(destination.Slice(r * frames, frames));
            }
        }
        FrontEnd.NormalizeInPlace(destination, frames);
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
        long hop = FrontEnd.HopLength;
        long first = input.Starts[window] * hop;
        long last = Math.Min((input.Starts[window] + (long)FrontEnd.Frames - 1) * hop, input.AudioLength);
        return (first, last);
    }
}
