namespace SerMlNet.Pipeline.Composition;

/// <summary>
/// An unfitted stage: <see cref="Fit"/> learns what it needs from training samples and returns the transformer
/// (ML.NET's <c>IEstimator.Fit</c>). Stages without state are their own transformer and ignore the data.
/// </summary>
/// <typeparam name="TTransformer">The transformer it produces.</typeparam>
public interface IEstimator<out TTransformer>
    where TTransformer : ITransformer
{
    /// <summary>The schema of the fitted stage's output for a given input schema.</summary>
    /// <param name="input">The input schema.</param>
    /// <returns>The output schema.</returns>
    SampleSchema GetOutputSchema(SampleSchema input);

    /// <summary>Fits the stage.</summary>
    /// <param name="data">Training samples as this stage receives them (lazily computed: stateless stages never enumerate it).</param>
    /// <returns>The fitted transformer.</returns>
    TTransformer Fit(IEnumerable<Sample> data);
}
