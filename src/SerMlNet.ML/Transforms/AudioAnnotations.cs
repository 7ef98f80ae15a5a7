using Microsoft.ML;
using Microsoft.ML.Data;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// Names of the column annotations the audio transforms write and read. An audio column (a variable-length
/// <see cref="float"/> vector of mono samples) carries <see cref="SampleRate"/>; a log-Mel column (row-major
/// [bands, frames]) carries <see cref="MelBands"/>.
/// </summary>
public static class AudioAnnotations
{
    /// <summary>Annotation of an audio column: its sample rate in Hz (<see cref="int"/>).</summary>
    public const string SampleRate = "SampleRate";

    /// <summary>Annotation of a log-Mel column: the number of Mel bands, the rows of its row-major [bands, frames] values (<see cref="int"/>).</summary>
    public const string MelBands = "MelBands";

    /// <summary>The sample rate a column declares, or null when it has no <see cref="SampleRate"/> annotation.</summary>
    /// <param name="column">A column.</param>
    /// <returns>The rate in Hz, or null.</returns>
    public static int? GetSampleRate(DataViewSchema.Column column) => GetInt32(column, SampleRate);

    /// <summary>
    /// The Mel bands of a feature column: its <see cref="MelBands"/> annotation, else the first dimension of a
    /// two-dimensional vector type; null when neither says.
    /// </summary>
    /// <param name="column">A column.</param>
    /// <returns>The band count, or null.</returns>
    public static int? GetMelBands(DataViewSchema.Column column)
    {
        if (GetInt32(column, MelBands) is int bands)
        {
            return bands;
        }
        return column.Type is VectorDataViewType { Dimensions.Length: 2 } vector ? vector.Dimensions[0] : null;
    }

    internal static DataViewSchema.Annotations Int32(string name, int value)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(name, NumberDataViewType.Int32, (ref int v) => v = value);
        return builder.ToAnnotations();
    }

    private static int? GetInt32(DataViewSchema.Column column, string name)
    {
        if (column.Annotations.Schema.GetColumnOrNull(name) is not { } annotation || annotation.Type != NumberDataViewType.Int32)
        {
            return null;
        }
        int value = 0;
        column.Annotations.GetValue(name, ref value);
        return value;
    }
}
