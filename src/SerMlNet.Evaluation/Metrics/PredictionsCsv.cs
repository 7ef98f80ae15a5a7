using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Audio.Io;

namespace SerMlNet.Evaluation.Metrics;

/// <summary>
/// Per-file predictions as CSV, one row per clip: <c>clip_id,true,predicted,confidence,p_&lt;label&gt;…,gender,intensity</c>.
/// <c>true</c> and <c>predicted</c> are labels; <c>confidence</c> is the predicted class's probability; one
/// <c>p_&lt;label&gt;</c> column per class in class-index order (floats written to round-trip exactly);
/// <c>gender</c> is <c>male</c>, <c>female</c> or empty; <c>intensity</c> is the value or empty. A last column
/// <c>f0_hz</c> (the clip's median F0 in Hz, empty when unvoiced) is written only when some prediction has
/// <see cref="Prediction.MedianF0"/>, and read when present. Stateless; thread-safe.
/// </summary>
public static class PredictionsCsv
{
    private const string ProbabilityPrefix = "p_";

    /// <summary>Writes the predictions atomically (temporary file, then rename).</summary>
    /// <param name="path">Destination file; its folder is created if missing.</param>
    /// <param name="labels">Class labels in class-index order.</param>
    /// <param name="predictions">The predictions; class indices index <paramref name="labels"/>.</param>
    public static void Write(string path, IReadOnlyList<string> labels, IEnumerable<Prediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(predictions);
        List<Prediction> rows = predictions.ToList();
        bool withF0 = rows.Any(p => p.MedianF0 is not null);
        foreach (Prediction p in rows)
        {
            if (p.Probabilities.Length != labels.Count || (uint)p.TrueClass >= (uint)labels.Count || (uint)p.PredictedClass >= (uint)labels.Count)
            {
                throw new ArgumentException($"prediction for '{p.ClipId}' does not fit {labels.Count} classes", nameof(predictions));
            }
        }
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            csv.WriteField("clip_id");
            csv.WriteField("true");
            csv.WriteField("predicted");
            csv.WriteField("confidence");
            foreach (string label in labels)
            {
                csv.WriteField(ProbabilityPrefix + label);
            }
            csv.WriteField("gender");
            csv.WriteField("intensity");
            if (withF0)
            {
                csv.WriteField("f0_hz");
            }
            csv.NextRecord();
            foreach (Prediction p in rows)
            {
                csv.WriteField(p.ClipId);
                csv.WriteField(labels[p.TrueClass]);
                csv.WriteField(labels[p.PredictedClass]);
                csv.WriteField(Format(p.Confidence));
                foreach (float probability in p.Probabilities)
                {
                    csv.WriteField(Format(probability));
                }
                csv.WriteField(p.Gender switch { Gender.Male => "male", Gender.Female => "female", _ => string.Empty });
                csv.WriteField(p.Intensity ?? string.Empty);
                if (withF0)
                {
                    csv.WriteField(p.MedianF0 is { } f0 ? f0.ToString("R", CultureInfo.InvariantCulture) : string.Empty);
                }
                csv.NextRecord();
            }
        });
    }

    /// <summary>Reads a file written by <see cref="Write"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The labels (from the <c>p_</c> columns, in column order) and the predictions.</returns>
    /// <exception cref="InvalidFileException">A column is missing or a row is malformed; the row number is given.</exception>
    public static (IReadOnlyList<string> Labels, IReadOnlyList<Prediction> Predictions) Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"predictions file '{path}' does not exist", path);
        }
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
        {
            throw new InvalidFileException($"predictions file '{path}' is empty");
        }
        foreach (string required in (string[])["clip_id", "true", "predicted", "gender", "intensity"])
        {
            if (!header.Contains(required))
            {
                throw new InvalidFileException($"predictions file '{path}' has no '{required}' column");
            }
        }
        string[] labels = header.Where(h => h.StartsWith(ProbabilityPrefix, StringComparison.Ordinal)).Select(h => h[ProbabilityPrefix.Length..]).ToArray();
        if (labels.Length < 2)
        {
            throw new InvalidFileException($"predictions file '{path}' has {labels.Length} p_<label> column(s), expected one per class (at least 2)");
        }
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < labels.Length; c++)
        {
            index[labels[c]] = c;
        }
        bool hasF0 = header.Contains("f0_hz");
        var predictions = new List<Prediction>();
        while (csv.Read())
        {
            int row = csv.Parser.Row;
            string id = csv.GetField("clip_id") ?? string.Empty;
            if (!index.TryGetValue(csv.GetField("true") ?? string.Empty, out int truth) ||
                !index.TryGetValue(csv.GetField("predicted") ?? string.Empty, out int predicted))
            {
                throw new InvalidFileException($"predictions file '{path}', row {row}: true or predicted label is not among {string.Join(", ", labels)}");
            }
            var probabilities = new float[labels.Length];
            for (int c = 0; c < labels.Length; c++)
            {
                string text = csv.GetField(ProbabilityPrefix + labels[c]) ?? string.Empty;
                if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out probabilities[c]))
                {
                    throw new InvalidFileException($"predictions file '{path}', row {row}: p_{labels[c]} '{text}' is not a number");
                }
            }
            Gender? gender = (csv.GetField("gender") ?? string.Empty) switch
            {
                "male" => Gender.Male,
                "female" => Gender.Female,
                "" => null,
                string other => throw new InvalidFileException($"predictions file '{path}', row {row}: gender '{other}' is not male, female or empty"),
            };
            string intensity = csv.GetField("intensity") ?? string.Empty;
            double? f0 = null;
            if (hasF0 && csv.GetField("f0_hz") is { Length: > 0 } f0Text)
            {
                f0 = double.TryParse(f0Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0
                    ? value
                    : throw new InvalidFileException($"predictions file '{path}', row {row}: f0_hz '{f0Text}' is not a positive number");
            }
            predictions.Add(new Prediction(id, truth, predicted, probabilities, gender, intensity.Length == 0 ? null : intensity, f0));
        }
        return (labels, predictions);
    }

    private static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
