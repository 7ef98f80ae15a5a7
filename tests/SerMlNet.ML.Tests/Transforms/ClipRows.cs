using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Tests;

namespace SerMlNet.ML.Tests.Transforms;

/// <summary>One input row of the audio pipelines under test: a WAV path, the clip's id and its RAVDESS emotion code.</summary>
public sealed class ClipRow
{
    public string Path { get; set; } = "";

    public string ClipId { get; set; } = "";

    public string Emotion { get; set; } = "";
}

/// <summary>Input views over the shared RAVDESS clips, and reading float-vector columns back.</summary>
internal static class ClipRows
{
    /// <summary>The first <paramref name="count"/> 16 kHz clips in path order (actor, then file name).</summary>
    public static ClipRow[] Ravdess16k(int count) =>
        [.. Directory.EnumerateFiles(RepoPaths.Ravdess16k, "*.wav", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Take(count)
            .Select(p => FromPath(p, RepoPaths.Ravdess16k))];

    /// <summary>The ten 48 kHz RAVDESS originals.</summary>
    public static ClipRow[] Ravdess48k() =>
        [.. Directory.EnumerateFiles(RepoPaths.Ravdess48kSamples, "*.wav").Order(StringComparer.Ordinal).Select(p => FromPath(p, RepoPaths.Ravdess48kSamples))];

    public static ClipRow FromPath(string path, string root) => new()
    {
        Path = path,
        ClipId = System.IO.Path.GetRelativePath(root, path).Replace('\\', '/'),
        // RAVDESS names: modality-channel-emotion-intensity-statement-repetition-actor.
        Emotion = System.IO.Path.GetFileNameWithoutExtension(path).Split('-')[2],
    };

    public static IDataView View(MLContext ml, IEnumerable<ClipRow> rows) => ml.Data.LoadFromEnumerable(rows);

    /// <summary>Every row's value of a float-vector column, read through one cursor in row order.</summary>
    public static List<float[]> ReadVectors(IDataView view, string column)
    {
        DataViewSchema.Column col = view.Schema[column];
        var result = new List<float[]>();
        using DataViewRowCursor cursor = view.GetRowCursor([col]);
        ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value.DenseValues().ToArray());
        }
        return result;
    }

    /// <summary>A <see cref="SchemaShape"/> of the input rows, made without data (ML.NET's own conversion is internal).</summary>
    public static SchemaShape Shape(MLContext ml)
    {
        var mapping = ml.Transforms.CustomMapping<EmptyRow, ClipRow>((_, _) => { }, contractName: null);
        return mapping.GetOutputSchema(new SchemaShape([]));
    }

    public sealed class EmptyRow
    {
    }
}
