using Microsoft.ML;
using Microsoft.ML.Data;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// Base of the audio transformers: each adds one float-vector column computed from an input column, row by row, inside
/// the cursors of the lazy view <see cref="Transform"/> returns (nothing is materialised), or for one row at a time
/// through <see cref="GetRowToRowMapper"/> (so a fitted front end works in ML.NET's <c>PredictionEngine</c>).
/// Immutable and thread-safe.
/// </summary>
public abstract class AudioTransformerBase : ITransformer
{
    private protected AudioTransformerBase(string stage, string outputColumnName, string inputColumnName)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        Stage = stage;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
    }

    /// <summary>Name of the column this transformer adds (a column of that name already in the input is hidden).</summary>
    public string OutputColumnName { get; }

    /// <summary>Name of the column it reads.</summary>
    public string InputColumnName { get; }

    /// <summary>The catalog name of the stage, used in messages (e.g. <c>LogMel</c>).</summary>
    private protected string Stage { get; }

    /// <summary>True: the transformer also maps single rows (ML.NET's <c>PredictionEngine</c> uses this).</summary>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    /// <exception cref="AudioColumnException">An input column is missing or of the wrong type.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Bind(inputSchema).OutputSchema;

    /// <inheritdoc />
    /// <returns>A mapper that extends one input row by <see cref="OutputColumnName"/>, computed when first read.</returns>
    /// <exception cref="AudioColumnException">An input column is missing or of the wrong type.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new MappedRowToRowMapper(Bind(inputSchema));

    /// <inheritdoc />
    /// <returns>A lazy view: the input's columns plus <see cref="OutputColumnName"/>, computed per row as cursors move.</returns>
    /// <exception cref="AudioColumnException">An input column is missing or of the wrong type.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MappedDataView(input, Bind(input.Schema));
    }

    /// <summary>Throws: ML.NET's <see cref="ModelSaveContext"/> has no public members, so custom transformers cannot save.</summary>
    /// <param name="ctx">Ignored.</param>
    /// <exception cref="TransformerSaveException">Always; the message says to use the exported <c>model.zip</c>.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new TransformerSaveException(Stage);

    /// <summary>Checks <paramref name="inputSchema"/> and binds the transform to it.</summary>
    private ComputedColumn.Binding Bind(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        (DataViewType type, DataViewSchema.Annotations annotations) = DescribeOutput(inputSchema, RequireColumn(inputSchema, InputColumnName));
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(OutputColumnName, type, annotations);
        DataViewSchema schema = builder.ToSchema();
        int[] inputs = [.. InputColumns.Select(name => RequireColumn(inputSchema, name).Index)];
        DataViewSchema.Column output = schema[schema.Count - 1];
        return new ComputedColumn.Binding(inputSchema, schema, inputs, row => CreateMapper(row, output));
    }

    /// <summary>Every input column the mapping reads (the first is <see cref="InputColumnName"/>).</summary>
    private protected virtual IEnumerable<string> InputColumns => [InputColumnName];

    /// <summary>Checks the input column (and any other inputs) and gives the output column's type and annotations.</summary>
    private protected abstract (DataViewType Type, DataViewSchema.Annotations Annotations) DescribeOutput(DataViewSchema inputSchema, DataViewSchema.Column input);

    /// <summary>Makes one cursor's mapper reading <paramref name="row"/>.</summary>
    private protected abstract RowMapper CreateMapper(DataViewRow row, DataViewSchema.Column output);

    private protected DataViewSchema.Column RequireColumn(DataViewSchema schema, string name) =>
        schema.GetColumnOrNull(name) ?? throw new AudioColumnException($"{Stage}: input column '{name}' is not in the data");

    private protected DataViewSchema.Column RequireSingleVector(DataViewSchema schema, string name, string needs)
    {
        DataViewSchema.Column column = RequireColumn(schema, name);
        if (column.Type is not VectorDataViewType { ItemType: var item } || item != NumberDataViewType.Single)
        {
            throw new AudioColumnException($"{Stage}: column '{name}' must be {needs}, but is {column.Type}");
        }
        return column;
    }

    private protected DataViewSchema.Column RequireScalar(DataViewSchema schema, string name, DataViewType type, string needs)
    {
        DataViewSchema.Column column = RequireColumn(schema, name);
        if (column.Type != type)
        {
            throw new AudioColumnException($"{Stage}: column '{name}' must be {needs}, but is {column.Type}");
        }
        return column;
    }

    /// <summary>The Mel bands of a feature column; throws when neither its annotation nor its dimensions say.</summary>
    private protected int RequireMelBands(DataViewSchema.Column column) =>
        AudioAnnotations.GetMelBands(column)
        ?? throw new AudioColumnException($"{Stage}: column '{column.Name}' does not say its Mel bands (no '{AudioAnnotations.MelBands}' annotation and not a [bands, frames] vector); compute it with LogMel");
}
