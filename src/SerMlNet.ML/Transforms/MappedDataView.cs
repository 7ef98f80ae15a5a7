using Microsoft.ML;
using Microsoft.ML.Data;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// The lazy output of an audio transformer: the source view plus one float-vector column computed row by row inside
/// each cursor (nothing is materialised; a cursor holds one row of each column it computes). Cursor sets follow the
/// source's; a source that gives a single cursor is split into shards that share it (see <see cref="RowSplitter"/>),
/// so the per-row work runs on as many threads as cursors are asked for. Immutable and thread-safe; its cursors are not.
/// </summary>
internal sealed class MappedDataView(IDataView source, ComputedColumn.Binding binding) : IDataView
{
    public bool CanShuffle => source.CanShuffle;

    public DataViewSchema Schema => binding.OutputSchema;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        bool output = binding.Needs(columnsNeeded, out var inputColumns);
        return new Cursor(binding, source.GetRowCursor(inputColumns, rand), output);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        bool output = binding.Needs(columnsNeeded, out var inputColumns);
        DataViewRowCursor[] inputs = source.GetRowCursorSet(inputColumns, n, rand);
        if (inputs.Length == 1 && n > 1 && output)
        {
            inputs = RowSplitter.Split(inputs[0], n);
        }
        return [.. inputs.Select(input => new Cursor(binding, input, output))];
    }

    private sealed class Cursor(ComputedColumn.Binding binding, DataViewRowCursor input, bool outputActive) : DataViewRowCursor
    {
        private ComputedColumn.Value? _value = outputActive ? new ComputedColumn.Value(binding, input) : null;

        public override DataViewSchema Schema => binding.OutputSchema;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index == binding.OutputIndex ? _value is not null : input.IsColumnActive(input.Schema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => binding.Getter<TValue>(input, _value, column);

        public override bool MoveNext() => input.MoveNext();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                input.Dispose();
                _value = null;
            }
            base.Dispose(disposing);
        }
    }
}

/// <summary>
/// The row-to-row form of an audio transformer (<see cref="ITransformer.GetRowToRowMapper"/>), as ML.NET's
/// <c>PredictionEngine</c> uses it: one input row extended by the computed column. Immutable and thread-safe; its rows are not.
/// </summary>
internal sealed class MappedRowToRowMapper(ComputedColumn.Binding binding) : IRowToRowMapper
{
    public DataViewSchema InputSchema => binding.InputSchema;

    public DataViewSchema OutputSchema => binding.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        binding.Needs(dependingColumns, out var inputColumns);
        return inputColumns;
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool output = activeColumns.Any(c => c.Index == binding.OutputIndex);
        return new Row(binding, input, output ? new ComputedColumn.Value(binding, input) : null);
    }

    private sealed class Row(ComputedColumn.Binding binding, DataViewRow input, ComputedColumn.Value? value) : DataViewRow
    {
        public override DataViewSchema Schema => binding.OutputSchema;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index == binding.OutputIndex ? value is not null : input.IsColumnActive(input.Schema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => binding.Getter<TValue>(input, value, column);
    }
}
