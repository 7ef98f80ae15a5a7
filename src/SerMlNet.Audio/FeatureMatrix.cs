namespace SerMlNet.Audio;

/// <summary>
/// A 2-D float32 feature matrix in librosa's orientation: <see cref="Rows"/> are frequency bins or Mel bands,
/// <see cref="Columns"/> are frames, stored row-major, so element (row r, frame t) is at <c>r * Columns + t</c>.
/// The data array is shared, not copied. Thread-safe for reading.
/// </summary>
public sealed class FeatureMatrix
{
    /// <summary>Wraps <paramref name="data"/> (not copied).</summary>
    /// <param name="rows">Number of rows (bins or Mel bands); non-negative.</param>
    /// <param name="columns">Number of columns (frames); non-negative.</param>
    /// <param name="data">Row-major values; length must be <c>rows * columns</c>.</param>
    public FeatureMatrix(int rows, int columns, float[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentNullException.ThrowIfNull(data);
        if ((long)rows * columns != data.Length)
        {
            throw new ArgumentException($"data has {data.Length} values, expected {rows} x {columns} = {(long)rows * columns}", nameof(data));
        }
        Rows = rows;
        Columns = columns;
        Data = data;
    }

    /// <summary>Creates a zero-filled matrix.</summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="columns">Number of columns.</param>
    public FeatureMatrix(int rows, int columns)
        : this(rows, columns, new float[checked(rows * columns)])
    {
    }

    /// <summary>Number of rows: frequency bins (<c>1 + NFft / 2</c>) or Mel bands.</summary>
    public int Rows { get; }

    /// <summary>Number of columns: frames.</summary>
    public int Columns { get; }

    /// <summary>Row-major values, length <c>Rows * Columns</c>.</summary>
    public float[] Data { get; }

    /// <summary>Gets or sets element (row, column).</summary>
    /// <param name="row">Row (band) index.</param>
    /// <param name="column">Column (frame) index.</param>
    public float this[int row, int column]
    {
        get => Data[Index(row, column)];
        set => Data[Index(row, column)] = value;
    }

    /// <summary>One row (a band over all frames) as a span over the data.</summary>
    /// <param name="row">Row index.</param>
    /// <returns>A span of <see cref="Columns"/> values.</returns>
    public Span<float> Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        return Data.AsSpan(row * Columns, Columns);
    }

    /// <summary>A deep copy.</summary>
    /// <returns>A new matrix with its own data array.</returns>
    public FeatureMatrix Clone() => new(Rows, Columns, (float[])Data.Clone());

    private int Index(int row, int column)
    {
        if ((uint)row >= (uint)Rows || (uint)column >= (uint)Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(row), $"({row}, {column}) is outside {Rows} x {Columns}");
        }
        return row * Columns + column;
    }
}
