using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio;
using SerMlNet.Pipeline.Augmentation;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// Estimator of <see cref="AudioAugmentingTransformer"/>. Stateless. Reached as <c>mlContext.Transforms.AugmentAudio</c>;
/// training-only: append it to the training pipeline after <c>ReplicateForAugmentation</c>, never to a scoring one.
/// </summary>
public sealed class AudioAugmentingEstimator : IEstimator<AudioAugmentingTransformer>
{
    private readonly AudioAugmentingTransformer _transformer;

    /// <summary>Creates the estimator.</summary>
    /// <param name="outputColumnName">The augmented audio column to add.</param>
    /// <param name="inputColumnName">The audio column.</param>
    /// <param name="clipIdColumnName">A text column with each clip's stable id (seeds the draws).</param>
    /// <param name="drawColumnName">An Int32 column with the draw index (0 = original, left untouched).</param>
    /// <param name="options">Options; validated here. Its <see cref="AugmentationOptions.Mode"/> and <see cref="AugmentationOptions.Copies"/> are not read here, nor its SpecAugment (a separate transform).</param>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public AudioAugmentingEstimator(string outputColumnName, string inputColumnName, string clipIdColumnName, string drawColumnName, AugmentationOptions options) =>
        _transformer = new AudioAugmentingTransformer(outputColumnName, inputColumnName, clipIdColumnName, drawColumnName, options);

    /// <inheritdoc />
    /// <exception cref="AudioColumnException">An input column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        string stage = AudioAugmentingTransformer.StageName;
        SchemaShapes.RequireSingleVector(inputSchema, _transformer.InputColumnName, stage, "audio (a float vector)");
        SchemaShapes.RequireScalar(inputSchema, _transformer.ClipIdColumnName, TextDataViewType.Instance, stage, "text (the clip id)");
        SchemaShapes.RequireScalar(inputSchema, _transformer.DrawColumnName, NumberDataViewType.Int32, stage, "Int32 (the draw index)");
        return SchemaShapes.With(inputSchema, _transformer.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single));
    }

    /// <inheritdoc />
    /// <exception cref="AudioColumnException">An input column is missing or of the wrong type.</exception>
    public AudioAugmentingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _transformer.GetOutputSchema(input.Schema);
        return _transformer;
    }
}

/// <summary>
/// The waveform augmentations of the offline training augmentation (time stretch, pitch shift, time shift, gain, noise;
/// those enabled in <see cref="AugmentationOptions"/>, in that order), drawn from one seeded random source per
/// (<see cref="AugmentationOptions.Seed"/>, clip id, draw): the same row always gives the same audio, in any cursor and
/// thread. Rows with draw 0 pass through untouched. The input must carry <see cref="AudioAnnotations.SampleRate"/>.
/// Immutable and thread-safe.
/// </summary>
public sealed class AudioAugmentingTransformer : AudioTransformerBase
{
    internal const string StageName = "AugmentAudio";

    internal AudioAugmentingTransformer(string outputColumnName, string inputColumnName, string clipIdColumnName, string drawColumnName, AugmentationOptions options)
        : base(StageName, outputColumnName, inputColumnName)
    {
        ArgumentException.ThrowIfNullOrEmpty(clipIdColumnName);
        ArgumentException.ThrowIfNullOrEmpty(drawColumnName);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ClipIdColumnName = clipIdColumnName;
        DrawColumnName = drawColumnName;
        Options = options;
    }

    /// <summary>The text column with each clip's id.</summary>
    public string ClipIdColumnName { get; }

    /// <summary>The Int32 column with the draw index.</summary>
    public string DrawColumnName { get; }

    /// <summary>The options.</summary>
    public AugmentationOptions Options { get; }

    private protected override IEnumerable<string> InputColumns => [InputColumnName, ClipIdColumnName, DrawColumnName];

    private protected override (DataViewType Type, DataViewSchema.Annotations Annotations) DescribeOutput(DataViewSchema inputSchema, DataViewSchema.Column input)
    {
        RequireSingleVector(inputSchema, input.Name, "audio (a float vector)");
        RequireScalar(inputSchema, ClipIdColumnName, TextDataViewType.Instance, "text (the clip id)");
        RequireScalar(inputSchema, DrawColumnName, NumberDataViewType.Int32, "Int32 (the draw index)");
        int rate = AudioAnnotations.GetSampleRate(input)
            ?? throw new AudioColumnException($"{StageName}: column '{input.Name}' does not say its sample rate (no '{AudioAnnotations.SampleRate}' annotation); load it with LoadAudio");
        return (new VectorDataViewType(NumberDataViewType.Single), AudioAnnotations.Int32(AudioAnnotations.SampleRate, rate));
    }

    private protected override RowMapper CreateMapper(DataViewRow row, DataViewSchema.Column output)
    {
        DataViewSchema.Column audio = row.Schema[InputColumnName];
        return new Mapper(
            row.GetGetter<VBuffer<float>>(audio),
            row.GetGetter<ReadOnlyMemory<char>>(row.Schema[ClipIdColumnName]),
            row.GetGetter<int>(row.Schema[DrawColumnName]),
            AudioAnnotations.GetSampleRate(audio)!.Value,
            Options);
    }

    private sealed class Mapper(ValueGetter<VBuffer<float>> audio, ValueGetter<ReadOnlyMemory<char>> clipId, ValueGetter<int> draw, int sampleRate, AugmentationOptions options) : RowMapper
    {
        private VBuffer<float> _audio;
        private ReadOnlyMemory<char> _clipId;
        private int _draw;

        public override ReadOnlyMemory<float> Map()
        {
            audio(ref _audio);
            clipId(ref _clipId);
            draw(ref _draw);
            if (_draw < 0)
            {
                throw new AudioColumnException($"{StageName}: draw index {_draw} is negative");
            }
            float[] dense = new float[_audio.Length];
            _audio.CopyTo(dense);
            return AugmentationKernels.AugmentWaveform(dense, sampleRate, options, _clipId.ToString(), _draw);
        }
    }
}
