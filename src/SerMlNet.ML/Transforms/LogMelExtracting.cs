using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio;
using SerMlNet.Audio.Spectral;

namespace SerMlNet.ML.Transforms;

/// <summary>Estimator of <see cref="LogMelExtractingTransformer"/>. Stateless. Reached as <c>mlContext.Transforms.LogMel</c>.</summary>
public sealed class LogMelExtractingEstimator : StatelessAudioEstimator<LogMelExtractingTransformer>
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="outputColumnName">The log-Mel column to add.</param>
    /// <param name="inputColumnName">The audio column, at <see cref="LogMelOptions.SampleRate"/>.</param>
    /// <param name="options">Options; validated here.</param>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public LogMelExtractingEstimator(string outputColumnName, string inputColumnName, LogMelOptions options)
        : base(new LogMelExtractingTransformer(outputColumnName, inputColumnName, options))
    {
    }

    /// <inheritdoc />
    /// <exception cref="AudioColumnException">The input column is missing or not a float vector.</exception>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaShapes.RequireSingleVector(inputSchema, Transformer.InputColumnName, LogMelExtractingTransformer.StageName, "audio (a float vector)");
        return SchemaShapes.With(inputSchema, Transformer.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single));
    }

}

/// <summary>
/// Log-Mel spectrogram in dB (<c>librosa.feature.melspectrogram</c> then <c>power_to_db(ref=np.max)</c>, computed by
/// <see cref="LogMelExtractor"/>). Output: a variable-length float vector, row-major [<see cref="LogMelOptions.NMels"/>,
/// frames] with frames = 1 + samples / <see cref="LogMelOptions.HopLength"/>, annotated with
/// <see cref="AudioAnnotations.MelBands"/>. An input whose <see cref="AudioAnnotations.SampleRate"/> differs from
/// <see cref="LogMelOptions.SampleRate"/> is rejected before data flows. Immutable and thread-safe.
/// </summary>
public sealed class LogMelExtractingTransformer : AudioTransformerBase
{
    internal const string StageName = "LogMel";

    private readonly LogMelExtractor _extractor;

    internal LogMelExtractingTransformer(string outputColumnName, string inputColumnName, LogMelOptions options)
        : base(StageName, outputColumnName, inputColumnName)
    {
        ArgumentNullException.ThrowIfNull(options);
        _extractor = new LogMelExtractor(options);
    }

    /// <summary>The options.</summary>
    public LogMelOptions Options => _extractor.Options;

    private protected override (DataViewType Type, DataViewSchema.Annotations Annotations) DescribeOutput(DataViewSchema inputSchema, DataViewSchema.Column input)
    {
        RequireSingleVector(inputSchema, input.Name, "audio (a float vector)");
        if (AudioAnnotations.GetSampleRate(input) is int rate && rate != Options.SampleRate)
        {
            throw new AudioColumnException($"{StageName}: is set for {Options.SampleRate} Hz but column '{input.Name}' is {rate} Hz audio (load or resample to {Options.SampleRate} Hz first)");
        }
        return (new VectorDataViewType(NumberDataViewType.Single), AudioAnnotations.Int32(AudioAnnotations.MelBands, Options.NMels));
    }

    private protected override RowMapper CreateMapper(DataViewRow row, DataViewSchema.Column output) =>
        new Mapper(row.GetGetter<VBuffer<float>>(row.Schema[InputColumnName]), _extractor);

    private sealed class Mapper(ValueGetter<VBuffer<float>> audio, LogMelExtractor extractor) : RowMapper
    {
        private VBuffer<float> _audio;
        private float[] _scratch = [];
        private float[] _output = [];

        public override ReadOnlyMemory<float> Map()
        {
            audio(ref _audio);
            ReadOnlySpan<float> samples = Dense(_audio, ref _scratch);
            Memory<float> output = Ensure(ref _output, extractor.NMels * extractor.GetFrameCount(samples.Length));
            extractor.ComputeDb(samples, output.Span);
            return output;
        }
    }
}
