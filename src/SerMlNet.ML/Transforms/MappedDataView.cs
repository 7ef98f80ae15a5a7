using Microsoft.ML;
using Microsoft.ML.Data;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// The lazy output of an audio transformer: the source view plus one float-vector column computed row by row inside
/// each cursor (nothing is materialised; a cursor holds one row of each column it computes). Cursor sets follow the
/// source's; a source that gives a single cursor is split into shards that share it (see <see cref="RowSplitter"/>),
/// so the per-row work runs on as many threads as cursors are asked for. Immutable and thread-safe; its cursors are not.
/// </summary>
internal sealed class MappedDataView : IDataView
{
    private readonly IDataView _source;
    private readonly int[] _inputs;
    private readonly Func<DataViewRow, RowMapper> _createMapper;

    /// <param name="source">The input view.</param>
    /// <param name="schema">The output schema: the source's columns, then the computed column last.</param>
    /// <param name="inputs">Source column indices the mapping reads.</param>
    /// <param name="createMapper">Makes a cursor's mapper from the source row it reads.</param>
    public MappedDataView(IDataView source, DataViewSchema schema, int[] inputs, Func<DataViewRow, RowMapper> createMapper)
    {
        _source = source;
        Schema = schema;
        _inputs = inputs;
        _createMapper = createMapper;
    }

    public bool CanShuffle => _source.CanShuffle;

    public DataViewSchema Schema { get; }

    private int OutputIndex => _source.Schema.Count;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        bool output = Needs(columnsNeeded, out var sourceColumns);
        return new Cursor(this, _source.GetRowCursor(sourceColumns, rand), output);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        bool output = Needs(columnsNeeded, out var sourceColumns);
        DataViewRowCursor[] inputs = _source.GetRowCursorSet(sourceColumns, n, rand);
        if (inputs.Length == 1 && n > 1 && output)
        {
            inputs = RowSplitter.Split(inputs[0], n);
        }
        var cursors = new DataViewRowCursor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            cursors[i] = new Cursor(this, inputs[i], output);
        }
        return cursors;
    }

    private bool Needs(IEnumerable<DataViewSchema.Column> columnsNeeded, out List<DataViewSchema.Column> sourceColumns)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        bool output = false;
        sourceColumns = [];
        foreach (DataViewSchema.Column column in columnsNeeded)
        {
            if (column.Index == OutputIndex)
            {
                output = true;
            }
            else
            {
                sourceColumns.Add(_source.Schema[column.Index]);
            }
        }
        if (output)
        {
            foreach (int input in _inputs)
            {
                if (!sourceColumns.Exists(c => c.Index == input))
                {
                    sourceColumns.Add(_source.Schema[input]);
                }
            }
        }
        return output;
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly MappedDataView _view;
        private readonly DataViewRowCursor _input;
        private readonly bool _outputActive;
        private RowMapper? _mapper;
        private ReadOnlyMemory<float> _value;
        private long _computedPosition = -1;

        public Cursor(MappedDataView view, DataViewRowCursor input, bool outputActive)
        {
            _view = view;
            _input = input;
            _outputActive = outputActive;
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index == _view.OutputIndex ? _outputActive : _input.IsColumnActive(_input.Schema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != _view.OutputIndex)
            {
                return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            }
            if (!_outputActive)
            {
                throw new InvalidOperationException($"column '{column.Name}' was not requested when the cursor was made");
            }
            if (typeof(TValue) != typeof(VBuffer<float>))
            {
                throw new InvalidOperationException($"column '{column.Name}' holds VBuffer<float>, not {typeof(TValue).Name}");
            }
            ValueGetter<VBuffer<float>> getter = Get;
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        public override bool MoveNext() => _input.MoveNext();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _input.Dispose();
                _mapper = null;
                _value = default;
            }
            base.Dispose(disposing);
        }

        private void Get(ref VBuffer<float> destination)
        {
            if (_computedPosition != _input.Position)
            {
                _mapper ??= _view._createMapper(_input);
                _value = _mapper.Map();
                _computedPosition = _input.Position;
            }
            var editor = VBufferEditor.Create(ref destination, _value.Length);
            _value.Span.CopyTo(editor.Values);
            destination = editor.Commit();
        }
    }
}
