using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SerMlNet.Audio;
using SerMlNet.Audio.Io;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Trimming;
using SerMlNet.Audio.Wav;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Jobs;

namespace SerMlNet.Pipeline.Features;

/// <summary>
/// The fitted feature front end: decode and resample to <see cref="SampleRate"/>, trim silence (<see cref="Trim"/>),
/// log-Mel (<see cref="LogMel"/>), pad or crop to <see cref="FixedLength"/>, normalise (<see cref="Normalization"/>, with
/// the per-band <see cref="Statistics"/> fitted on the training split). It is the one object that training, export and
/// inference read, and what travels with a model: saved as JSON (format <c>sermlnet-pipeline</c> version 1, a
/// <c>stages</c> array of typed entries; see <see cref="FittedFrontEndJson"/>). The job's training augmentations are kept
/// in <see cref="Augmentation"/> so they are saved beside the stages; they never act here (inference, validation and
/// test are plain; <see cref="ClipAugmenter"/> applies them in training). Immutable; thread-safe.
/// </summary>
public sealed class FittedFrontEnd
{
    /// <summary>Format name written in pipeline files.</summary>
    public const string FormatName = "sermlnet-pipeline";

    /// <summary>Format version written in pipeline files.</summary>
    public const int FormatVersion = 1;

    private readonly LogMelExtractor _extractor;

    /// <summary>Creates the front end, validating every part once.</summary>
    /// <param name="sampleRate">Rate every input is resampled to, in Hz, in [1000, 384000]; must equal <c>logMel.SampleRate</c>.</param>
    /// <param name="trim">Silence trimming, or null for none.</param>
    /// <param name="logMel">Log-Mel parameters.</param>
    /// <param name="fixedLength">Frames the features are padded or cropped to.</param>
    /// <param name="normalization">The normalisation, or null for none.</param>
    /// <param name="statistics">Per-band statistics: required with <see cref="NormalisationMode.Band"/>, null otherwise.</param>
    /// <param name="augmentation">The training augmentations saved with the front end (inert here), or null.</param>
    /// <exception cref="OptionsValidationException">A part is invalid (every problem listed, with its field path).</exception>
    /// <exception cref="ArgumentException">The statistics do not fit the mode or the Mel bands.</exception>
    public FittedFrontEnd(
        int sampleRate,
        TrimOptions? trim,
        LogMelOptions logMel,
        FixedLengthOptions fixedLength,
        NormalisationMode? normalization = null,
        BandStatistics? statistics = null,
        AugmentationOptions? augmentation = null)
    {
        ArgumentNullException.ThrowIfNull(logMel);
        ArgumentNullException.ThrowIfNull(fixedLength);
        var errors = new List<string>();
        CheckStages(errors, sampleRate, trim, logMel, fixedLength);
        OptionErrors.Collect(errors, "augmentation", augmentation is null ? null : augmentation.Validate);
        if (normalization is { } mode && !Enum.IsDefined(mode))
        {
            errors.Add($"normalise.mode {(int)mode} is not defined");
        }
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(FittedFrontEnd), errors);
        }
        if ((normalization == NormalisationMode.Band) != (statistics is not null))
        {
            throw new ArgumentException($"{normalization?.ToString() ?? "no"} normalisation {(statistics is null ? "needs" : "takes no")} band statistics", nameof(statistics));
        }
        if (statistics is not null && statistics.Bands != logMel.NMels)
        {
            throw new ArgumentException($"the band statistics have {statistics.Bands} bands but logMel.nMels is {logMel.NMels}", nameof(statistics));
        }
        SampleRate = sampleRate;
        Trim = trim;
        LogMel = logMel;
        FixedLength = fixedLength;
        Normalization = normalization;
        Statistics = statistics;
        Augmentation = augmentation;
        _extractor = new LogMelExtractor(logMel);
    }

    /// <summary>The checks of the stages' options (with <see cref="FrontEndOptions"/>' field paths), shared with <see cref="FrontEndOptions.Validate"/>.</summary>
    internal static void CheckStages(List<string> errors, int sampleRate, TrimOptions? trim, LogMelOptions? logMel, FixedLengthOptions? fixedLength)
    {
        if (sampleRate is < 1000 or > 384000)
        {
            errors.Add($"sampleRate must be in [1000, 384000] Hz (was {sampleRate})");
        }
        if (logMel is null)
        {
            errors.Add("logMel is required");
        }
        else if (logMel.SampleRate != sampleRate)
        {
            errors.Add($"logMel.sampleRate ({logMel.SampleRate}) must equal sampleRate ({sampleRate})");
        }
        OptionErrors.Collect(errors, "trim", trim is null ? null : trim.Validate);
        OptionErrors.Collect(errors, "logMel", logMel is null ? null : logMel.Validate);
        OptionErrors.Collect(errors, "fixedLength", fixedLength is null ? () => throw new OptionsValidationException(nameof(FixedLengthOptions), ["is required"]) : fixedLength.Validate);
    }

    /// <summary>Rate every input is resampled to, in Hz (equal to <c>LogMel.SampleRate</c>).</summary>
    public int SampleRate { get; }

    /// <summary>Silence trimming (<c>librosa.effects.trim</c> semantics), or null for none.</summary>
    public TrimOptions? Trim { get; }

    /// <summary>Log-Mel parameters (dB, <c>power_to_db(ref=np.max)</c>).</summary>
    public LogMelOptions LogMel { get; }

    /// <summary>Fixed length: frames and crop alignment; padding uses the matrix minimum (the dB floor).</summary>
    public FixedLengthOptions FixedLength { get; }

    /// <summary>The normalisation after fixed length, or null for none.</summary>
    public NormalisationMode? Normalization { get; }

    /// <summary>Per-band statistics fitted on the training split (band mode), else null.</summary>
    public BandStatistics? Statistics { get; }

    /// <summary>The training augmentations saved with the front end, or null. Inert here.</summary>
    public AugmentationOptions? Augmentation { get; }

    /// <summary>Frames the network sees (<c>FixedLength.Frames</c>).</summary>
    public int Frames => FixedLength.Frames;

    /// <summary>Mel bands (<c>LogMel.NMels</c>).</summary>
    public int NMels => LogMel.NMels;

    /// <summary>Hop between frames in samples (<c>LogMel.HopLength</c>).</summary>
    public int HopLength => LogMel.HopLength;

    /// <summary>The stage types in saved order, e.g. <c>loadAudio, trim, logMel, fixedLength, normalise</c>.</summary>
    public IReadOnlyList<string> StageTypes => [.. FittedFrontEndJson.Entries(this).Select(e => e.Type)];

    /// <summary>This front end with another normalisation (the augmentations kept).</summary>
    /// <param name="normalization">The mode, or null for none.</param>
    /// <param name="statistics">Band statistics (band mode only).</param>
    /// <returns>A new front end.</returns>
    public FittedFrontEnd WithNormalization(NormalisationMode? normalization, BandStatistics? statistics) =>
        new(SampleRate, Trim, LogMel, FixedLength, normalization, statistics, Augmentation);

    /// <summary>This front end with other saved augmentations (inert here).</summary>
    /// <param name="augmentation">The augmentations, or null.</param>
    /// <returns>A new front end.</returns>
    public FittedFrontEnd WithAugmentation(AugmentationOptions? augmentation) =>
        new(SampleRate, Trim, LogMel, FixedLength, Normalization, Statistics, augmentation);

    /// <summary>Decodes a WAV file (any PCM/float format, channels averaged to mono) and resamples it to <see cref="SampleRate"/>.</summary>
    /// <param name="wavPath">The file.</param>
    /// <returns>The waveform at <see cref="SampleRate"/>.</returns>
    /// <exception cref="WavFormatException">The file is not a readable WAV file.</exception>
    public AudioSignal ReadAudio(string wavPath) => Resample(WavFile.Read(wavPath));

    /// <summary>Resamples a waveform to <see cref="SampleRate"/>.</summary>
    /// <param name="audio">A waveform at any rate.</param>
    /// <returns><paramref name="audio"/> itself when already at the rate, else a new waveform.</returns>
    public AudioSignal Resample(AudioSignal audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.SampleRate == SampleRate)
        {
            return audio;
        }
        // Cheap to create: the filter tables are cached by Resampler per rate ratio.
        var resampler = new Resampler(audio.SampleRate, SampleRate);
        return new AudioSignal(resampler.Process(audio.Samples), SampleRate);
    }

    /// <summary>Cuts leading and trailing silence (nothing when <see cref="Trim"/> is null).</summary>
    /// <param name="audio">A waveform.</param>
    /// <param name="start">Samples cut from the start (0 when nothing was cut or the clip is all silence).</param>
    /// <returns>The kept part (<paramref name="audio"/> itself when nothing was cut).</returns>
    public AudioSignal TrimSilence(AudioSignal audio, out int start)
    {
        ArgumentNullException.ThrowIfNull(audio);
        start = 0;
        if (Trim is null)
        {
            return audio;
        }
        TrimInterval kept = SilenceTrimmer.FindInterval(audio.Samples, Trim);
        start = kept.Start;
        if (kept.Start == 0 && kept.End == audio.Samples.Length)
        {
            return audio;
        }
        return new AudioSignal(audio.Samples[kept.Start..kept.End], audio.SampleRate);
    }

    /// <summary>The log-Mel spectrogram in dB of a waveform at <see cref="SampleRate"/>.</summary>
    /// <param name="audio">The (trimmed) waveform.</param>
    /// <returns>[NMels, frames], frames = 1 + samples / HopLength.</returns>
    /// <exception cref="SchemaMismatchException">The waveform is at another rate.</exception>
    public FeatureMatrix ComputeLogMel(AudioSignal audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.SampleRate != SampleRate)
        {
            throw new SchemaMismatchException($"the log-Mel front end is set for {SampleRate} Hz but receives {audio.SampleRate} Hz audio (resample first)");
        }
        return _extractor.ComputeDb(audio.Samples);
    }

    /// <summary>Pads or crops features to <see cref="Frames"/> (padding with the matrix minimum).</summary>
    /// <param name="features">[rows, any frames].</param>
    /// <returns>[rows, Frames] (<paramref name="features"/> itself when already that long).</returns>
    public FeatureMatrix ApplyFixedLength(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return features.Columns == Frames ? features : SerMlNet.Audio.Normalisation.FixedLength.Apply(features, FixedLength);
    }

    /// <summary>Applies the normalisation to a fixed-length matrix.</summary>
    /// <param name="features">[NMels, Frames].</param>
    /// <returns>A new normalised matrix, or <paramref name="features"/> itself without normalisation.</returns>
    /// <exception cref="SchemaMismatchException">The statistics were fitted on another number of bands.</exception>
    public FeatureMatrix Normalize(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (Statistics is not null && features.Rows != Statistics.Bands)
        {
            throw new SchemaMismatchException($"the normalisation was fitted on {Statistics.Bands} bands but receives {features.Rows}");
        }
        return Normalization switch
        {
            null => features,
            NormalisationMode.Utterance => ZScore.Apply(features),
            _ => Statistics!.Apply(features),
        };
    }

    /// <summary>Applies the normalisation to one window in place, without allocating.</summary>
    /// <param name="window">Row-major [NMels, <paramref name="frames"/>] values, overwritten.</param>
    /// <param name="frames">Frames per row.</param>
    public void NormalizeInPlace(Span<float> window, int frames)
    {
        if (Statistics is not null)
        {
            Statistics.Apply(window, frames, window);
        }
        else if (Normalization == NormalisationMode.Utterance)
        {
            ZScore.Apply(window, window);
        }
    }

    /// <summary>Features before normalisation: resample, trim, log-Mel, fixed length (what band statistics are fitted on).</summary>
    /// <param name="audio">A waveform at any rate.</param>
    /// <returns>[NMels, Frames].</returns>
    public FeatureMatrix ComputeUnnormalizedFeatures(AudioSignal audio) =>
        ApplyFixedLength(ComputeLogMel(TrimSilence(Resample(audio), out _)));

    /// <summary>The network input of a waveform: every stage, plainly (no augmentation).</summary>
    /// <param name="audio">A waveform at any rate.</param>
    /// <returns>[NMels, Frames].</returns>
    public FeatureMatrix ComputeFeatures(AudioSignal audio) => Normalize(ComputeUnnormalizedFeatures(audio));

    /// <summary>The network input of a WAV file: every stage, plainly (what training's originals and inference compute).</summary>
    /// <param name="wavPath">The file.</param>
    /// <returns>[NMels, Frames].</returns>
    /// <exception cref="WavFormatException">The file is not a readable WAV file.</exception>
    public FeatureMatrix ComputeFeatures(string wavPath) => ComputeFeatures(WavFile.Read(wavPath));

    /// <summary>The front end as a JSON object (<c>format</c>, <c>version</c>, <c>stages</c>).</summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject Save() => FittedFrontEndJson.Save(FittedFrontEndJson.Entries(this));

    /// <summary>The front end as indented JSON text (what <see cref="SaveTo"/> writes and ONNX metadata holds).</summary>
    /// <returns>The JSON.</returns>
    public string ToJson() => Save().ToJsonString(PipelineJson.WriterOptions);

    /// <summary>SHA-256 (hex) of the canonical (compact) JSON: equal for equal options and state.</summary>
    /// <returns>64 lowercase hex characters.</returns>
    public string ComputeHash() => Hash(Save());

    /// <summary>
    /// SHA-256 (hex) of the compact JSON of the stages up to <c>fixedLength</c> (decoding, trimming, the waveform
    /// augmentations, log-Mel, fixed length): what the feature cache stores depends on these alone. It keys the feature
    /// cache (<see cref="Caching.FeatureCache.Key"/>) and speaker calibrations, and equals the hash of the same stages
    /// as written by earlier versions, so existing caches and calibration files stay valid.
    /// </summary>
    /// <returns>64 lowercase hex characters.</returns>
    public string ComputeFeatureHash() => Hash(FittedFrontEndJson.Save(FittedFrontEndJson.Entries(this).TakeWhile(e => !e.AfterFixedLength)));

    /// <summary>Saves the front end atomically.</summary>
    /// <param name="path">Destination, e.g. <c>runs/x/pipeline.json</c>.</param>
    public void SaveTo(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>Loads a pipeline file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The front end.</returns>
    /// <exception cref="PipelineFormatException">No such file, not a pipeline file, or a bad stage (the message names it).</exception>
    public static FittedFrontEnd Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new PipelineFormatException($"pipeline file '{path}' does not exist");
        }
        try
        {
            return FromJson(File.ReadAllText(path));
        }
        catch (PipelineFormatException ex)
        {
            throw new PipelineFormatException($"'{path}': {ex.Message}", ex);
        }
    }

    /// <summary>Reads a front end from JSON text (as written by <see cref="ToJson"/>).</summary>
    /// <param name="json">The text.</param>
    /// <returns>The front end.</returns>
    /// <exception cref="PipelineFormatException">Malformed JSON, wrong format or version, an unknown or misplaced stage, or bad options (one line naming it).</exception>
    public static FittedFrontEnd FromJson(string json) => FittedFrontEndJson.Read(json);

    private static string Hash(JsonObject json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json.ToJsonString())));
}
