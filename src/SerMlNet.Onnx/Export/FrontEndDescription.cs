using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Trimming;
namespace SerMlNet.Onnx;

/// <summary>
/// The fitted log-Mel front end that <see cref="OnnxExporter.ExportEndToEnd(CnnDescription, FrontEndDescription, OnnxExportOptions, string)"/> builds into the graph, with librosa's
/// semantics (the same as SerMlNet.Audio's <c>SilenceTrimmer</c> + <c>LogMelExtractor</c> + <c>FixedLength</c> +
/// <c>ZScore</c>), applied to each row's valid samples:
/// <list type="number">
/// <item>silence trimming when <see cref="Trim"/> is set (<c>librosa.effects.trim</c>: frame RMS over
/// <c>FrameLength</c> samples every <c>HopLength</c>, centred, frames more than <c>TopDb</c> below the row's loudest
/// frame are silence; leading and trailing silence is cut);</item>
/// <item>centre padding of <c>NFft / 2</c> samples on each side (<see cref="PadMode"/>);</item>
/// <item>frames every <see cref="HopLength"/> samples, periodic Hann window of <see cref="WinLength"/> samples centred in
/// <see cref="NFft"/>, real DFT: <c>1 + samples / HopLength</c> frames of <c>NFft / 2 + 1</c> bins;</item>
/// <item><c>|X|^Power</c>;</item>
/// <item>Mel projection with <see cref="MelFilterbank"/>;</item>
/// <item><c>power_to_db(ref = max, amin = Amin, top_db = TopDb)</c> per example: <c>10 log10(max(Amin, S)) -
/// 10 log10(max(Amin, max S))</c>, then clipped below at <c>max - TopDb</c>;</item>
/// <item>fixed length: crop to <see cref="Frames"/> (<see cref="CropAlignment"/>) or pad at the end with the example's
/// minimum dB value (its floor, so padding reads as silence);</item>
/// <item><see cref="Normalisation"/>.</item>
/// </list>
/// Validate with <see cref="Validate"/>; the exporter does. Immutable once built; thread-safe to share. The arrays are
/// used as given, not copied.
/// </summary>
public sealed record FrontEndDescription
{
    /// <summary>Sample rate of the PCM input in Hz (recorded in the model's metadata); e.g. 16000. Positive.</summary>
    public required int SampleRate { get; init; }

    /// <summary>
    /// Silence trimming before the STFT, with <c>librosa.effects.trim</c> semantics (SerMlNet.Audio's
    /// <c>SilenceTrimmer</c>); null (default) for none: the graph then analyses each row's valid samples as given.
    /// </summary>
    public TrimOptions? Trim { get; init; }

    /// <summary>FFT length in samples; e.g. 1024 (64 ms at 16 kHz). In [2, 65536].</summary>
    public required int NFft { get; init; }

    /// <summary>Hop between frames in samples; e.g. 160 (10 ms at 16 kHz). At least 1.</summary>
    public required int HopLength { get; init; }

    /// <summary>Window length in samples, in [1, NFft]; null (default) means <see cref="NFft"/>.</summary>
    public int? WinLength { get; init; }

    /// <summary>Centre padding; default <see cref="PadMode.Constant"/> (zeros).</summary>
    public PadMode PadMode { get; init; } = PadMode.Constant;

    /// <summary>Exponent of the magnitude spectrum; default 2 (power). Positive.</summary>
    public float Power { get; init; } = 2f;

    /// <summary>Number of Mel bands (rows of <see cref="MelFilterbank"/>). At least 1.</summary>
    public required int NMels { get; init; }

    /// <summary>
    /// The Mel filterbank, row-major <c>[NMels, NFft / 2 + 1]</c> (librosa <c>filters.mel</c> layout), finite and
    /// non-negative.
    /// </summary>
    public required float[] MelFilterbank { get; init; }

    /// <summary>Dynamic range kept below the maximum in dB; default 80; null for no clipping. Non-negative.</summary>
    public float? TopDb { get; init; } = 80f;

    /// <summary>Floor of the Mel power before the logarithm; default 1e-10. Positive.</summary>
    public float Amin { get; init; } = 1e-10f;

    /// <summary>Frames the CNN sees (width of its input); e.g. 300 (3 s at a 10 ms hop). At least 1.</summary>
    public required int Frames { get; init; }

    /// <summary>Which frames are kept when cropping; default <see cref="CropAlignment.Start"/>.</summary>
    public CropAlignment CropAlignment { get; init; } = CropAlignment.Start;

    /// <summary>Normalisation after the fixed-length step; default <see cref="FeatureNormalisation.None"/>.</summary>
    public FeatureNormalisation Normalisation { get; init; } = FeatureNormalisation.None;

    /// <summary>
    /// Added to the standard deviation before dividing, by both <see cref="FeatureNormalisation.Utterance"/> and
    /// <see cref="FeatureNormalisation.PerBand"/>; default 1e-8 (SerMlNet.Audio's <c>ZScore.Epsilon</c> and
    /// <c>BandStatistics.Epsilon</c>). Non-negative.
    /// </summary>
    public float NormalisationEpsilon { get; init; } = 1e-8f;

    /// <summary>Per-band means (length <see cref="NMels"/>) for <see cref="FeatureNormalisation.PerBand"/>; otherwise null.</summary>
    public float[]? BandMean { get; init; }

    /// <summary>
    /// Per-band population standard deviations (length <see cref="NMels"/>, non-negative; <c>BandStd[m] +
    /// NormalisationEpsilon</c> must be positive) for <see cref="FeatureNormalisation.PerBand"/>; otherwise null.
    /// </summary>
    public float[]? BandStd { get; init; }

    /// <summary>The window length in effect: <see cref="WinLength"/> or, when null, <see cref="NFft"/>.</summary>
    public int EffectiveWinLength => WinLength ?? NFft;

    /// <summary>Frequency bins of the DFT: <c>NFft / 2 + 1</c>.</summary>
    public int Bins => NFft / 2 + 1;

    /// <summary>Frames the STFT yields for <paramref name="samples"/> samples (before the fixed-length step): <c>1 + samples / HopLength</c>.</summary>
    /// <param name="samples">Signal length; non-negative.</param>
    /// <returns>The frame count.</returns>
    public int GetFrameCount(int samples) => 1 + samples / HopLength;

    /// <summary>Checks every field and reports all problems at once.</summary>
    /// <exception cref="OnnxValidationException">One or more fields are invalid.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(FrontEndDescription));
        AddErrors(errors);
        errors.ThrowIfAny();
    }

    internal void AddErrors(ValidationErrors errors)
    {
        errors.Require(SampleRate > 0, $"SampleRate must be positive (was {SampleRate})");
        try
        {
            // TrimOptions' own rules, reported with the rest.
            Trim?.Validate();
        }
        catch (Audio.OptionsValidationException e)
        {
            foreach (string error in e.Errors)
            {
                errors.Add($"Trim: {error}");
            }
        }
        bool nfftOk = errors.Require(NFft is >= 2 and <= 65536, $"NFft must be in [2, 65536] (was {NFft})");
        errors.Require(HopLength >= 1, $"HopLength must be at least 1 (was {HopLength})");
        errors.Require(WinLength is null || (WinLength >= 1 && WinLength <= NFft), $"WinLength must be in [1, NFft = {NFft}] (was {WinLength})");
        errors.Require(Enum.IsDefined(PadMode), $"PadMode {(int)PadMode} is not defined");
        errors.Require(float.IsFinite(Power) && Power > 0, $"Power must be positive (was {Power})");
        bool melsOk = errors.Require(NMels >= 1, $"NMels must be at least 1 (was {NMels})");
        if (MelFilterbank is null)
        {
            errors.Add("MelFilterbank is missing");
        }
        else if (nfftOk && melsOk)
        {
            if (errors.Require((long)MelFilterbank.Length == (long)NMels * Bins,
                    $"MelFilterbank holds {MelFilterbank.Length} values, expected NMels x (NFft / 2 + 1) = {NMels} x {Bins}"))
            {
                errors.Require(ValidationErrors.AllFinite(MelFilterbank, nonNegative: true), "MelFilterbank must be finite and non-negative");
            }
        }
        errors.Require(TopDb is null || (float.IsFinite(TopDb.Value) && TopDb.Value >= 0), $"TopDb must be >= 0 dB or null (was {TopDb})");
        errors.Require(float.IsFinite(Amin) && Amin > 0, $"Amin must be positive (was {Amin})");
        errors.Require(Frames >= 1, $"Frames must be at least 1 (was {Frames})");
        errors.Require(Enum.IsDefined(CropAlignment), $"CropAlignment {(int)CropAlignment} is not defined");
        errors.Require(Enum.IsDefined(Normalisation), $"Normalisation {(int)Normalisation} is not defined");
        errors.Require(float.IsFinite(NormalisationEpsilon) && NormalisationEpsilon >= 0, $"NormalisationEpsilon must be >= 0 (was {NormalisationEpsilon})");
        if (Normalisation == FeatureNormalisation.PerBand)
        {
            if (errors.Require(BandMean is not null && BandMean.Length == NMels, $"BandMean must hold NMels = {NMels} values for PerBand normalisation (has {BandMean?.Length.ToString() ?? "none"})"))
            {
                errors.Require(ValidationErrors.AllFinite(BandMean!, nonNegative: false), "BandMean must be finite");
            }
            if (errors.Require(BandStd is not null && BandStd.Length == NMels, $"BandStd must hold NMels = {NMels} values for PerBand normalisation (has {BandStd?.Length.ToString() ?? "none"})"))
            {
                bool positive = true;
                foreach (float s in BandStd!)
                {
                    positive &= float.IsFinite(s) && s >= 0 && s + (double)NormalisationEpsilon > 0;
                }
                errors.Require(positive, "BandStd must be finite and non-negative, and BandStd + NormalisationEpsilon positive");
            }
        }
        else
        {
            errors.Require(BandMean is null && BandStd is null, $"BandMean and BandStd are only used with PerBand normalisation (Normalisation is {Normalisation})");
        }
    }
}
