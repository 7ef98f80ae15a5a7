using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio;
using SerMlNet.Pipeline.Augmentation;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// Estimator of <see cref="SpecAugmentingTransformer"/>. Stateless. Reached as <c>mlContext.Transforms.SpecAugment</c>;
/// training-only: append it to the training pipeline after normalisation, never to a scoring one.
/// </summary>
public sealed class SpecAugmentingEstimator : StatelessAudioEstimator<SpecAugmentingTransformer>
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="outputColumnName">The masked feature column to add.</param>
    /// <param name="inputColumnName">A feature column of known size [bands, frames] (after FixedLength and NormalizeBands).</param>
    /// <param name="clipIdColumnName">A text column with each clip's stable id.</param>
    /// <param name="drawColumnName">An Int32 column with the draw index.</param>
    /// <param name="options">Options; validated here.</param>
    /// <param name="seed">The augmentation seed (the job's <see cref="AugmentationOptions.Seed"/>; default 1234).</param>
    /// <param name="epoch">The epoch the masks are drawn for (0-based; default 0): a new epoch gives new masks.</param>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public SpecAugmentingEstimator(string outputColumnName, string inputColumnName, string clipIdColumnName, string drawColumnName, SpecAugmentOptions options, long seed = 1234, int epoch = 0)
        : base(new SpecAugmentingTransformer(outputColumnName, inputColumnName, clipIdColumnName, drawColumnName, options, seed, epoch))
    {
    }

    /// <inheritdoc />
    /// <exception cref="AudioColumnException">An input column is missing or of the wrong type.</exception>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        string stage = SpecAugmentingTransformer.StageName;
        SchemaShape.Column input = SchemaShapes.RequireSingleVector(inputSchema, Transformer.InputColumnName, stage, "features of known size (a float vector)");
        if (input.Kind != SchemaShape.Column.VectorKind.Vector)
        {
            throw new AudioColumnException($"{stage}: column '{input.Name}' must have a known size [bands, frames] (apply FixedLength first)");
        }
        Transformer.RequireDrawColumns(inputSchema);
        return SchemaShapes.With(inputSchema, Transformer.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, 1));
    }

}

/// <summary>
/// SpecAugment frequency and time masks (Park et al. 2019) on every row of the view it is in, as the job pipeline's
/// online stage draws them for an epoch: one seeded random source per (seed mixed with <see cref="Epoch"/>, clip id,
/// draw + 1); with <see cref="SpecAugmentOptions.Probability"/> the row is masked. Deterministic per row and epoch.
/// Use <see cref="ForEpoch"/> for the next epoch's masks. Immutable and thread-safe.
/// </summary>
public sealed class SpecAugmentingTransformer : AugmentingTransformerBase
{
    internal const string StageName = "SpecAugment";

    internal SpecAugmentingTransformer(string outputColumnName, string inputColumnName, string clipIdColumnName, string drawColumnName, SpecAugmentOptions options, long seed, int epoch)
        : base(StageName, outputColumnName, inputColumnName, clipIdColumnName, drawColumnName)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        _augmenter = ClipAugmenter.ForSpecAugment(options, seed);
        Options = options;
        Seed = seed;
        Epoch = epoch;
    }

    private readonly ClipAugmenter _augmenter;

    /// <summary>The options.</summary>
    public SpecAugmentOptions Options { get; }

    /// <summary>The augmentation seed.</summary>
    public long Seed { get; }

    /// <summary>The epoch the masks are drawn for (0-based).</summary>
    public int Epoch { get; }

    /// <summary>The same transform drawing the masks of another epoch.</summary>
    /// <param name="epoch">The epoch (0-based).</param>
    /// <returns>A new transformer.</returns>
    public SpecAugmentingTransformer ForEpoch(int epoch) =>
        new(OutputColumnName, InputColumnName, ClipIdColumnName, DrawColumnName, Options, Seed, epoch);

    private protected override (DataViewType Type, DataViewSchema.Annotations Annotations) DescribeOutput(DataViewSchema inputSchema, DataViewSchema.Column input)
    {
        RequireSingleVector(inputSchema, input.Name, "features of known size (a float vector)");
        RequireDrawColumns(inputSchema);
        if (input.Type is not VectorDataViewType { IsKnownSize: true })
        {
            throw new AudioColumnException($"{StageName}: column '{input.Name}' must have a known size [bands, frames] (apply FixedLength first)");
        }
        int bands = RequireMelBands(input);
        return (input.Type, AudioAnnotations.Int32(AudioAnnotations.MelBands, bands));
    }

    private protected override RowMapper CreateMapper(DataViewRow row, DataViewSchema.Column output)
    {
        DataViewSchema.Column input = row.Schema[InputColumnName];
        int bands = RequireMelBands(input);
        return new Mapper(row.GetGetter<VBuffer<float>>(input), new DrawReader(row, this), bands, ((VectorDataViewType)input.Type).Size / bands, this);
    }

    private sealed class Mapper(ValueGetter<VBuffer<float>> features, DrawReader draws, int bands, int frames, SpecAugmentingTransformer parent) : RowMapper
    {
        private readonly float[] _output = new float[bands * frames];
        private VBuffer<float> _features;

        public override ReadOnlyMemory<float> Map()
        {
            features(ref _features);
            (string clipId, int draw) = draws.Read();
            _features.CopyTo(_output);
            AugmentationKernels.MaskSpectrogram(_output, bands, frames, parent._augmenter, parent.Epoch, clipId, draw);
            return _output;
        }
    }
}
