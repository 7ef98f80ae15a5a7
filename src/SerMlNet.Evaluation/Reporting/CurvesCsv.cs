using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using SerMlNet.Audio.Io;

namespace SerMlNet.Evaluation.Reporting;

/// <summary>
/// Reads (and, for tools and tests, writes) the trainer's per-epoch <c>curves.csv</c>: a header row naming
/// <c>epoch,train_loss,val_loss,train_acc,val_acc,val_macro_f1,lr,seconds</c> (any order; extra columns ignored),
/// then one row per epoch. Empty cells and <c>nan</c> read as NaN. Stateless; thread-safe.
/// </summary>
public static class CurvesCsv
{
    /// <summary>The columns, in the order <see cref="Write"/> uses.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["epoch", "train_loss", "val_loss", "train_acc", "val_acc", "val_macro_f1", "lr", "seconds"];

    /// <summary>Reads a curves file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The rows in file order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileException">A column is missing or a cell is not a number; row and column are named.</exception>
    public static IReadOnlyList<CurveRow> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"curves file '{path}' does not exist", path);
        }
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = args => args.Header.Trim().ToLowerInvariant(),
            TrimOptions = TrimOptions.Trim,
        };
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, config);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            throw new InvalidFileException($"curves file '{path}' is empty (expected a header {string.Join(",", Columns)})");
        }
        string[] header = csv.HeaderRecord.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        string[] missing = Columns.Where(c => !header.Contains(c)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidFileException($"curves file '{path}' lacks column(s) {string.Join(", ", missing)} (header: {string.Join(",", csv.HeaderRecord)})");
        }
        var rows = new List<CurveRow>();
        while (csv.Read())
        {
            int row = csv.Parser.Row;
            double Number(string column)
            {
                string text = csv.GetField(column) ?? string.Empty;
                if (text.Length == 0 || text.Equals("nan", StringComparison.OrdinalIgnoreCase))
                {
                    return double.NaN;
                }
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                {
                    throw new InvalidFileException($"curves file '{path}', row {row}: {column} '{text}' is not a number");
                }
                return value;
            }
            double epoch = Number("epoch");
            if (!double.IsFinite(epoch) || epoch != Math.Floor(epoch))
            {
                throw new InvalidFileException($"curves file '{path}', row {row}: epoch '{csv.GetField("epoch")}' is not an integer");
            }
            rows.Add(new CurveRow((int)epoch, Number("train_loss"), Number("val_loss"), Number("train_acc"), Number("val_acc"),
                Number("val_macro_f1"), Number("lr"), Number("seconds")));
        }
        return rows;
    }

    /// <summary>Writes rows in the trainer's format, atomically.</summary>
    /// <param name="path">Destination file.</param>
    /// <param name="rows">The rows.</param>
    public static void Write(string path, IEnumerable<CurveRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        List<CurveRow> list = rows.ToList();
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            foreach (string column in Columns)
            {
                csv.WriteField(column);
            }
            csv.NextRecord();
            foreach (CurveRow r in list)
            {
                csv.WriteField(r.Epoch.ToString(CultureInfo.InvariantCulture));
                foreach (double v in (double[])[r.TrainLoss, r.ValLoss, r.TrainAcc, r.ValAcc, r.ValMacroF1, r.Lr, r.Seconds])
                {
                    csv.WriteField(double.IsNaN(v) ? "nan" : v.ToString("R", CultureInfo.InvariantCulture));
                }
                csv.NextRecord();
            }
        });
    }
}
