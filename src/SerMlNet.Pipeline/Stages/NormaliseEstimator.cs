using SerMlNet.Audio.Normalisation;
using SerMlNet.Pipeline.Composition;

namespace SerMlNet.Pipeline.Stages;

/// <summary>
/// Fits feature normalisation: in <see cref="NormalisationMode.Band"/> mode the per-band mean and standard deviation of
/// the training features (streamed, in double precision); in <see cref="NormalisationMode.Utterance"/> mode nothing.
/// </summary>
public sealed class NormaliseEstimator : IEstimator<NormaliseTransformer>
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="options">The options.</param>
    public NormaliseEstimator(NormaliseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The options.</summary>
    public NormaliseOptions Options { get; }

    /// <inheritdoc />
    public SampleSchema GetOutputSchema(SampleSchema input)
    {
        input.Require(SampleKind.Features, NormaliseTransformer.TypeName);
        return input;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Band mode and no training samples.</exception>
    public NormaliseTransformer Fit(IEnumerable<Sample> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Options.Mode == NormalisationMode.Utterance)
        {
            return new NormaliseTransformer(Options.Mode, null);
        }
        BandStatistics.Accumulator? accumulator = null;
        foreach (Sample sample in data)
        {
            var features = sample.RequireFeatures(NormaliseTransformer.TypeName);
            accumulator ??= new BandStatistics.Accumulator(features.Rows);
            accumulator.Add(features);
        }
        if (accumulator is null)
        {
            throw new InvalidOperationException("band normalisation needs at least one training sample to fit on");
        }
        return new NormaliseTransformer(Options.Mode, accumulator.ToStatistics());
    }
}
