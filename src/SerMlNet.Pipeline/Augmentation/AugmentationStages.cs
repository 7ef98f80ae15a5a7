using SerMlNet.Pipeline.Composition;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>Places the waveform augmentations of <see cref="AugmentationOptions"/> in a chain, in a fixed order.</summary>
public static class AugmentationStages
{
    /// <summary>
    /// Appends the enabled waveform augmentations: time stretch, pitch shift, time shift, gain, then noise (noise last so
    /// its SNR refers to the final signal).
    /// </summary>
    /// <param name="chain">The chain so far (its output must be audio).</param>
    /// <param name="options">Validated options.</param>
    /// <returns>The extended chain.</returns>
    public static EstimatorChain AppendWaveform(EstimatorChain chain, AugmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(options);
        if (options.TimeStretch is not null)
        {
            chain = chain.Append(new TimeStretchStage(options.TimeStretch));
        }
        if (options.PitchShift is not null)
        {
            chain = chain.Append(new PitchShiftStage(options.PitchShift));
        }
        if (options.TimeShift is not null)
        {
            chain = chain.Append(new TimeShiftStage(options.TimeShift));
        }
        if (options.Gain is not null)
        {
            chain = chain.Append(new GainStage(options.Gain));
        }
        if (options.Noise is not null)
        {
            chain = chain.Append(new AddNoiseStage(options.Noise));
        }
        return chain;
    }
}
