using Microsoft.ML;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// Base of the estimators of stateless audio transforms: the transformer is made (and its options validated) with the
/// estimator, and fitting only checks the input schema. Immutable and thread-safe.
/// </summary>
/// <typeparam name="TTransformer">The transformer the estimator gives.</typeparam>
public abstract class StatelessAudioEstimator<TTransformer> : IEstimator<TTransformer>
    where TTransformer : class, ITransformer
{
    private protected StatelessAudioEstimator(TTransformer transformer) => Transformer = transformer;

    /// <summary>The transformer every <see cref="Fit"/> returns.</summary>
    private protected TTransformer Transformer { get; }

    /// <inheritdoc />
    /// <exception cref="AudioColumnException">An input column is missing or of the wrong kind.</exception>
    public abstract SchemaShape GetOutputSchema(SchemaShape inputSchema);

    /// <summary>Checks <paramref name="input"/>'s schema and returns the transformer; reads no data.</summary>
    /// <param name="input">The data the pipeline is fitted on.</param>
    /// <returns>The transformer.</returns>
    /// <exception cref="AudioColumnException">An input column is missing or of the wrong type.</exception>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Transformer.GetOutputSchema(input.Schema);
        return Transformer;
    }
}
