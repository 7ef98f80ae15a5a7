using System.Runtime.CompilerServices;
namespace SerMlNet.Audio.Spectral;

/// <summary>
/// The log-Mel front end: centred STFT (double-precision FFT, complex64 rounding), <c>|X|^Power</c>, Mel projection and
/// <c>power_to_db(ref=max)</c>, matching librosa 0.11's <c>melspectrogram</c> + <c>power_to_db</c>. Window, FFT tables
/// and the Mel matrix are built once (and shared between instances with equal options). Immutable and thread-safe:
/// one instance may serve many threads; each call allocates its scratch once, never per frame. The span overloads
/// write into caller-owned memory for hot paths.
/// </summary>
public sealed class LogMelExtractor
{
    private readonly Stft _stft;
    private readonly MelFilterbank _mel;

    /// <summary>Creates the extractor.</summary>
    /// <param name="options">Parameters; validated here.</param>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public LogMelExtractor(LogMelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _stft = new Stft(options.ToStftOptions());
        _mel = MelFilterbank.Get(options.ToMelOptions());
    }

    /// <summary>The options this extractor was built from.</summary>
    public LogMelOptions Options { get; }

    /// <summary>Rows of <see cref="ComputePower(ReadOnlySpan{float})"/>: <c>1 + NFft / 2</c>.</summary>
    public int Bins => _stft.Bins;

    /// <summary>Rows of the Mel and dB outputs: <see cref="LogMelOptions.NMels"/>.</summary>
    public int NMels => _mel.NMels;

    /// <summary>The Mel filterbank in use.</summary>
    public MelFilterbank Filterbank => _mel;

    /// <summary>Frames produced for <paramref name="samples"/> input samples: <c>1 + samples / HopLength</c>.</summary>
    /// <param name="samples">Signal length; non-negative.</param>
    /// <returns>The frame count.</returns>
    public int GetFrameCount(int samples) => _stft.GetFrameCount(samples);

    /// <summary>A new extractor with the same options (instances are thread-safe; this exists for symmetry with stateful types).</summary>
    /// <returns>The copy.</returns>
    public LogMelExtractor Clone() => new(Options);

    /// <summary>Spectrogram <c>|STFT|^Power</c>.</summary>
    /// <param name="samples">Mono samples at <see cref="LogMelOptions.SampleRate"/>.</param>
    /// <returns>A [<see cref="Bins"/>, frames] matrix.</returns>
    public FeatureMatrix ComputePower(ReadOnlySpan<float> samples)
    {
        var m = new FeatureMatrix(Bins, GetFrameCount(samples.Length));
        ComputePower(samples, m.Data);
        return m;
    }

    /// <summary>Spectrogram <c>|STFT|^Power</c> into caller-owned memory.</summary>
    /// <param name="samples">Mono samples.</param>
    /// <param name="destination">Row-major [<see cref="Bins"/>, frames], at least <c>Bins * GetFrameCount(samples.Length)</c> long.</param>
    /// <returns>The number of frames written.</returns>
    public int ComputePower(ReadOnlySpan<float> samples, Span<float> destination) =>
        _stft.ComputeSpectrogram(samples, destination, Options.Power);

    /// <summary>Mel spectrogram (librosa <c>melspectrogram</c>).</summary>
    /// <param name="samples">Mono samples.</param>
    /// <returns>A [<see cref="NMels"/>, frames] matrix.</returns>
    public FeatureMatrix ComputeMel(ReadOnlySpan<float> samples)
    {
        var m = new FeatureMatrix(NMels, GetFrameCount(samples.Length));
        ComputeMel(samples, m.Data);
        return m;
    }

    /// <summary>Mel spectrogram into caller-owned memory.</summary>
    /// <param name="samples">Mono samples.</param>
    /// <param name="destination">Row-major [<see cref="NMels"/>, frames], at least <c>NMels * GetFrameCount(samples.Length)</c> long.</param>
    /// <returns>The number of frames written.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ComputeMel(ReadOnlySpan<float> samples, Span<float> destination)
    {
        int frames = GetFrameCount(samples.Length);
        if (destination.Length < NMels * frames)
        {
            throw new ArgumentException($"destination holds {destination.Length} values, needs {NMels} x {frames}", nameof(destination));
        }
        if (Options.PadMode == PadMode.Reflect && samples.IsEmpty)
        {
            throw new ArgumentException("reflect padding needs a non-empty signal", nameof(samples));
        }
        float[] padded = _stft.Pad(samples);
        int bins = Bins;
        var frame = new double[Options.NFft];
        var re = new double[bins];
        var im = new double[bins];
        var power = new float[bins];
        var mel = new float[NMels];
        for (int t = 0; t < frames; t++)
        {
            _stft.Transform(padded, t, frame, re, im);
            Stft.SpectrumPower(re, im, power, Options.Power);
            _mel.Apply(power, mel);
            for (int m = 0; m < mel.Length; m++)
            {
                destination[m * frames + t] = mel[m];
            }
        }
        return frames;
    }

    /// <summary>Log-Mel spectrogram in dB relative to its maximum (librosa <c>power_to_db(melspectrogram, ref=np.max)</c>).</summary>
    /// <param name="samples">Mono samples.</param>
    /// <returns>A [<see cref="NMels"/>, frames] matrix; values in [-TopDb, 0] (up to float rounding).</returns>
    public FeatureMatrix ComputeDb(ReadOnlySpan<float> samples)
    {
        var m = new FeatureMatrix(NMels, GetFrameCount(samples.Length));
        ComputeDb(samples, m.Data);
        return m;
    }

    /// <summary>Log-Mel spectrogram in dB into caller-owned memory.</summary>
    /// <param name="samples">Mono samples.</param>
    /// <param name="destination">Row-major [<see cref="NMels"/>, frames], at least <c>NMels * GetFrameCount(samples.Length)</c> long.</param>
    /// <returns>The number of frames written.</returns>
    public int ComputeDb(ReadOnlySpan<float> samples, Span<float> destination)
    {
        int frames = ComputeMel(samples, destination);
        Span<float> values = destination[..(NMels * frames)];
        Decibels.PowerToDb(values, values, Options.Amin, Options.TopDb);
        return frames;
    }
}
