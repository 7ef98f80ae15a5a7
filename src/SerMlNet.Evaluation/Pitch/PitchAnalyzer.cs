using SerMlNet.Audio;
using SerMlNet.Audio.Wav;

namespace SerMlNet.Evaluation.Pitch;

/// <summary>
/// Median F0 of a clip: the waveform is cut into frames (<see cref="PitchAnalysisOptions.FrameDuration"/>, hop
/// <see cref="PitchAnalysisOptions.HopDuration"/>), frames more than <see cref="PitchAnalysisOptions.TopDb"/> below
/// the loudest are silent, the tracker (NWaves' YIN by default) estimates each remaining frame's F0 or calls it
/// unvoiced, and the clip's F0 is the median over the voiced frames. Stateless apart from its validated options, so
/// thread-safe.
/// </summary>
public sealed class PitchAnalyzer
{
    /// <summary>Creates an analyzer.</summary>
    /// <param name="options">Options; defaults when null. Validated here.</param>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public PitchAnalyzer(PitchAnalysisOptions? options = null)
    {
        Options = options ?? new PitchAnalysisOptions();
        Options.Validate();
    }

    /// <summary>The options in use.</summary>
    public PitchAnalysisOptions Options { get; }

    /// <summary>Analyses one waveform.</summary>
    /// <param name="signal">Mono samples; the sample rate must be above <c>2 · FMax</c>.</param>
    /// <returns>The clip's median F0 and frame counts; <see cref="ClipPitch.MedianF0"/> is null for a clip with too few voiced frames (or shorter than one frame).</returns>
    /// <exception cref="ArgumentException">The sample rate is not above <c>2 · FMax</c>.</exception>
    public ClipPitch Analyze(AudioSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        return Track(signal.Samples, signal.SampleRate, null);
    }

    /// <summary>Analyses one waveform and returns its frame-level track as well.</summary>
    /// <param name="signal">Mono samples; the sample rate must be above <c>2 · FMax</c>.</param>
    /// <returns>The summary and one F0 per frame in Hz (0 for an unvoiced or silent frame), frame i starting at sample <c>i · hop</c>.</returns>
    public (ClipPitch Summary, float[] Track) AnalyzeTrack(AudioSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        int frameLength = FrameLength(signal.SampleRate);
        int frames = signal.Samples.Length < frameLength ? 0 : 1 + (signal.Samples.Length - frameLength) / HopLength(signal.SampleRate);
        var track = new float[frames];
        ClipPitch summary = Track(signal.Samples, signal.SampleRate, track);
        return (summary, track);
    }

    /// <summary>Reads and analyses WAV files in parallel (one file per worker).</summary>
    /// <param name="wavPaths">The files.</param>
    /// <returns>One result per file, in input order.</returns>
    /// <exception cref="IOException">A file is missing or unreadable.</exception>
    /// <exception cref="WavFormatException">A file is not a WAV file this library decodes.</exception>
    public IReadOnlyList<ClipPitch> AnalyzeFiles(IReadOnlyList<string> wavPaths)
    {
        ArgumentNullException.ThrowIfNull(wavPaths);
        var results = new ClipPitch[wavPaths.Count];
        Parallel.For(0, wavPaths.Count, i => results[i] = Analyze(WavFile.Read(wavPaths[i])));
        return results;
    }

    /// <summary>Analyses waveforms in parallel (one waveform per worker).</summary>
    /// <param name="signals">Mono waveforms.</param>
    /// <returns>One result per waveform, in input order.</returns>
    public IReadOnlyList<ClipPitch> Analyze(IReadOnlyList<AudioSignal> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var results = new ClipPitch[signals.Count];
        Parallel.For(0, signals.Count, i => results[i] = Analyze(signals[i]));
        return results;
    }

    private int FrameLength(int sampleRate) => (int)Math.Round(Options.FrameDuration * sampleRate);

    private int HopLength(int sampleRate) => Math.Max(1, (int)Math.Round(Options.HopDuration * sampleRate));

    private ClipPitch Track(float[] samples, int sampleRate, float[]? track)
    {
        if (sampleRate <= 2 * Options.FMax)
        {
            throw new ArgumentException($"sample rate {sampleRate} Hz is not above 2 · FMax = {2 * Options.FMax} Hz", nameof(sampleRate));
        }
        int frameLength = FrameLength(sampleRate);
        int hop = HopLength(sampleRate);
        int frames = samples.Length < frameLength ? 0 : 1 + (samples.Length - frameLength) / hop;
        if (frames == 0)
        {
            return new ClipPitch(null, 0, 0);
        }

        // Silence gate: mean square per frame against the loudest frame.
        var power = new double[frames];
        double loudest = 0;
        for (int f = 0; f < frames; f++)
        {
            ReadOnlySpan<float> frame = samples.AsSpan(f * hop, frameLength);
            power[f] = System.Numerics.Tensors.TensorPrimitives.Dot(frame, frame) / (double)frameLength;
            loudest = Math.Max(loudest, power[f]);
        }
        double floor = loudest * Math.Pow(10, -Options.TopDb / 10);

        var voiced = new double[frames];
        int count = 0;
        double[] scratch = Options.Tracker == PitchTracker.Autocorrelation ? new double[(int)Math.Ceiling(sampleRate / Options.FMin) + 2] : [];
        for (int f = 0; f < frames; f++)
        {
            double f0 = 0;
            if (loudest > 0 && power[f] >= floor)
            {
                int start = f * hop;
                f0 = Options.Tracker switch
                {
                    PitchTracker.Yin => NWaves.Features.Pitch.FromYin(samples, sampleRate, start, start + frameLength,
                        (float)Options.FMin, (float)Options.FMax, (float)Options.CmdfThreshold),
                    _ => AutocorrelationPitch.Estimate(samples.AsSpan(start, frameLength), sampleRate, Options.FMin, Options.FMax, scratch, Options.MinCorrelation),
                };
                // Both trackers return 0 for an unvoiced frame; anything outside the search range is not trusted.
                if (!(f0 >= Options.FMin * 0.97 && f0 <= Options.FMax * 1.03))
                {
                    f0 = 0;
                }
            }
            if (track is not null)
            {
                track[f] = (float)f0;
            }
            if (f0 > 0)
            {
                voiced[count++] = f0;
            }
        }
        if (count < Options.MinVoicedFrames)
        {
            return new ClipPitch(null, count, frames);
        }
        Span<double> values = voiced.AsSpan(0, count);
        values.Sort();
        return new ClipPitch(MedianOfSorted(values), count, frames);
    }

    /// <summary>Median of ascending values (at least one).</summary>
    internal static double MedianOfSorted(ReadOnlySpan<double> sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
}
