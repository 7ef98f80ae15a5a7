namespace SerMlNet.Pipeline.Composition;

/// <summary>
/// Unfitted stages in order, built with <c>Append</c> (ML.NET's <c>EstimatorChain</c>). <see cref="Fit"/>
/// fits each stage on the training data as transformed by the stages already fitted before it, and returns the
/// <see cref="TransformerChain"/>. Immutable: <c>Append</c> returns a new chain.
/// </summary>
public sealed class EstimatorChain : IEstimator<TransformerChain>
{
    private readonly IEstimator<ITransformer>[] _estimators;

    /// <summary>An empty chain.</summary>
    public EstimatorChain()
        : this([])
    {
    }

    private EstimatorChain(IEstimator<ITransformer>[] estimators)
    {
        _estimators = estimators;
    }

    /// <summary>The estimators, in order.</summary>
    public IReadOnlyList<IEstimator<ITransformer>> Estimators => _estimators;

    /// <summary>A new chain with a stage that must be fitted on data (e.g. <c>NormaliseEstimator</c>) appended.</summary>
    /// <param name="next">The estimator.</param>
    /// <returns>The new chain.</returns>
    public EstimatorChain Append(IEstimator<ITransformer> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return new EstimatorChain([.. _estimators, next]);
    }

    /// <summary>A new chain with a stage that needs no fitting (stateless, or already fitted) appended.</summary>
    /// <param name="transformer">The transformer, e.g. a built-in stateless stage or a custom stage.</param>
    /// <returns>The new chain.</returns>
    public EstimatorChain Append(ITransformer transformer)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        return Append(new FittedEstimator(transformer));
    }

    /// <summary>
    /// Splits off the leading stages that need no fitting and lack every trait in <paramref name="traits"/>, as a
    /// ready transformer chain; the rest stays an estimator chain.
    /// </summary>
    /// <param name="traits">Traits that end the prefix (e.g. <c>Online</c>: cache nothing that must run fresh).</param>
    /// <returns>The fitted prefix and the remaining estimators.</returns>
    public (TransformerChain Prefix, EstimatorChain Remainder) SplitStatelessPrefix(StageTraits traits)
    {
        int cut = 0;
        while (cut < _estimators.Length && _estimators[cut] is FittedEstimator fitted && (fitted.Transformer.Traits & traits) == 0)
        {
            cut++;
        }
        var prefix = new TransformerChain(_estimators[..cut].Select(e => ((FittedEstimator)e).Transformer));
        return (prefix, new EstimatorChain(_estimators[cut..]));
    }

    /// <inheritdoc />
    public SampleSchema GetOutputSchema(SampleSchema input)
    {
        SampleSchema schema = input;
        foreach (IEstimator<ITransformer> estimator in _estimators)
        {
            schema = estimator.GetOutputSchema(schema);
        }
        return schema;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The data are transformed plainly (no augmentation), lazily and only for the estimators that enumerate them,
    /// and in parallel across cores; stateless stages cost nothing here.
    /// </remarks>
    public TransformerChain Fit(IEnumerable<Sample> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var fitted = new List<ITransformer>(_estimators.Length);
        foreach (IEstimator<ITransformer> estimator in _estimators)
        {
            var prefix = new TransformerChain(fitted);
            IEnumerable<Sample> stageInput = fitted.Count == 0
                ? data
                : data.AsParallel().AsOrdered().Select(s => prefix.Transform(s, TransformContext.Plain));
            fitted.Add(estimator.Fit(stageInput));
        }
        return new TransformerChain(fitted);
    }

    private sealed class FittedEstimator(ITransformer transformer) : IEstimator<ITransformer>
    {
        public ITransformer Transformer => transformer;

        public SampleSchema GetOutputSchema(SampleSchema input) => transformer.GetOutputSchema(input);

        public ITransformer Fit(IEnumerable<Sample> data) => transformer;
    }
}
