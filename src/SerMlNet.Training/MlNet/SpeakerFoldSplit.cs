using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Splits;

namespace SerMlNet.Training.MlNet;

/// <summary>One speaker-held-out fold of an <see cref="IDataView"/>.</summary>
/// <param name="Name">The fold's name, e.g. <c>fold3</c>.</param>
/// <param name="Train">Rows of the training speakers.</param>
/// <param name="Validation">Rows of the fold's validation speakers (empty when it has none).</param>
/// <param name="Test">Rows of the fold's test speakers.</param>
public sealed record SpeakerFoldData(string Name, IDataView Train, IDataView Validation, IDataView Test);

/// <summary>
/// Speaker-held-out cross-validation of an <see cref="IDataView"/> through ML.NET's own splitting:
/// <c>mlContext.Data.CrossValidationSplit</c> with <c>samplingKeyColumnName</c> for the test speakers and
/// <c>mlContext.Data.TrainTestSplit</c> with <c>samplingKeyColumnName</c> for the validation speakers. The folds are the
/// project's gender-balanced ones (<see cref="Splitter.SpeakerFolds"/>), reproduced exactly: ML.NET hashes a text
/// sampling key (so the actor column itself would give other, unbalanced folds) but uses a key column's value as is
/// (value v of K falls in fold v − 1), so a key column holding each row's speaker's fold is added first. The stratified
/// 80/10/10 split has no ML.NET counterpart and stays <see cref="Splitter.Stratified"/>. Thread-safe.
/// </summary>
public static class SpeakerFoldSplit
{
    /// <summary>Name of the key column the split adds: key value f + 1 for a row whose speaker is a test speaker of
    /// fold f (0-based). It stays in every part.</summary>
    public const string FoldColumnName = "SpeakerFold";

    private const string ValidationColumnName = "ValidationSpeaker";

    /// <summary>Splits data into speaker-held-out folds.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="data">The rows, with a text column naming each row's speaker.</param>
    /// <param name="folds">The folds, e.g. <see cref="Splitter.SpeakerFolds"/> or the speaker folds of a job's
    /// <see cref="SplitSet"/>: at least two, each with test speakers, no speaker a test speaker of two folds.</param>
    /// <param name="speakerColumnName">The speaker column (text); default <c>Speaker</c>.</param>
    /// <returns>One entry per fold, in the order of <paramref name="folds"/>. Each part holds the input columns plus
    /// <see cref="FoldColumnName"/>. Reading a row of a speaker that no fold lists throws <see cref="DatasetException"/>.</returns>
    /// <exception cref="DatasetException">The folds are not speaker folds, or a speaker is in the test part of two folds.</exception>
    /// <exception cref="ArgumentException">The speaker column is missing or not text.</exception>
    public static IReadOnlyList<SpeakerFoldData> Split(MLContext mlContext, IDataView data, IReadOnlyList<DatasetSplit> folds, string speakerColumnName = "Speaker")
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(folds);
        if (data.Schema.GetColumnOrNull(speakerColumnName) is not { Type: TextDataViewType })
        {
            throw new ArgumentException($"column '{speakerColumnName}' must be a text column naming each row's speaker", nameof(speakerColumnName));
        }
        if (folds.Count < 2)
        {
            throw new DatasetException($"speaker-held-out cross-validation needs at least 2 folds (got {folds.Count})");
        }
        var foldOf = new Dictionary<string, uint>(StringComparer.Ordinal);
        for (int f = 0; f < folds.Count; f++)
        {
            if (folds[f].TestSpeakers.Count == 0)
            {
                throw new DatasetException($"split '{folds[f].Name}' holds out no speakers; speaker folds are made by Splitter.SpeakerFolds");
            }
            foreach (string speaker in folds[f].TestSpeakers)
            {
                if (!foldOf.TryAdd(speaker, (uint)f))
                {
                    throw new DatasetException($"speaker '{speaker}' is a test speaker of both '{folds[(int)foldOf[speaker]].Name}' and '{folds[f].Name}'");
                }
            }
        }

        IDataView withFold = KeyOfSpeaker(mlContext, speakerColumnName, FoldColumnName, folds.Count, foldOf).Fit(data).Transform(data);
        IReadOnlyList<DataOperationsCatalog.TrainTestData> parts = mlContext.Data.CrossValidationSplit(withFold, folds.Count, samplingKeyColumnName: FoldColumnName);
        var result = new List<SpeakerFoldData>(folds.Count);
        for (int f = 0; f < folds.Count; f++)
        {
            // Validation speakers get key value 1 of 2 (fraction 0.25), the others 2 (0.75): a test fraction of 0.5 takes
            // exactly the validation speakers.
            var validation = folds[f].ValidationSpeakers.ToDictionary(s => s, _ => 0u, StringComparer.Ordinal);
            IDataView train = KeyOfSpeaker(mlContext, speakerColumnName, ValidationColumnName, 2, validation, fallback: 1)
                .Fit(parts[f].TrainSet).Transform(parts[f].TrainSet);
            DataOperationsCatalog.TrainTestData inner = mlContext.Data.TrainTestSplit(train, testFraction: 0.5, samplingKeyColumnName: ValidationColumnName);
            result.Add(new SpeakerFoldData(
                folds[f].Name,
                mlContext.Transforms.DropColumns(ValidationColumnName).Fit(inner.TrainSet).Transform(inner.TrainSet),
                mlContext.Transforms.DropColumns(ValidationColumnName).Fit(inner.TestSet).Transform(inner.TestSet),
                parts[f].TestSet));
        }
        return result;
    }

    /// <summary>A mapping from the speaker column to a key column with <paramref name="count"/> values: a listed
    /// speaker's 0-based index becomes key value index + 1; an unlisted one gets <paramref name="fallback"/>, or throws.</summary>
    private static IEstimator<ITransformer> KeyOfSpeaker(MLContext mlContext, string speakerColumnName, string keyColumnName, int count, Dictionary<string, uint> index, uint? fallback = null)
    {
        var input = SchemaDefinition.Create(typeof(SpeakerRow));
        input[nameof(SpeakerRow.Speaker)].ColumnName = speakerColumnName;
        var output = SchemaDefinition.Create(typeof(KeyRow));
        output[nameof(KeyRow.Key)].ColumnName = keyColumnName;
        output[keyColumnName].ColumnType = new KeyDataViewType(typeof(uint), count);
        return mlContext.Transforms.CustomMapping<SpeakerRow, KeyRow>((row, key) =>
            key.Key = index.TryGetValue(row.Speaker, out uint value) ? value
                : fallback ?? throw new DatasetException($"speaker '{row.Speaker}' is in no fold's test speakers; make the folds from the same dataset"),
            contractName: null, input, output);
    }

    /// <summary>The speaker of a row.</summary>
    internal sealed class SpeakerRow
    {
        public string Speaker { get; set; } = string.Empty;
    }

    /// <summary>A 0-based key index (ML.NET exposes index i of a key column as key value i + 1).</summary>
    internal sealed class KeyRow
    {
        public uint Key { get; set; }
    }
}
