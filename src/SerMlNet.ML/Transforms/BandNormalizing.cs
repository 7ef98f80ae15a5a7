using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio.Normalisation;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// Estimator of <see cref="BandNormalizingTransformer"/>: fits each Mel band's mean and standard deviation over every
/// frame of every row of the data it is fitted on (the training view; streamed through one cursor, in row order, in
/// double precision with <see cref="BandStatistics.Accumulator"/>). Reached as <c>mlContext.Transforms.NormalizeBands</c>.
/// </summary>
public sealed class BandNormalizingEstimator : IEstimator<BandNormalizingTransformer>
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="outputColumnName">The normalised column to add.</param>
    /// <param name="inputColumnName">A feature column, row-major [bands, frames] (e.g. from FixedLength).</param>
    public BandNormalizingEstimator(string outputColumnName, string inputColumnName)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
    }

    /// <summary>Name of the column the fitted transformer adds.</summary>
    public string OutputColumnName { get; }

    /// <summary>Name of the feature column it reads.</summary>
    public string InputColumnName { get; }

    /// <inheritdoc />
    /// <exception cref="AudioColumnException">The input column is missing or not a float vector.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaShape.Column input = SchemaShapes.RequireSingleVector(inputSchema, InputColumnName, BandNormalizingTransformer.StageName, "features (a float vector)");
        DataViewType type = input.Kind == SchemaShape.Column.VectorKind.Vector
            ? new VectorDataViewType(NumberDataViewType.Single, 1)
            : new VectorDataViewType(NumberDataViewType.Single);
        return SchemaShapes.With(inputSchema, OutputColumnName, type);
    }

    /// <summary>Fits the per-band statistics on <paramref name="input"/> (the training data only).</summary>
    /// <param name="input">The training view.</param>
    /// <returns>The fitted transformer.</returns>
    /// <exception cref="AudioColumnException">The input column is missing, not a float vector, of unknown bands, or the view has no frames.</exception>
    public BandNormalizingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        DataViewSchema.Column column = input.Schema.GetColumnOrNull(InputColumnName)
            ?? throw new AudioColumnException($"{BandNormalizingTransformer.StageName}: input column '{InputColumnName}' is not in the data");
        int bands = AudioAnnotations.GetMelBands(column)
            ?? throw new AudioColumnException($"{BandNormalizingTransformer.StageName}: column '{InputColumnName}' does not say its Mel bands; compute it with LogMel");
        if (column.Type is not VectorDataViewType { ItemType: var item } || item != NumberDataViewType.Single)
        {
            throw new AudioColumnException($"{BandNormalizingTransformer.StageName}: column '{InputColumnName}' must be features (a float vector), but is {column.Type}");
        }
        var accumulator = new BandStatistics.Accumulator(bands);
        using (DataViewRowCursor cursor = input.GetRowCursor([column]))
        {
            ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            float[] dense = [];
            while (cursor.MoveNext())
            {
                getter(ref value);
                ReadOnlySpan<float> values = value.GetValues();
                if (!value.IsDense)
                {
                    dense = new float[value.Length];
                    value.CopyTo(dense);
                    values = dense;
                }
                if (values.Length % bands != 0)
                {
                    throw new AudioColumnException($"{BandNormalizingTransformer.StageName}: row {cursor.Position} holds {values.Length} values, not a whole number of {bands}-band frames");
                }
                accumulator.Add(values, values.Length / bands);
            }
        }
        if (accumulator.Count == 0)
        {
            throw new AudioColumnException($"{BandNormalizingTransformer.StageName}: the training data has no frames to fit band statistics on");
        }
        var transformer = new BandNormalizingTransformer(OutputColumnName, InputColumnName, accumulator.ToStatistics());
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }
}

/// <summary>
/// Standardises each Mel band with the fitted statistics: (x − mean[b]) / (std[b] + 1e-8)
/// (<see cref="BandStatistics.Apply(ReadOnlySpan{float}, int, Span{float})"/>). Output: a float vector of the input's
/// type and <see cref="AudioAnnotations.MelBands"/>. Immutable and thread-safe.
/// </summary>
public sealed class BandNormalizingTransformer : AudioTransformerBase
{
    internal const string StageName = "NormalizeBands";

    /// <summary>Creates the transformer from statistics fitted elsewhere (e.g. loaded with <see cref="BandStatistics.Load"/>).</summary>
    /// <param name="outputColumnName">The normalised column to add.</param>
    /// <param name="inputColumnName">A feature column, row-major [bands, frames].</param>
    /// <param name="statistics">Per-band statistics.</param>
    public BandNormalizingTransformer(string outputColumnName, string inputColumnName, BandStatistics statistics)
        : base(StageName, outputColumnName, inputColumnName)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        Statistics = statistics;
    }

    /// <summary>The fitted per-band statistics.</summary>
    public BandStatistics Statistics { get; }

    private protected override (DataViewType Type, DataViewSchema.Annotations Annotations) DescribeOutput(DataViewSchema inputSchema, DataViewSchema.Column input)
    {
        RequireSingleVector(inputSchema, input.Name, "features (a float vector)");
        int bands = RequireMelBands(input);
        if (bands != Statistics.Bands)
        {
            throw new AudioColumnException($"{StageName}: was fitted on {Statistics.Bands} bands but column '{input.Name}' has {bands}");
        }
        return (input.Type, AudioAnnotations.Int32(AudioAnnotations.MelBands, bands));
    }

    private protected override RowMapper CreateMapper(DataViewRow row, DataViewSchema.Column output) =>
        new Mapper(row.GetGetter<VBuffer<float>>(row.Schema[InputColumnName]), Statistics);

    private sealed class Mapper(ValueGetter<VBuffer<float>> features, BandStatistics statistics) : RowMapper
    {
        private VBuffer<float> _features;
        private float[] _scratch = [];
        private float[] _output = [];

        public override ReadOnlyMemory<float> Map()
        {
            features(ref _features);
            ReadOnlySpan<float> values = Dense(_features, ref _scratch);
            Memory<float> output = Ensure(ref _output, values.Length);
            statistics.Apply(values, values.Length / statistics.Bands, output.Span);
            return output;
        }
    }
}
