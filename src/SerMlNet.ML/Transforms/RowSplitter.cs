using Microsoft.ML;
using Microsoft.ML.Data;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// Splits one cursor into shards for a cursor set: each shard's <c>MoveNext</c> takes the next row of the shared
/// cursor under a lock and copies the values of its active columns (cheap ones in practice: the split happens where
/// the audio transforms meet a source that cannot split itself, i.e. at the path column), so the expensive per-row
/// work downstream runs on the shards' threads. Rows are spread over the shards in no fixed order, as ML.NET allows for
/// cursor sets. The shared cursor is disposed with the last shard.
/// </summary>
internal static class RowSplitter
{
    public static DataViewRowCursor[] Split(DataViewRowCursor input, int n)
    {
        var shared = new Shared(input, n);
        var shards = new DataViewRowCursor[n];
        for (int i = 0; i < n; i++)
        {
            shards[i] = new Shard(shared);
        }
        return shards;
    }

    private sealed class Shared(DataViewRowCursor input, int shards)
    {
        public DataViewRowCursor Input { get; } = input;

        public object Gate { get; } = new();

        public long Rows;

        private int _open = shards;

        public void Release()
        {
            if (Interlocked.Decrement(ref _open) == 0)
            {
                Input.Dispose();
            }
        }
    }

    private sealed class Shard : DataViewRowCursor
    {
        private readonly Shared _shared;
        private readonly Capture?[] _captures;
        private readonly ValueGetter<DataViewRowId> _idGetter;
        private DataViewRowId _id;
        private long _position = -1;
        private long _batch;
        private bool _done;
        private bool _released;

        public Shard(Shared shared)
        {
            _shared = shared;
            DataViewRowCursor input = shared.Input;
            _idGetter = input.GetIdGetter();
            _captures = new Capture?[input.Schema.Count];
            foreach (DataViewSchema.Column column in input.Schema)
            {
                if (input.IsColumnActive(column))
                {
                    _captures[column.Index] = Capture.For(input, column);
                }
            }
        }

        public override DataViewSchema Schema => _shared.Input.Schema;

        public override long Position => _position;

        public override long Batch => _batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = _id;

        public override bool IsColumnActive(DataViewSchema.Column column) => _captures[column.Index] is not null;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            (_captures[column.Index] ?? throw new InvalidOperationException($"column '{column.Name}' is not active")).Getter<TValue>();

        public override bool MoveNext()
        {
            if (_done)
            {
                return false;
            }
            lock (_shared.Gate)
            {
                if (!_shared.Input.MoveNext())
                {
                    _done = true;
                    return false;
                }
                _batch = _shared.Rows++;
                _idGetter(ref _id);
                foreach (Capture? capture in _captures)
                {
                    capture?.Fetch();
                }
            }
            _position++;
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_released)
            {
                _released = true;
                _done = true;
                _shared.Release();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>One column's value of the row last fetched, copied out of the shared cursor.</summary>
    private abstract class Capture
    {
        public abstract void Fetch();

        public abstract ValueGetter<TValue> Getter<TValue>();

        public static Capture For(DataViewRow row, DataViewSchema.Column column)
        {
            Type type = column.Type is VectorDataViewType vector
                ? typeof(VectorCapture<>).MakeGenericType(vector.ItemType.RawType)
                : typeof(ScalarCapture<>).MakeGenericType(column.Type.RawType);
            return (Capture)Activator.CreateInstance(type, row, column)!;
        }
    }

    private sealed class ScalarCapture<T>(DataViewRow row, DataViewSchema.Column column) : Capture
    {
        private readonly ValueGetter<T> _getter = row.GetGetter<T>(column);
        private T _value = default!;

        public override void Fetch() => _getter(ref _value);

        public override ValueGetter<TValue> Getter<TValue>()
        {
            ValueGetter<T> getter = (ref T value) => value = _value;
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException($"column holds {typeof(T).Name}, not {typeof(TValue).Name}");
        }
    }

    private sealed class VectorCapture<T>(DataViewRow row, DataViewSchema.Column column) : Capture
    {
        private readonly ValueGetter<VBuffer<T>> _getter = row.GetGetter<VBuffer<T>>(column);
        private VBuffer<T> _scratch;
        private VBuffer<T> _value;

        public override void Fetch()
        {
            _getter(ref _scratch);
            _scratch.CopyTo(ref _value);
        }

        public override ValueGetter<TValue> Getter<TValue>()
        {
            ValueGetter<VBuffer<T>> getter = (ref VBuffer<T> value) => _value.CopyTo(ref value);
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException($"column holds VBuffer<{typeof(T).Name}>, not {typeof(TValue).Name}");
        }
    }
}
