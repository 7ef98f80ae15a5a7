using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio.Normalisation;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// Estimator of <see cref="BandNormalizingTransformer"/>: fits each Mel band's mean and standard deviation over every
/// frame of the rows of the data it is fitted on (the training view; streamed through one cursor, in row order, in
/// double precision with <see cref="BandStatistics.Accumulator"/>). With a draw column, only the originals (draw 0) are
/// fitted on, as the job pipeline fits its statistics, and the augmented rows are not even computed during the fit.
/// Reached as <c>mlContext.Transforms.NormalizeBands</c>.
/// </summary>
public sealed class BandNormalizingEstimator : IEstimator<BandNormalizingTransformer>
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="outputColumnName">The normalised column to add.</param>
    /// <param name="inputColumnName">A feature column, row-major [bands, frames] (e.g. from FixedLength).</param>
    /// <param name="drawColumnName">An Int32 draw column (from ReplicateForAugmentation): fit on the rows where it is 0 only; null (default) fits on every row.</param>
    public BandNormalizingEstimator(string outputColumnName, string inputColumnName, string? drawColumnName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        DrawColumnName = drawColumnName;
    }

    /// <summary>Name of the column the fitted transformer adds.</summary>
    public string OutputColumnName { get; }

    /// <summary>Name of the feature column it reads.</summary>
    public string InputColumnName { get; }

    /// <summary>The Int32 draw column whose 0 rows are fitted on, or null to fit on every row.</summary>
    public string? DrawColumnName { get; }

    /// <inheritdoc />
    /// <exception cref="AudioColumnException">The input column is missing or not a float vector, or the draw column is missing or not Int32.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        const string stage = BandNormalizingTransformer.StageName;
        SchemaShape.Column input = SchemaShapes.RequireSingleVector(inputSchema, InputColumnName, stage, "features (a float vector)");
        if (DrawColumnName is not null)
        {
            SchemaShapes.RequireScalar(inputSchema, DrawColumnName, NumberDataViewType.Int32, stage, "Int32 (the draw index)");
        }
        DataViewType type = input.Kind == SchemaShape.Column.VectorKind.Vector
            ? new VectorDataViewType(NumberDataViewType.Single, 1)
            : new VectorDataViewType(NumberDataViewType.Single);
        return SchemaShapes.With(inputSchema, OutputColumnName, type);
    }

    /// <summary>Fits the per-band statistics on <paramref name="input"/> (the training data only).</summary>
    /// <param name="input">The training view.</param>
    /// <returns>The fitted transformer.</returns>
    /// <exception cref="AudioColumnException">A column is missing or of the wrong type, the features' bands are unknown, or no frames are fitted on.</exception>
    public BandNormalizingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        const string stage = BandNormalizingTransformer.StageName;
        DataViewSchema.Column column = input.Schema.GetColumnOrNull(InputColumnName)
            ?? throw new AudioColumnException($"{stage}: input column '{InputColumnName}' is not in the data");
        if (column.Type is not VectorDataViewType { ItemType: var item } || item != NumberDataViewType.Single)
        {
            throw new AudioColumnException($"{stage}: column '{InputColumnName}' must be features (a float vector), but is {column.Type}");
        }
        int bands = AudioAnnotations.GetMelBands(column)
            ?? throw new AudioColumnException($"{stage}: column '{InputColumnName}' does not say its Mel bands; compute it with LogMel");
        DataViewSchema.Column? draw = null;
        if (DrawColumnName is not null)
        {
            draw = input.Schema.GetColumnOrNull(DrawColumnName);
            if (draw?.Type != NumberDataViewType.Int32)
            {
                throw new AudioColumnException($"{stage}: draw column '{DrawColumnName}' must be Int32, but is {(draw is null ? "not in the data" : draw.Value.Type.ToString())}");
            }
        }
        var accumulator = new BandStatistics.Accumulator(bands);
        using (DataViewRowCursor cursor = input.GetRowCursor(draw is null ? [column] : [column, draw.Value]))
        {
            ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(column);
            ValueGetter<int>? getDraw = draw is null ? null : cursor.GetGetter<int>(draw.Value);
            VBuffer<float> value = default;
            int drawIndex = 0;
            float[] dense = [];
            while (cursor.MoveNext())
            {
                getDraw?.Invoke(ref drawIndex);
                if (drawIndex != 0)
                {
                    continue;
                }
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
                    throw new AudioColumnException($"{stage}: row {cursor.Position} holds {values.Length} values, not a whole number of {bands}-band frames");
                }
                accumulator.Add(values, values.Length / bands);
            }
        }
        if (accumulator.Count == 0)
        {
            throw new AudioColumnException($"{stage}: the training data has no frames to fit band statistics on");
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
