using Microsoft.ML;
using Microsoft.ML.Data;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// Builds <see cref="SchemaShape.Column"/> values and checks input shapes for the estimators' <c>GetOutputSchema</c>.
/// ML.NET's constructor of <see cref="SchemaShape.Column"/> is internal; the public way to obtain one is an estimator
/// that adds a column, so this asks <c>CustomMapping</c>'s estimator (typed by a runtime schema definition) for the
/// shape of the column to add. Thread-safe.
/// </summary>
internal static class SchemaShapes
{
    private static readonly MLContext Context = new(seed: 0);

    /// <summary>A shape like <paramref name="input"/> with <paramref name="name"/> added (or replaced) as a column of <paramref name="type"/>.</summary>
    public static SchemaShape With(SchemaShape input, string name, DataViewType type)
    {
        SchemaShape.Column column = type switch
        {
            VectorDataViewType { ItemType: var item } when item == NumberDataViewType.Single => Column<SingleVectorRow>(name, type),
            _ when type == NumberDataViewType.Int32 => Column<Int32Row>(name, type),
            _ => throw new ArgumentException($"no shape for column type {type}", nameof(type)),
        };
        var columns = input.Where(c => c.Name != name).ToList();
        columns.Add(column);
        return new SchemaShape(columns);
    }

    /// <summary>The input column, checked to be a (fixed or variable) vector of <see cref="float"/>.</summary>
    public static SchemaShape.Column RequireSingleVector(SchemaShape input, string column, string stage, string needs)
    {
        SchemaShape.Column found = Find(input, column, stage, needs);
        if (found.Kind == SchemaShape.Column.VectorKind.Scalar || found.ItemType != NumberDataViewType.Single)
        {
            throw new AudioColumnException($"{stage}: column '{column}' must be {needs}, but is {Describe(found)}");
        }
        return found;
    }

    /// <summary>The input column, checked to be a scalar of <paramref name="type"/>.</summary>
    public static SchemaShape.Column RequireScalar(SchemaShape input, string column, DataViewType type, string stage, string needs)
    {
        SchemaShape.Column found = Find(input, column, stage, needs);
        if (found.Kind != SchemaShape.Column.VectorKind.Scalar || found.ItemType != type || found.IsKey)
        {
            throw new AudioColumnException($"{stage}: column '{column}' must be {needs}, but is {Describe(found)}");
        }
        return found;
    }

    private static SchemaShape.Column Find(SchemaShape input, string column, string stage, string needs)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (SchemaShape.Column c in input)
        {
            if (c.Name == column)
            {
                return c;
            }
        }
        throw new AudioColumnException($"{stage}: input column '{column}' ({needs}) is not in the data");
    }

    private static string Describe(SchemaShape.Column c) =>
        (c.IsKey ? "key " : "") + c.Kind switch
        {
            SchemaShape.Column.VectorKind.Scalar => c.ItemType.ToString(),
            SchemaShape.Column.VectorKind.Vector => $"a vector of {c.ItemType}",
            _ => $"a variable-length vector of {c.ItemType}",
        };

    private static SchemaShape.Column Column<TRow>(string name, DataViewType type)
        where TRow : class, new()
    {
        SchemaDefinition definition = SchemaDefinition.Create(typeof(TRow));
        definition[0].ColumnName = name;
        definition[0].ColumnType = type;
        var estimator = Context.Transforms.CustomMapping<EmptyRow, TRow>(static (_, _) => { }, contractName: null, outputSchemaDefinition: definition);
        return estimator.GetOutputSchema(new SchemaShape([])).First(c => c.Name == name);
    }

    /// <summary>A row with no columns: the input of the shape-only mapping.</summary>
    internal sealed class EmptyRow
    {
    }

    /// <summary>One float-vector column.</summary>
    internal sealed class SingleVectorRow
    {
        [VectorType]
        public float[] Value { get; set; } = [];
    }

    /// <summary>One Int32 column.</summary>
    internal sealed class Int32Row
    {
        public int Value { get; set; }
    }
}
