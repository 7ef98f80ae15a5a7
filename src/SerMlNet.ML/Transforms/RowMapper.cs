using Microsoft.ML;
using Microsoft.ML.Data;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// Computes one transform's output column for the current row of one cursor. Made per cursor, so it may keep scratch
/// buffers; not thread-safe. The returned span stays valid until the next call.
/// </summary>
internal abstract class RowMapper
{
    /// <summary>The output values of the cursor's current row (memory the mapper owns until its next call).</summary>
    public abstract ReadOnlyMemory<float> Map();

    /// <summary>Reads a float-vector getter's value densely: the vector's own values when dense, else a copy into <paramref name="scratch"/>.</summary>
    protected static ReadOnlySpan<float> Dense(in VBuffer<float> value, ref float[] scratch)
    {
        if (value.IsDense)
        {
            return value.GetValues();
        }
        if (scratch.Length < value.Length)
        {
            scratch = new float[value.Length];
        }
        Span<float> dense = scratch.AsSpan(0, value.Length);
        value.CopyTo(dense);
        return dense;
    }

    /// <summary>A buffer of at least <paramref name="length"/> values, grown (never shrunk) as needed.</summary>
    protected static Memory<float> Ensure(ref float[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new float[length];
        }
        return buffer.AsMemory(0, length);
    }

    /// <summary>The getter of an input column, with the column looked up in the row's schema.</summary>
    protected static ValueGetter<T> Getter<T>(DataViewRow row, int column) => row.GetGetter<T>(row.Schema[column]);
}
