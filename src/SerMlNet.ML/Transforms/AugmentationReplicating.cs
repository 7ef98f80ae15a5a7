using Microsoft.ML;
using Microsoft.ML.Data;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// Estimator of <see cref="AugmentationReplicatingTransformer"/>. Stateless. Reached as
/// <c>mlContext.Transforms.ReplicateForAugmentation</c>; training-only.
/// </summary>
public sealed class AugmentationReplicatingEstimator : StatelessAudioEstimator<AugmentationReplicatingTransformer>
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="drawColumnName">The Int32 draw column to add.</param>
    /// <param name="copies">Augmented copies per row besides the original, in [0, 100].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="copies"/> is out of range.</exception>
    public AugmentationReplicatingEstimator(string drawColumnName, int copies)
        : base(new AugmentationReplicatingTransformer(drawColumnName, copies))
    {
    }

    /// <inheritdoc />
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return SchemaShapes.With(inputSchema, Transformer.DrawColumnName, NumberDataViewType.Int32);
    }

}

/// <summary>
/// Repeats every input row <see cref="Copies"/> + 1 times, adding an Int32 draw column: 0 for the original, then
/// 1..<see cref="Copies"/> for the rows the augmentation transforms change (the offline augmentation's draws). The
/// repeats of a row follow each other; nothing is materialised. Immutable and thread-safe.
/// </summary>
public sealed class AugmentationReplicatingTransformer : ITransformer
{
    internal const string StageName = "ReplicateForAugmentation";

    internal AugmentationReplicatingTransformer(string drawColumnName, int copies)
    {
        ArgumentException.ThrowIfNullOrEmpty(drawColumnName);
        ArgumentOutOfRangeException.ThrowIfNegative(copies);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(copies, 100);
        DrawColumnName = drawColumnName;
        Copies = copies;
    }

    /// <summary>The Int32 draw column this transformer adds.</summary>
    public string DrawColumnName { get; }

    /// <summary>Augmented copies per row besides the original.</summary>
    public int Copies { get; }

    /// <summary>False: the transformer changes the number of rows.</summary>
    public bool IsRowToRowMapper => false;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(DrawColumnName, NumberDataViewType.Int32);
        return builder.ToSchema();
    }

    /// <summary>Not supported: the transformer changes the number of rows.</summary>
    /// <param name="inputSchema">Ignored.</param>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new NotSupportedException($"{StageName} changes the number of rows; call Transform");

    /// <inheritdoc />
    /// <returns>A lazy view with (<see cref="Copies"/> + 1) rows per input row and the draw column last.</returns>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new View(input, GetOutputSchema(input.Schema), Copies + 1);
    }

    /// <summary>Throws: ML.NET's <see cref="ModelSaveContext"/> has no public members, so custom transformers cannot save.</summary>
    /// <param name="ctx">Ignored.</param>
    /// <exception cref="TransformerSaveException">Always.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new TransformerSaveException(StageName);

    private sealed class View(IDataView source, DataViewSchema schema, int draws) : IDataView
    {
        public bool CanShuffle => false;

        public DataViewSchema Schema => schema;

        public long? GetRowCount() => source.GetRowCount() * _draws;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
            new Cursor(this, source.GetRowCursor(SourceColumns(columnsNeeded)), NeedsDraw(columnsNeeded));

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [.. source.GetRowCursorSet(SourceColumns(columnsNeeded), n).Select(c => new Cursor(this, c, NeedsDraw(columnsNeeded)))];

        private int DrawIndex => source.Schema.Count;

        private IEnumerable<DataViewSchema.Column> SourceColumns(IEnumerable<DataViewSchema.Column> columnsNeeded) =>
            [.. columnsNeeded.Where(c => c.Index != DrawIndex).Select(c => source.Schema[c.Index])];

        private bool NeedsDraw(IEnumerable<DataViewSchema.Column> columnsNeeded) => columnsNeeded.Any(c => c.Index == DrawIndex);

        private sealed class Cursor(View view, DataViewRowCursor input, bool drawActive) : DataViewRowCursor
        {
            private int _draw = -1;
            private long _position = -1;

            public override DataViewSchema Schema => view.Schema;

            public override long Position => _position;

            public override long Batch => input.Batch;

            public override ValueGetter<DataViewRowId> GetIdGetter()
            {
                ValueGetter<DataViewRowId> inner = input.GetIdGetter();
                return (ref DataViewRowId value) =>
                {
                    inner(ref value);
                    value = value.Combine(new DataViewRowId((ulong)_draw, 0));
                };
            }

            public override bool IsColumnActive(DataViewSchema.Column column) =>
                column.Index == view.DrawIndex ? drawActive : input.IsColumnActive(input.Schema[column.Index]);

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            {
                if (column.Index != view.DrawIndex)
                {
                    return input.GetGetter<TValue>(input.Schema[column.Index]);
                }
                ValueGetter<int> getter = (ref int value) => value = _draw;
                return getter as ValueGetter<TValue> ?? throw new InvalidOperationException($"column '{column.Name}' holds Int32, not {typeof(TValue).Name}");
            }

            public override bool MoveNext()
            {
                if (_draw < 0 || _draw + 1 == view._draws)
                {
                    if (!input.MoveNext())
                    {
                        return false;
                    }
                    _draw = 0;
                }
                else
                {
                    _draw++;
                }
                _position++;
                return true;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    input.Dispose();
                }
                base.Dispose(disposing);
            }
        }

        private readonly int _draws = draws;
    }
}
