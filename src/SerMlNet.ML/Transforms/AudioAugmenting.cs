using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio;
using SerMlNet.Pipeline.Augmentation;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// Estimator of <see cref="AudioAugmentingTransformer"/>. Stateless. Reached as <c>mlContext.Transforms.AugmentAudio</c>;
/// training-only: append it to the training pipeline after <c>ReplicateForAugmentation</c>, never to a scoring one.
/// </summary>
public sealed class AudioAugmentingEstimator : StatelessAudioEstimator<AudioAugmentingTransformer>
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="outputColumnName">The augmented audio column to add.</param>
    /// <param name="inputColumnName">The audio column.</param>
    /// <param name="clipIdColumnName">A text column with each clip's stable id (seeds the draws).</param>
    /// <param name="drawColumnName">An Int32 column with the draw index (0 = original, left untouched).</param>
    /// <param name="options">Options; validated here. Its <see cref="AugmentationOptions.Mode"/> and <see cref="AugmentationOptions.Copies"/> are not read here, nor its SpecAugment (a separate transform).</param>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public AudioAugmentingEstimator(string outputColumnName, string inputColumnName, string clipIdColumnName, string drawColumnName, AugmentationOptions options)
        : base(new AudioAugmentingTransformer(outputColumnName, inputColumnName, clipIdColumnName, drawColumnName, options))
    {
    }

    /// <inheritdoc />
    /// <exception cref="AudioColumnException">An input column is missing or of the wrong type.</exception>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaShapes.RequireSingleVector(inputSchema, Transformer.InputColumnName, AudioAugmentingTransformer.StageName, "audio (a float vector)");
        Transformer.RequireDrawColumns(inputSchema);
        return SchemaShapes.With(inputSchema, Transformer.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single));
    }

}

/// <summary>
/// The waveform augmentations of the offline training augmentation (time stretch, pitch shift, time shift, gain, noise;
/// those enabled in <see cref="AugmentationOptions"/>, in that order), drawn from one seeded random source per
/// (<see cref="AugmentationOptions.Seed"/>, clip id, draw): the same row always gives the same audio, in any cursor and
/// thread. Rows with draw 0 pass through untouched. The input must carry <see cref="AudioAnnotations.SampleRate"/>.
/// Immutable and thread-safe.
/// </summary>
public sealed class AudioAugmentingTransformer : AugmentingTransformerBase
{
    internal const string StageName = "AugmentAudio";

    internal AudioAugmentingTransformer(string outputColumnName, string inputColumnName, string clipIdColumnName, string drawColumnName, AugmentationOptions options)
        : base(StageName, outputColumnName, inputColumnName, clipIdColumnName, drawColumnName)
    {
        ArgumentNullException.ThrowIfNull(options);
        _augmenter = new ClipAugmenter(options);
        Options = options;
    }

    private readonly ClipAugmenter _augmenter;

    /// <summary>The options.</summary>
    public AugmentationOptions Options { get; }

    private protected override (DataViewType Type, DataViewSchema.Annotations Annotations) DescribeOutput(DataViewSchema inputSchema, DataViewSchema.Column input)
    {
        RequireSingleVector(inputSchema, input.Name, "audio (a float vector)");
        RequireDrawColumns(inputSchema);
        int rate = AudioAnnotations.GetSampleRate(input)
            ?? throw new AudioColumnException($"{StageName}: column '{input.Name}' does not say its sample rate (no '{AudioAnnotations.SampleRate}' annotation); load it with LoadAudio");
        return (new VectorDataViewType(NumberDataViewType.Single), AudioAnnotations.Int32(AudioAnnotations.SampleRate, rate));
    }

    private protected override RowMapper CreateMapper(DataViewRow row, DataViewSchema.Column output)
    {
        DataViewSchema.Column audio = row.Schema[InputColumnName];
        return new Mapper(row.GetGetter<VBuffer<float>>(audio), new DrawReader(row, this), AudioAnnotations.GetSampleRate(audio)!.Value, _augmenter);
    }

    private sealed class Mapper(ValueGetter<VBuffer<float>> audio, DrawReader draws, int sampleRate, ClipAugmenter augmenter) : RowMapper
    {
        private VBuffer<float> _audio;

        public override ReadOnlyMemory<float> Map()
        {
            audio(ref _audio);
            (string clipId, int draw) = draws.Read();
            float[] dense = new float[_audio.Length];
            _audio.CopyTo(dense);
            return AugmentationKernels.AugmentWaveform(dense, sampleRate, augmenter, clipId, draw);
        }
    }
}
