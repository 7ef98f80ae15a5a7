using System.Text.Json;
using System.Text.Json.Serialization;
using SerMlNet.Audio;
using SerMlNet.Audio.Io;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Wav;
using SerMlNet.Pipeline.Features;

namespace SerMlNet.Pipeline.Calibration;

/// <summary>
/// Per-speaker calibration: the per-Mel-band mean and standard deviation of one speaker's features, fitted on a few of
/// that speaker's clips (no labels needed) exactly as the pipeline's band normaliser was fitted on the training split
/// (every stage before <c>normalise</c>, plainly, then <see cref="BandStatistics.Accumulator"/> over the fixed-length
/// matrices). <see cref="Apply"/> gives the fitted pipeline with that speaker's statistics in place of the training
/// split's, so the speaker's voice and recording channel are standardised away before the network sees them
/// (per-speaker normalisation; Pepino et al. 2021 report +8.6 UAR on held-out RAVDESS actors).
/// Saved as JSON (format <see cref="FormatName"/>, version <see cref="FormatVersion"/>) tied to the front end it was
/// fitted with by <see cref="FrontEndHash"/>. Immutable and thread-safe.
/// </summary>
public sealed class SpeakerCalibration
{
    /// <summary>Format name written to and required in calibration files.</summary>
    public const string FormatName = "sermlnet.speaker-calibration";

    /// <summary>Format version written to and accepted from calibration files.</summary>
    public const int FormatVersion = 1;

    /// <summary>How a metrics file (<c>data.calibration</c>) describes figures scored with each speaker's own statistics.</summary>
    public const string TransductiveDescription =
        "per speaker, transductive: each speaker's band statistics fitted on that speaker's own evaluated clips (labels unused)";

    /// <summary>Creates a calibration from known parts; use <see cref="Fit"/> to measure one.</summary>
    /// <param name="speaker">Free-text speaker name (e.g. an actor id, or the folder fitted); may be empty.</param>
    /// <param name="clips">Clips the statistics were fitted on; positive.</param>
    /// <param name="frontEndHash">SHA-256 hex of the pipeline stages before <c>normalise</c> (<see cref="HashOfFrontEnd"/>).</param>
    /// <param name="statistics">The speaker's per-band statistics.</param>
    public SpeakerCalibration(string speaker, int clips, string frontEndHash, BandStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(speaker);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clips);
        ArgumentException.ThrowIfNullOrEmpty(frontEndHash);
        Speaker = speaker;
        Clips = clips;
        FrontEndHash = frontEndHash;
        Statistics = statistics ?? throw new ArgumentNullException(nameof(statistics));
    }

    /// <summary>Free-text speaker name.</summary>
    public string Speaker { get; }

    /// <summary>Clips the statistics were fitted on.</summary>
    public int Clips { get; }

    /// <summary>SHA-256 hex of the front end (stages before <c>normalise</c>) the statistics belong to.</summary>
    public string FrontEndHash { get; }

    /// <summary>The speaker's per-band mean and population standard deviation (dB of the log-Mel bands).</summary>
    public BandStatistics Statistics { get; }

    /// <summary>Fits a speaker's calibration on unlabelled clips of that speaker.</summary>
    /// <param name="frontEnd">A fitted front end with band normalisation.</param>
    /// <param name="wavPaths">The speaker's clips (WAV files at any rate); at least one.
    /// A few clips with varied content give stable statistics; RAVDESS's 60 per actor are plenty.</param>
    /// <param name="speaker">The speaker's name, for messages and the saved file (may be empty).</param>
    /// <returns>The calibration.</returns>
    /// <exception cref="SchemaMismatchException">The front end has no band normalisation to calibrate.</exception>
    /// <exception cref="ArgumentException"><paramref name="wavPaths"/> is empty.</exception>
    public static SpeakerCalibration Fit(FittedFrontEnd frontEnd, IEnumerable<string> wavPaths, string speaker = "")
    {
        ArgumentNullException.ThrowIfNull(frontEnd);
        ArgumentNullException.ThrowIfNull(wavPaths);
        RequireBand(frontEnd);
        BandStatistics.Accumulator? accumulator = null;
        int count = 0;
        foreach (string path in wavPaths)
        {
            FeatureMatrix features = frontEnd.ComputeUnnormalizedFeatures(WavFile.Read(path));
            accumulator ??= new BandStatistics.Accumulator(features.Rows);
            accumulator.Add(features);
            count++;
        }
        if (accumulator is null)
        {
            throw new ArgumentException("speaker calibration needs at least one clip", nameof(wavPaths));
        }
        return new SpeakerCalibration(speaker, count, HashOfFrontEnd(frontEnd), accumulator.ToStatistics());
    }

    /// <summary>The front end with this speaker's statistics in place of the training split's, everything else unchanged.</summary>
    /// <param name="frontEnd">The fitted front end the calibration was fitted with.</param>
    /// <returns>A new front end.</returns>
    /// <exception cref="SchemaMismatchException">The front end has no band normalisation, or its stages before it differ from the ones fitted with.</exception>
    public FittedFrontEnd Apply(FittedFrontEnd frontEnd)
    {
        ArgumentNullException.ThrowIfNull(frontEnd);
        if (HashOfFrontEnd(frontEnd) != FrontEndHash)
        {
            throw new SchemaMismatchException(
                $"this speaker calibration{(Speaker.Length > 0 ? $" ('{Speaker}')" : string.Empty)} was fitted with a different front end than this model's; fit it again with this model");
        }
        return frontEnd.WithNormalization(NormalisationMode.Band, Statistics);
    }

    /// <summary>
    /// SHA-256 hex of the front end's inference stages before its band normalisation (<see
    /// cref="FittedFrontEnd.ComputeFeatureHash"/> of the front end without its training-only augmentations, which never
    /// run at inference): a model retrained with other augmentation but the same front end keeps its speakers'
    /// calibrations.
    /// </summary>
    /// <param name="frontEnd">A fitted front end with band normalisation.</param>
    /// <returns>64 hex characters.</returns>
    /// <exception cref="SchemaMismatchException">The front end has no band normalisation.</exception>
    public static string HashOfFrontEnd(FittedFrontEnd frontEnd)
    {
        ArgumentNullException.ThrowIfNull(frontEnd);
        RequireBand(frontEnd);
        return frontEnd.WithAugmentation(null).ComputeFeatureHash();
    }

    /// <summary>Writes the calibration as JSON, atomically.</summary>
    /// <param name="path">Destination file, e.g. <c>my-voice.calibration.json</c>.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var dto = new Dto
        {
            Format = FormatName,
            Version = FormatVersion,
            Speaker = Speaker,
            Clips = Clips,
            FrontEndSha256 = FrontEndHash,
            Frames = Statistics.Count,
            Mean = [.. Statistics.Mean],
            Std = [.. Statistics.Std],
        };
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, dto, CalibrationJsonContext.Default.Dto), flushToDisk: true);
    }

    /// <summary>Reads a calibration written by <see cref="Save"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The calibration.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileException">The file is not a speaker calibration of a known version, or its values are invalid.</exception>
    public static SpeakerCalibration Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Dto? dto;
        using (FileStream stream = File.OpenRead(path))
        {
            try
            {
                dto = JsonSerializer.Deserialize(stream, CalibrationJsonContext.Default.Dto);
            }
            catch (JsonException ex)
            {
                throw new InvalidFileException($"{path}: not a speaker-calibration JSON file ({ex.Message})", ex);
            }
        }
        if (dto is null || dto.Format != FormatName || dto.Version != FormatVersion)
        {
            throw new InvalidFileException($"{path}: expected format '{FormatName}' version {FormatVersion}");
        }
        try
        {
            return new SpeakerCalibration(dto.Speaker ?? string.Empty, dto.Clips, dto.FrontEndSha256!, new BandStatistics(dto.Mean!, dto.Std!, dto.Frames));
        }
        catch (ArgumentException ex)
        {
            throw new InvalidFileException($"{path}: invalid speaker calibration ({ex.Message})", ex);
        }
    }

    private static void RequireBand(FittedFrontEnd frontEnd)
    {
        if (frontEnd.Normalization != NormalisationMode.Band)
        {
            throw new SchemaMismatchException(
                $"speaker calibration replaces the statistics of a band-mode 'normalise' stage, and this pipeline has none (stages: {string.Join(", ", frontEnd.StageTypes)})");
        }
    }

    internal sealed class Dto
    {
        [JsonPropertyName("format")]
        public string? Format { get; set; }

        [JsonPropertyName("version")]
        public int Version { get; set; }

        [JsonPropertyName("speaker")]
        public string? Speaker { get; set; }

        [JsonPropertyName("clips")]
        public int Clips { get; set; }

        [JsonPropertyName("frontEndSha256")]
        public string? FrontEndSha256 { get; set; }

        [JsonPropertyName("frames")]
        public long Frames { get; set; }

        [JsonPropertyName("mean")]
        public double[]? Mean { get; set; }

        [JsonPropertyName("std")]
        public double[]? Std { get; set; }
    }
}

[JsonSerializable(typeof(SpeakerCalibration.Dto))]
internal sealed partial class CalibrationJsonContext : JsonSerializerContext;
