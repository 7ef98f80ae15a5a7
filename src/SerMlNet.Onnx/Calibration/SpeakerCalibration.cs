using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using SerMlNet.Audio;
using SerMlNet.Audio.Io;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Pipeline.Features;

namespace SerMlNet.Onnx.Calibration;

/// <summary>
/// Per-speaker calibration of a model's class scores: for each class, the mean natural log of the probability the model
/// gives it over a few unlabelled clips of one speaker (its <see cref="Offsets"/>). Scoring that speaker, every window's
/// logits are shifted by minus these offsets before the softmax, so that, over the calibration clips, no class is
/// favoured for this voice more than any other: the bias a voice or a recording channel gives some classes (one
/// speaker sounds "sad" to the model whatever they say) is taken out, the differences between the speaker's clips stay.
/// <para><b>Measured</b> (README, "Per-speaker calibration"): on 5 actor-held-out folds of RAVDESS actors 01–20, three
/// seeds of the default job, macro-F1 0.677 ± 0.049 plain and 0.740 ± 0.034 calibrated on each actor's own 60 clips
/// (15 of 15 fold models up); 0.728 with the offsets fitted on the other sentence's 30 clips; 0.728 with 16 random clips,
/// 0.709 with 8. It assumes the calibration clips cover the speaker's range: fitted on clips of 4 of the 8 emotions it
/// still gains (0.709), fitted on neutral and calm clips alone it loses (0.605).</para>
/// <para>Offsets belong to one network: the calibration records the SHA-256 of the ONNX file it was fitted with
/// (<see cref="ModelSha256"/>) and its labels, and <see cref="EmotionRecognizer.OpenCalibrated(string, SpeakerCalibration, OnnxModelOptions?)"/> refuses another model.
/// Saved as JSON (format <see cref="FormatName"/>, version <see cref="FormatVersion"/>). Immutable and thread-safe.</para>
/// </summary>
public sealed class SpeakerCalibration
{
    /// <summary>Format name written to and required in calibration files.</summary>
    public const string FormatName = "sermlnet.speaker-calibration";

    /// <summary>
    /// Format version written to and accepted from calibration files. 2: class-score offsets tied to a model file
    /// (1, per-band log-Mel statistics, is no longer read: it scored below plain, 0.644 against 0.677).
    /// </summary>
    public const int FormatVersion = 2;

    /// <summary>How a metrics file (<c>data.calibration</c>) describes figures scored with each speaker's own calibration.</summary>
    public const string TransductiveDescription =
        "per speaker, transductive: each speaker's class-score offsets fitted on that speaker's own evaluated clips (labels unused)";

    /// <summary>Probabilities below this are taken as this before the logarithm (a class the model rules out entirely).</summary>
    public const double ProbabilityFloor = 1e-12;

    private readonly double[] _offsets;
    private readonly string[] _labels;

    /// <summary>Creates a calibration from known parts; use <see cref="Fit"/> or <see cref="EmotionRecognizer.FitCalibration"/> to measure one.</summary>
    /// <param name="speaker">Free-text speaker name (e.g. an actor id, or the folder fitted); may be empty.</param>
    /// <param name="clips">Clips the offsets were fitted on; positive.</param>
    /// <param name="modelSha256">Lower-case hex SHA-256 of the ONNX file fitted with (<see cref="HashOfModel"/>).</param>
    /// <param name="labels">The model's class labels, in output order.</param>
    /// <param name="offsets">Per class, in label order, the mean natural log of its probability over the clips; finite, at most 0.</param>
    /// <exception cref="ArgumentException">A count, hash or offset is out of range, or labels and offsets differ in length.</exception>
    public SpeakerCalibration(string speaker, int clips, string modelSha256, IReadOnlyList<string> labels, IReadOnlyList<double> offsets)
    {
        ArgumentNullException.ThrowIfNull(speaker);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clips);
        ArgumentException.ThrowIfNullOrEmpty(modelSha256);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(offsets);
        if (modelSha256.Length != 64 || !modelSha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"expected 64 lower-case hex digits, got '{modelSha256}'", nameof(modelSha256));
        }
        if (labels.Count < 2 || labels.Count != offsets.Count)
        {
            throw new ArgumentException($"expected one offset per label and at least two labels, got {labels.Count} labels and {offsets.Count} offsets", nameof(offsets));
        }
        foreach (double offset in offsets)
        {
            if (!double.IsFinite(offset) || offset > 0)
            {
                throw new ArgumentException($"offsets are mean log-probabilities, finite and at most 0; got {offset}", nameof(offsets));
            }
        }
        Speaker = speaker;
        Clips = clips;
        ModelSha256 = modelSha256;
        _labels = [.. labels];
        _offsets = [.. offsets];
    }

    /// <summary>Free-text speaker name.</summary>
    public string Speaker { get; }

    /// <summary>Clips the offsets were fitted on.</summary>
    public int Clips { get; }

    /// <summary>Lower-case hex SHA-256 of the ONNX file the offsets were fitted with.</summary>
    public string ModelSha256 { get; }

    /// <summary>The model's class labels, in output order.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Per class, in label order, the mean natural log of its probability over the calibration clips (at most 0).</summary>
    public IReadOnlyList<double> Offsets => _offsets;

    /// <summary>Fits a speaker's calibration on the plain (uncalibrated) results of that speaker's clips.</summary>
    /// <param name="modelSha256">SHA-256 of the model that scored them (<see cref="HashOfModel"/>).</param>
    /// <param name="results">The clips' results from an uncalibrated <see cref="EmotionRecognizer"/>; at least one, all with the same labels.</param>
    /// <param name="speaker">The speaker's name, for messages and the saved file (may be empty).</param>
    /// <returns>The calibration.</returns>
    /// <exception cref="ArgumentException"><paramref name="results"/> is empty or mixes label sets.</exception>
    public static SpeakerCalibration Fit(string modelSha256, IEnumerable<RecognitionResult> results, string speaker = "")
    {
        ArgumentNullException.ThrowIfNull(results);
        double[]? sums = null;
        IReadOnlyList<string>? labels = null;
        int count = 0;
        foreach (RecognitionResult result in results)
        {
            ArgumentNullException.ThrowIfNull(result, nameof(results));
            IReadOnlyList<string> resultLabels = result.Prediction.Labels;
            if (labels is null)
            {
                labels = resultLabels;
                sums = new double[labels.Count];
            }
            else if (!labels.SequenceEqual(resultLabels))
            {
                throw new ArgumentException("every result must come from the same model (their labels differ)", nameof(results));
            }
            IReadOnlyList<float> p = result.Probabilities;
            for (int c = 0; c < sums!.Length; c++)
            {
                sums[c] += Math.Log(Math.Max(p[c], ProbabilityFloor));
            }
            count++;
        }
        if (labels is null || sums is null)
        {
            throw new ArgumentException("speaker calibration needs at least one clip", nameof(results));
        }
        for (int c = 0; c < sums.Length; c++)
        {
            sums[c] = Math.Min(sums[c] / count, 0);
        }
        return new SpeakerCalibration(speaker, count, modelSha256, labels, sums);
    }

    /// <summary>
    /// Calibrates one window's outputs in place: <paramref name="logits"/> minus <see cref="Offsets"/>, and
    /// <paramref name="probabilities"/> their softmax. Allocation-free.
    /// </summary>
    /// <param name="logits">The network's logits, in label order; overwritten.</param>
    /// <param name="probabilities">Receives the calibrated probabilities; same length.</param>
    internal void Apply(Span<float> logits, Span<float> probabilities)
    {
        float max = float.NegativeInfinity;
        for (int c = 0; c < logits.Length; c++)
        {
            logits[c] = (float)(logits[c] - _offsets[c]);
            max = Math.Max(max, logits[c]);
        }
        double sum = 0;
        for (int c = 0; c < logits.Length; c++)
        {
            sum += Math.Exp(logits[c] - max);
        }
        for (int c = 0; c < logits.Length; c++)
        {
            probabilities[c] = (float)(Math.Exp(logits[c] - max) / sum);
        }
    }

    /// <summary>Throws unless <paramref name="labels"/> are this calibration's, in the same order.</summary>
    /// <param name="labels">A model's labels.</param>
    /// <exception cref="SchemaMismatchException">They differ.</exception>
    internal void RequireLabels(IReadOnlyList<string> labels)
    {
        if (!labels.SequenceEqual(_labels, StringComparer.Ordinal))
        {
            throw new SchemaMismatchException(
                $"this speaker calibration{Named} has classes [{string.Join(", ", _labels)}] and the model [{string.Join(", ", labels)}]; fit it again with this model");
        }
    }

    /// <summary>Throws unless <paramref name="modelPath"/>'s file is the one this calibration was fitted with.</summary>
    /// <param name="modelPath">An ONNX file.</param>
    /// <exception cref="SchemaMismatchException">Its SHA-256 differs from <see cref="ModelSha256"/>.</exception>
    internal void RequireModel(string modelPath)
    {
        if (HashOfModel(modelPath) != ModelSha256)
        {
            throw new SchemaMismatchException(
                $"this speaker calibration{Named} was fitted with another model file than '{Path.GetFileName(modelPath)}'; fit it again with this model");
        }
    }

    /// <summary>
    /// Lower-case hex SHA-256 of a model file: what ties a calibration to the network it was fitted with (and how
    /// <c>ser evaluate</c> names the evaluated model without a machine's path).
    /// </summary>
    /// <param name="modelPath">The ONNX file.</param>
    /// <returns>64 hex characters.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static string HashOfModel(string modelPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        using FileStream stream = File.OpenRead(modelPath);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
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
            ModelSha256 = ModelSha256,
            Labels = [.. _labels],
            Offsets = [.. _offsets],
        };
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, dto, CalibrationJsonContext.Default.Dto), flushToDisk: true);
    }

    /// <summary>Reads a calibration written by <see cref="Save"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The calibration.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileException">The file is not a speaker calibration of this version, or its values are invalid.</exception>
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
        if (dto is null || dto.Format != FormatName)
        {
            throw new InvalidFileException($"{path}: expected format '{FormatName}'");
        }
        if (dto.Version != FormatVersion)
        {
            throw new InvalidFileException(dto.Version == 1
                ? $"{path}: a version-1 calibration (band statistics), which this version no longer applies; fit it again (Predict --calibrate)"
                : $"{path}: expected version {FormatVersion}, got {dto.Version}");
        }
        try
        {
            return new SpeakerCalibration(dto.Speaker ?? string.Empty, dto.Clips, dto.ModelSha256!, dto.Labels!, dto.Offsets!);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidFileException($"{path}: invalid speaker calibration ({ex.Message})", ex);
        }
    }

    private string Named => Speaker.Length > 0 ? $" ('{Speaker}')" : string.Empty;

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

        [JsonPropertyName("modelSha256")]
        public string? ModelSha256 { get; set; }

        [JsonPropertyName("labels")]
        public string[]? Labels { get; set; }

        [JsonPropertyName("offsets")]
        public double[]? Offsets { get; set; }
    }
}

[JsonSerializable(typeof(SpeakerCalibration.Dto))]
internal sealed partial class CalibrationJsonContext : JsonSerializerContext;
