using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;

namespace SerMlNet.ML.Transforms;

/// <summary>Estimator of <see cref="FixedLengthTransformer"/>. Stateless. Reached as <c>mlContext.Transforms.FixedLength</c>.</summary>
public sealed class FixedLengthEstimator : StatelessAudioEstimator<FixedLengthTransformer>
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="outputColumnName">The fixed-size feature column to add.</param>
    /// <param name="inputColumnName">A log-Mel column (row-major [bands, frames]).</param>
    /// <param name="options">Options; validated here.</param>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public FixedLengthEstimator(string outputColumnName, string inputColumnName, FixedLengthOptions options)
        : base(new FixedLengthTransformer(outputColumnName, inputColumnName, options))
    {
    }

    /// <inheritdoc />
    /// <exception cref="AudioColumnException">The input column is missing or not a float vector.</exception>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaShapes.RequireSingleVector(inputSchema, Transformer.InputColumnName, FixedLengthTransformer.StageName, "log-Mel features (a float vector)");
        // A known-size vector; ML.NET's schema shapes carry the kind, not the size (the fitted schema gives [bands, Frames]).
        return SchemaShapes.With(inputSchema, Transformer.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, 1));
    }

}

/// <summary>
/// Pads (with the matrix minimum, the dB floor) or crops log-Mel features to <see cref="FixedLengthOptions.Frames"/>
/// frames (<see cref="FixedLength"/>). Output: a known-size float vector of dimensions [bands,
/// <see cref="FixedLengthOptions.Frames"/>], row-major, annotated with <see cref="AudioAnnotations.MelBands"/>.
/// Immutable and thread-safe.
/// </summary>
public sealed class FixedLengthTransformer : AudioTransformerBase
{
    internal const string StageName = "FixedLength";

    internal FixedLengthTransformer(string outputColumnName, string inputColumnName, FixedLengthOptions options)
        : base(StageName, outputColumnName, inputColumnName)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The options.</summary>
    public FixedLengthOptions Options { get; }

    private protected override (DataViewType Type, DataViewSchema.Annotations Annotations) DescribeOutput(DataViewSchema inputSchema, DataViewSchema.Column input)
    {
        RequireSingleVector(inputSchema, input.Name, "log-Mel features (a float vector)");
        int bands = RequireMelBands(input);
        return (new VectorDataViewType(NumberDataViewType.Single, bands, Options.Frames), AudioAnnotations.Int32(AudioAnnotations.MelBands, bands));
    }

    private protected override RowMapper CreateMapper(DataViewRow row, DataViewSchema.Column output)
    {
        DataViewSchema.Column input = row.Schema[InputColumnName];
        return new Mapper(row.GetGetter<VBuffer<float>>(input), RequireMelBands(input), Options);
    }

    private sealed class Mapper(ValueGetter<VBuffer<float>> features, int bands, FixedLengthOptions options) : RowMapper
    {
        private VBuffer<float> _features;
        private float[] _scratch = [];
        private readonly float[] _output = new float[bands * options.Frames];

        public override ReadOnlyMemory<float> Map()
        {
            features(ref _features);
            ReadOnlySpan<float> values = Dense(_features, ref _scratch);
            if (values.Length % bands != 0)
            {
                throw new AudioColumnException($"{StageName}: a row holds {values.Length} values, not a whole number of {bands}-band frames");
            }
            FixedLength.Apply(values, bands, values.Length / bands, _output, options.Frames, options.Alignment);
            return _output;
        }
    }
}
