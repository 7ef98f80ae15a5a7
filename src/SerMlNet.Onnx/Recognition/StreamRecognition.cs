using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using SerMlNet.Audio;
using SerMlNet.Audio.Wav;

namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// The stream path: reads a WAV stream block by block (<see cref="WavStreamReader"/>), cuts it into windows as they
/// complete (<see cref="StreamWindower"/>), treats each window as a clip of its own (the pipeline from its first stage:
/// trimmed, log-Mel relative to its own loudest frame, fixed length, normalised; see
/// <see cref="EmotionRecognizer.RecognizeStreamAsync"/>), scores the windows that one block completed in one ONNX
/// Runtime run (<see cref="WindowBatchScorer"/>) and yields them. Memory stays bounded whatever the stream's length:
/// one read block, the windower's samples, and the windows of one block. Not thread-safe (one enumeration per call).
/// </summary>
internal static class StreamRecognition
{
    /// <summary>Enumerates the window results of a WAV stream.</summary>
    /// <param name="wav">The stream.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="frontEnd">The front end.</param>
    /// <param name="scorer">The scoring core.</param>
    /// <param name="labels">Class labels.</param>
    /// <param name="cancellationToken">Cancels between reads.</param>
    /// <returns>The windows, in stream order.</returns>
    public static async IAsyncEnumerable<WindowResult> RunAsync(Stream wav, StreamRecognitionOptions options, RecognitionFrontEnd frontEnd,
        WindowBatchScorer scorer, IReadOnlyList<string> labels, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string name = options.SourceName;
        WavStreamReader reader = await WavStreamReader.OpenAsync(wav, name, cancellationToken).ConfigureAwait(false);
        int rate = frontEnd.FrontEnd.SampleRate;
        var windower = new StreamWindower(frontEnd.StreamPlan, reader.SampleRate, rate);
        var block = new float[options.BlockFrames];
        var ready = new List<(StreamWindow Window, PreparedInput Input)>();
        ExceptionDispatchInfo? truncated = null;
        bool end = false;
        while (!end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n;
            try
            {
                n = await reader.ReadAsync(block, cancellationToken).ConfigureAwait(false);
            }
            catch (TruncatedWavException e)
            {
                // The windows already settled were scored; the cut tail's windows are not (their bounds depend on an end
                // that never came). The error follows them.
                truncated = ExceptionDispatchInfo.Capture(e);
                break;
            }
            if (n == 0)
            {
                windower.Complete();
                end = true;
            }
            else
            {
                windower.Add(block.AsSpan(0, n));
            }
            while (windower.TryTake(out StreamWindow window))
            {
                var audio = new AudioSignal(window.Samples, rate);
                ready.Add((window, frontEnd.Prepare(audio, name, window.Start / (double)rate)));
            }
            if (ready.Count == 0)
            {
                continue;
            }
            scorer.Score([.. ready.Select(r => r.Input)]);
            foreach ((StreamWindow window, PreparedInput input) in ready)
            {
                double start = window.Start / (double)rate;
                double stop = (window.Start + window.Samples.Length) / (double)rate;
                yield return new WindowResult(checked((int)window.Index), start, stop, WindowAggregation.Prediction(input, 0, labels));
            }
            ready.Clear();
        }
        truncated?.Throw();
        if (windower.Taken == 0)
        {
            throw new WavFormatException(name, "empty audio: the stream ended before its first sample frame");
        }
    }
}
