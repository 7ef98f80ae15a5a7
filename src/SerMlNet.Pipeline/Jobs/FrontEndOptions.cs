using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Trimming;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Features;

namespace SerMlNet.Pipeline.Jobs;

/// <summary>
/// The feature front end of a job: load/resample → trim → log-Mel → fixed length → normalise; fitted into a
/// <see cref="FittedFrontEnd"/> (the training-only augmentations act between trimming and log-Mel on the waveform, and
/// after normalisation on the features: see <see cref="ClipAugmenter"/>).
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
        FittedFrontEnd.CheckStages(errors, SampleRate, Trim, LogMel, FixedLength);
        OptionErrors.Collect(errors, "normalise", Normalise is null ? () => throw new OptionsValidationException(nameof(NormaliseOptions), ["is required"]) : Normalise.Validate);
        return errors;
    }

    /// <summary>
    /// The front end before fitting: every stage up to fixed length (no normalisation yet), with
    /// <paramref name="augmentation"/> kept to be saved beside it (inert: <see cref="ClipAugmenter"/> applies it in training).
    /// Its <see cref="FittedFrontEnd.ComputeUnnormalizedFeatures"/> gives what <see cref="Fit"/> learns from.
    /// </summary>
    /// <param name="augmentation">Augmentation options, or null for none.</param>
    /// <returns>The unnormalised front end.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid (every problem listed).</exception>
    public FittedFrontEnd CreateUnnormalized(AugmentationOptions? augmentation)
    {
        IReadOnlyList<string> errors = Validate();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(FrontEndOptions), errors);
        }
        return new FittedFrontEnd(SampleRate, Trim, LogMel, FixedLength, null, null, augmentation);
    }

    /// <summary>
    /// Fits the normalisation: in <see cref="NormalisationMode.Band"/> mode the per-band mean and standard deviation of
    /// <paramref name="trainingFeatures"/> (streamed, in double precision, in order); in
    /// <see cref="NormalisationMode.Utterance"/> mode nothing.
    /// </summary>
    /// <param name="unnormalized">The front end from <see cref="CreateUnnormalized"/>.</param>
    /// <param name="trainingFeatures">Its features of the training originals ([NMels, Frames] each); enumerated in band mode only.</param>
    /// <returns>The fitted front end.</returns>
    /// <exception cref="InvalidOperationException">Band mode and no training features.</exception>
    public FittedFrontEnd Fit(FittedFrontEnd unnormalized, IEnumerable<FeatureMatrix> trainingFeatures)
    {
        ArgumentNullException.ThrowIfNull(unnormalized);
        ArgumentNullException.ThrowIfNull(trainingFeatures);
        if (Normalise.Mode == NormalisationMode.Utterance)
        {
            return unnormalized.WithNormalization(NormalisationMode.Utterance, null);
        }
        BandStatistics.Accumulator? accumulator = null;
        foreach (FeatureMatrix features in trainingFeatures)
        {
            accumulator ??= new BandStatistics.Accumulator(features.Rows);
            accumulator.Add(features);
        }
        if (accumulator is null)
        {
            throw new InvalidOperationException("band normalisation needs at least one training sample to fit on");
        }
        return unnormalized.WithNormalization(NormalisationMode.Band, accumulator.ToStatistics());
    }
}
