using Microsoft.ML;
using Microsoft.ML.Data;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// Base of the training-only augmentation transformers: besides their input column they read each row's clip id (text)
/// and draw index (Int32), which seed the row's random draws, so a row gives the same output in any cursor and thread.
/// Immutable and thread-safe.
/// </summary>
public abstract class AugmentingTransformerBase : AudioTransformerBase
{
    private protected AugmentingTransformerBase(string stage, string outputColumnName, string inputColumnName, string clipIdColumnName, string drawColumnName)
        : base(stage, outputColumnName, inputColumnName)
    {
        ArgumentException.ThrowIfNullOrEmpty(clipIdColumnName);
        ArgumentException.ThrowIfNullOrEmpty(drawColumnName);
        ClipIdColumnName = clipIdColumnName;
        DrawColumnName = drawColumnName;
    }

    /// <summary>The text column with each clip's stable id.</summary>
    public string ClipIdColumnName { get; }

    /// <summary>The Int32 column with the draw index (0 = the original).</summary>
    public string DrawColumnName { get; }

    private protected override IEnumerable<string> InputColumns => [InputColumnName, ClipIdColumnName, DrawColumnName];

    /// <summary>Checks the clip id and draw columns of a schema shape.</summary>
    internal void RequireDrawColumns(SchemaShape input)
    {
        SchemaShapes.RequireScalar(input, ClipIdColumnName, TextDataViewType.Instance, Stage, "text (the clip id)");
        SchemaShapes.RequireScalar(input, DrawColumnName, NumberDataViewType.Int32, Stage, "Int32 (the draw index)");
    }

    /// <summary>Checks the clip id and draw columns of a schema.</summary>
    private protected void RequireDrawColumns(DataViewSchema input)
    {
        RequireScalar(input, ClipIdColumnName, TextDataViewType.Instance, "text (the clip id)");
        RequireScalar(input, DrawColumnName, NumberDataViewType.Int32, "Int32 (the draw index)");
    }

    /// <summary>Reads one row's clip id and draw index. Made per cursor; not thread-safe.</summary>
    private protected sealed class DrawReader(DataViewRow row, AugmentingTransformerBase parent)
    {
        private readonly ValueGetter<ReadOnlyMemory<char>> _clipId = row.GetGetter<ReadOnlyMemory<char>>(row.Schema[parent.ClipIdColumnName]);
        private readonly ValueGetter<int> _draw = row.GetGetter<int>(row.Schema[parent.DrawColumnName]);
        private ReadOnlyMemory<char> _clipIdValue;
        private int _drawValue;

        /// <summary>The current row's clip id and draw index.</summary>
        public (string ClipId, int Draw) Read()
        {
            _clipId(ref _clipIdValue);
            _draw(ref _drawValue);
            if (_drawValue < 0)
            {
                throw new AudioColumnException($"{parent.Stage}: draw index {_drawValue} is negative");
            }
            return (_clipIdValue.ToString(), _drawValue);
        }
    }
}
