using SerMlNet.Audio.Wav;

namespace SerMlNet.Onnx.Recognition.Timelines;

/// <summary>
/// Recognises a recording of any length into a <see cref="Timeline"/>: the stream path of
/// <see cref="EmotionRecognizer.RecognizeStreamAsync"/> (bounded memory, each window a clip of its own) feeding a
/// <see cref="TimelineBuilder"/>. Stateless; thread-safe when the recognizer is.
/// </summary>
public static class TimelineRecognition
{
    /// <summary>Builds the timeline of a stream.</summary>
    /// <param name="recognizer">The recognizer.</param>
    /// <param name="wav">A WAV stream (see <see cref="EmotionRecognizer.RecognizeStreamAsync"/>); not disposed.</param>
    /// <param name="sourceName">The recording's name in the timeline and in errors.</param>
    /// <param name="options">Smoothing; null for the defaults.</param>
    /// <param name="progress">Receives the end of each window scored, in seconds of audio; null for none.</param>
    /// <param name="cancellationToken">Stops between reads.</param>
    /// <returns>The timeline.</returns>
    /// <exception cref="WavFormatException">The stream is not a WAV stream this library decodes, or holds no audio.</exception>
    /// <exception cref="TruncatedWavException">The stream ended early.</exception>
    /// <exception cref="OnnxModelException">ONNX Runtime failed.</exception>
    public static async Task<Timeline> RecognizeAsync(EmotionRecognizer recognizer, Stream wav, string sourceName, TimelineOptions? options = null,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        ArgumentNullException.ThrowIfNull(wav);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        var builder = new TimelineBuilder(recognizer.Labels, options);
        var streamOptions = new StreamRecognitionOptions { SourceName = sourceName };
        await foreach (WindowResult window in recognizer.RecognizeStreamAsync(wav, streamOptions, cancellationToken).ConfigureAwait(false))
        {
            builder.Add(window);
            progress?.Report(window.EndSeconds);
        }
        return builder.Build(sourceName);
    }

    /// <summary>Builds the timeline of a WAV file, reading it front to back in bounded memory.</summary>
    /// <param name="recognizer">The recognizer.</param>
    /// <param name="wavPath">The file.</param>
    /// <param name="options">Smoothing; null for the defaults.</param>
    /// <param name="progress">Receives (seconds scored, seconds in the file per its header) after each window; null for none.</param>
    /// <returns>The timeline; its source is <paramref name="wavPath"/>.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="WavFormatException">The file is not a WAV file this library decodes.</exception>
    /// <exception cref="OnnxModelException">ONNX Runtime failed.</exception>
    public static Timeline RecognizeFile(EmotionRecognizer recognizer, string wavPath, TimelineOptions? options = null, IProgress<(int Done, int Total)>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        ArgumentException.ThrowIfNullOrEmpty(wavPath);
        int total;
        using (var header = new FileStream(wavPath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096))
        {
            WavStreamReader reader = WavStreamReader.Open(header, wavPath);
            long frames = reader.DeclaredFrames ?? (header.Length - header.Position) / Math.Max(1, reader.Channels * reader.BitsPerSample / 8);
            total = (int)Math.Ceiling(frames / (double)reader.SampleRate);
        }
        using var stream = new FileStream(wavPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        IProgress<double>? seconds = progress is null ? null : new SecondsProgress(progress, total);
        Task<Timeline> task = RecognizeAsync(recognizer, stream, wavPath, options, seconds);
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Turns seconds scored into (done, total) whole seconds, synchronously on the reporting thread.</summary>
    private sealed class SecondsProgress(IProgress<(int Done, int Total)> sink, int total) : IProgress<double>
    {
        public void Report(double value) => sink.Report(((int)Math.Min(total, Math.Floor(value)), total));
    }
}
