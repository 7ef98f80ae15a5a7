using Microsoft.ML;
using Microsoft.ML.Data;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// How an audio transform's column is computed and read: which input columns it depends on, how a row's mapper is
/// made, and (per row or cursor) the value computed once per position. Shared by the lazy view's cursors and by the
/// row-to-row mapper. <see cref="Binding"/> is immutable; <see cref="Value"/> belongs to one row or cursor.
/// </summary>
internal static class ComputedColumn
{
    /// <summary>A transform bound to an input schema: the output schema (computed column last), its input column indices, and the mapper factory.</summary>
    internal sealed record Binding(DataViewSchema InputSchema, DataViewSchema OutputSchema, int[] Inputs, Func<DataViewRow, RowMapper> CreateMapper)
    {
        public int OutputIndex => InputSchema.Count;

        /// <summary>The input columns needed for the requested output columns; whether the computed column is among them.</summary>
        public bool Needs(IEnumerable<DataViewSchema.Column> columnsNeeded, out List<DataViewSchema.Column> inputColumns)
        {
            ArgumentNullException.ThrowIfNull(columnsNeeded);
            bool output = false;
            inputColumns = [];
            foreach (DataViewSchema.Column column in columnsNeeded)
            {
                if (column.Index == OutputIndex)
                {
                    output = true;
                }
                else
                {
                    inputColumns.Add(InputSchema[column.Index]);
                }
            }
            if (output)
            {
                foreach (int input in Inputs)
                {
                    if (!inputColumns.Exists(c => c.Index == input))
                    {
                        inputColumns.Add(InputSchema[input]);
                    }
                }
            }
            return output;
        }

        /// <summary>A getter of an output column of <paramref name="input"/> extended by the computed <paramref name="value"/>.</summary>
        public ValueGetter<TValue> Getter<TValue>(DataViewRow input, Value? value, DataViewSchema.Column column)
        {
            if (column.Index != OutputIndex)
            {
                return input.GetGetter<TValue>(input.Schema[column.Index]);
            }
            if (value is null)
            {
                throw new InvalidOperationException($"column '{column.Name}' was not requested when the row or cursor was made");
            }
            if (typeof(TValue) != typeof(VBuffer<float>))
            {
                throw new InvalidOperationException($"column '{column.Name}' holds VBuffer<float>, not {typeof(TValue).Name}");
            }
            ValueGetter<VBuffer<float>> getter = value.Get;
            return (ValueGetter<TValue>)(Delegate)getter;
        }
    }

    /// <summary>The computed value of one row or cursor: computed on first read at each position, then copied out.</summary>
    internal sealed class Value(Binding binding, DataViewRow input)
    {
        private RowMapper? _mapper;
        private ReadOnlyMemory<float> _value;
        private long _position = -1;

        public void Get(ref VBuffer<float> destination)
        {
            if (_position != input.Position || _position < 0)
            {
                _mapper ??= binding.CreateMapper(input);
                _value = _mapper.Map();
                _position = input.Position;
            }
            var editor = VBufferEditor.Create(ref destination, _value.Length);
            _value.Span.CopyTo(editor.Values);
            destination = editor.Commit();
        }
    }
}
