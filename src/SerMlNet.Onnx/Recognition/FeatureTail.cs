using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Stages;

namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// The stages after the pipeline's <c>fixedLength</c> stage, applied to one window of features in place. When they are
/// only normalisations (plus stages inert at inference, or a second fixed length of the same size) they run without
/// allocating, straight on the window's span; any other stage makes every window go through the chain itself.
/// Immutable; thread-safe.
/// </summary>
internal sealed class FeatureTail
{
    private readonly TransformerChain _chain;
    private readonly NormaliseTransformer[]? _normalisations;

    /// <summary>Compiles the tail.</summary>
    /// <param name="chain">The stages after <c>fixedLength</c>.</param>
    /// <param name="frames">Frames per window.</param>
    public FeatureTail(TransformerChain chain, int frames)
    {
        _chain = chain;
        _normalisations = Compile(chain, frames);
    }

    /// <summary>Whether windows take the allocation-free path (false: through the chain, one sample per window).</summary>
    public bool IsFast => _normalisations is not null;

    /// <summary>Applies the tail to one window in place.</summary>
    /// <param name="window">Row-major <c>[rows, frames]</c> features; overwritten with the network input.</param>
    /// <param name="rows">Mel bands.</param>
    /// <param name="frames">Frames.</param>
    /// <exception cref="SchemaMismatchException">A custom stage changed the window's shape.</exception>
    public void Apply(Span<float> window, int rows, int frames)
    {
        if (_normalisations is not null)
        {
            foreach (NormaliseTransformer normalise in _normalisations)
            {
                if (normalise.Statistics is { } statistics)
                {
                    statistics.Apply(window, frames, window);
                }
                else
                {
                    ZScore.Apply(window, window);
                }
            }
            return;
        }
        var matrix = new FeatureMatrix(rows, frames, window.ToArray());
        FeatureMatrix output = _chain.Transform(Sample.FromFeatures(matrix), TransformContext.Plain).RequireFeatures("network input");
        if (output.Rows != rows || output.Columns != frames)
        {
            throw new SchemaMismatchException($"the stages after '{FixedLengthStage.TypeName}' turned a [{rows} x {frames}] window into [{output.Rows} x {output.Columns}]");
        }
        output.Data.CopyTo(window);
    }

    private static NormaliseTransformer[]? Compile(TransformerChain tail, int frames)
    {
        var ops = new List<NormaliseTransformer>(tail.Count);
        foreach (ITransformer stage in tail)
        {
            if (stage is NormaliseTransformer normalise)
            {
                ops.Add(normalise);
            }
            else if ((stage.Traits & StageTraits.Augmentation) == 0 && !(stage is FixedLengthStage f && f.Options.Frames == frames))
            {
                // Neither inert at inference nor identity on a window that already has the right length.
                return null;
            }
        }
        return [.. ops];
    }
}
