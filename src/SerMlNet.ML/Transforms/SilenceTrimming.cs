using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio;
using SerMlNet.Audio.Trimming;

namespace SerMlNet.ML.Transforms;

/// <summary>Estimator of <see cref="SilenceTrimmingTransformer"/>. Stateless. Reached as <c>mlContext.Transforms.TrimSilence</c>.</summary>
public sealed class SilenceTrimmingEstimator : StatelessAudioEstimator<SilenceTrimmingTransformer>
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="outputColumnName">The trimmed audio column to add.</param>
    /// <param name="inputColumnName">The audio column.</param>
    /// <param name="options">Options; validated here.</param>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public SilenceTrimmingEstimator(string outputColumnName, string inputColumnName, TrimOptions options)
        : base(new SilenceTrimmingTransformer(outputColumnName, inputColumnName, options))
    {
    }

    /// <inheritdoc />
    /// <exception cref="AudioColumnException">The input column is missing or not a float vector.</exception>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaShapes.RequireSingleVector(inputSchema, Transformer.InputColumnName, SilenceTrimmingTransformer.StageName, "audio (a float vector)");
        return SchemaShapes.With(inputSchema, Transformer.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single));
    }

}

/// <summary>
/// Cuts leading and trailing silence with <c>librosa.effects.trim</c> semantics (<see cref="SilenceTrimmer"/>: frames
/// more than <see cref="TrimOptions.TopDb"/> dB below the loudest frame are silence; digital silence is kept whole, as
/// every frame is as loud as the loudest). Output: a variable-length float vector keeping the input's <see cref="AudioAnnotations.SampleRate"/>.
/// Immutable and thread-safe.
/// </summary>
public sealed class SilenceTrimmingTransformer : AudioTransformerBase
{
    internal const string StageName = "TrimSilence";

    internal SilenceTrimmingTransformer(string outputColumnName, string inputColumnName, TrimOptions options)
        : base(StageName, outputColumnName, inputColumnName)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The options.</summary>
    public TrimOptions Options { get; }

    private protected override (DataViewType Type, DataViewSchema.Annotations Annotations) DescribeOutput(DataViewSchema inputSchema, DataViewSchema.Column input)
    {
        RequireSingleVector(inputSchema, input.Name, "audio (a float vector)");
        DataViewSchema.Annotations annotations = AudioAnnotations.GetSampleRate(input) is int rate
            ? AudioAnnotations.Int32(AudioAnnotations.SampleRate, rate)
            : DataViewSchema.Annotations.Empty;
        return (new VectorDataViewType(NumberDataViewType.Single), annotations);
    }

    private protected override RowMapper CreateMapper(DataViewRow row, DataViewSchema.Column output) =>
        new Mapper(row.GetGetter<VBuffer<float>>(row.Schema[InputColumnName]), Options);

    private sealed class Mapper(ValueGetter<VBuffer<float>> audio, TrimOptions options) : RowMapper
    {
        private VBuffer<float> _audio;
        private float[] _scratch = [];

        public override ReadOnlyMemory<float> Map()
        {
            audio(ref _audio);
            ReadOnlySpan<float> samples = Dense(_audio, ref _scratch);
            TrimInterval kept = SilenceTrimmer.FindInterval(samples, options);
            Memory<float> output = Ensure(ref _scratch, kept.Length);
            samples[kept.Start..kept.End].CopyTo(output.Span);
            return output;
        }
    }
}
