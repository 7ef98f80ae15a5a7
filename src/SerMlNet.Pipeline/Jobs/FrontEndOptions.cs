using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Trimming;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Stages;

namespace SerMlNet.Pipeline.Jobs;

/// <summary>
/// The feature front end of a job: load/resample → trim → log-Mel → fixed length → normalise, with the training-only
/// augmentations in their places (waveform ones after trimming, SpecAugment after normalisation).
/// </summary>
public sealed class FrontEndOptions
{
    /// <summary>Rate clips are resampled to, in Hz; default 16000. Must equal <c>logMel.sampleRate</c>.</summary>
    public int SampleRate { get; init; } = 16000;

    /// <summary>Silence trimming; null disables it. Default: 60 dB, frames of 2048, hop 512.</summary>
    public TrimOptions? Trim { get; init; } = new();

    /// <summary>Log-Mel parameters. Default: nFft 1024, hop 160 (10 ms), 128 Mel bands, 80 dB range.</summary>
    public LogMelOptions LogMel { get; init; } = new();

    /// <summary>Fixed length in frames. Default: 300 frames (3 s at a 10 ms hop), cropped from the start.</summary>
    public FixedLengthOptions FixedLength { get; init; } = new();

    /// <summary>Normalisation. Default: per-band statistics fitted on the training split.</summary>
    public NormaliseOptions Normalise { get; init; } = new();

    /// <summary>Checks every field and reports all problems at once, each prefixed with its field path.</summary>
    /// <returns>The problems; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (SampleRate is < 1000 or > 384000)
        {
            errors.Add($"sampleRate must be in [1000, 384000] Hz (was {SampleRate})");
        }
        if (LogMel is null)
        {
            errors.Add("logMel is required");
        }
        else if (LogMel.SampleRate != SampleRate)
        {
            errors.Add($"logMel.sampleRate ({LogMel.SampleRate}) must equal sampleRate ({SampleRate})");
        }
        OptionErrors.Collect(errors, "trim", Trim is null ? null : Trim.Validate);
        OptionErrors.Collect(errors, "logMel", LogMel is null ? null : LogMel.Validate);
        OptionErrors.Collect(errors, "fixedLength", FixedLength is null ? () => throw new OptionsValidationException(nameof(FixedLengthOptions), ["is required"]) : FixedLength.Validate);
        OptionErrors.Collect(errors, "normalise", Normalise is null ? () => throw new OptionsValidationException(nameof(NormaliseOptions), ["is required"]) : Normalise.Validate);
        return errors;
    }

    /// <summary>
    /// The unfitted chain. With <paramref name="augmentation"/> the training augmentations are included (they act only
    /// in augmenting contexts, so the same chain serves validation, test and inference unchanged).
    /// </summary>
    /// <param name="augmentation">Augmentation options, or null for none.</param>
    /// <returns>The estimator chain.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public EstimatorChain BuildChain(AugmentationOptions? augmentation)
    {
        IReadOnlyList<string> errors = Validate();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(FrontEndOptions), errors);
        }
        augmentation?.Validate();
        EstimatorChain chain = new EstimatorChain().Append(new LoadAudioStage(new LoadAudioOptions { SampleRate = SampleRate }));
        if (Trim is not null)
        {
            chain = chain.Append(new TrimStage(Trim));
        }
        if (augmentation is not null)
        {
            chain = AugmentationStages.AppendWaveform(chain, augmentation);
        }
        chain = chain
            .Append(new LogMelStage(LogMel))
            .Append(new FixedLengthStage(FixedLength))
            .Append(new NormaliseEstimator(Normalise));
        if (augmentation?.SpecAugment is not null)
        {
            chain = chain.Append(new SpecAugmentStage(augmentation.SpecAugment));
        }
        return chain;
    }
}
