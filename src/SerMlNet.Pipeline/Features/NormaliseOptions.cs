namespace SerMlNet.Pipeline.Features;

/// <summary>How features are normalised.</summary>
public enum NormalisationMode
{
    /// <summary>Per Mel band: mean and standard deviation fitted on the training split, the same for every clip.</summary>
    Band,

    /// <summary>Per utterance: each matrix to zero mean, unit variance over all its values.</summary>
    Utterance,
}

/// <summary>How a job normalises its features (<see cref="FittedFrontEnd.Normalization"/> once fitted).</summary>
public sealed class NormaliseOptions
{
    /// <summary>Normalisation mode; default <see cref="NormalisationMode.Band"/> (statistics fitted on the training split).</summary>
    public NormalisationMode Mode { get; init; } = NormalisationMode.Band;

    /// <summary>
    /// Per-speaker normalisation in training (band mode only); default false. When true, every clip a run prepares is
    /// normalised with the per-band statistics of its own speaker within its own part (a training actor's training
    /// originals, a validation or test actor's own clips; labels unused). The fitted front end still saves the
    /// statistics of the whole training split, which inference uses. A run's own validation and test figures are then
    /// per-speaker (transductive) figures (<see cref="PerSpeakerDescription"/>); <c>ser evaluate</c> gives the plain ones.
    /// An experiment (README ablation): at inference, speaker calibration adjusts class scores, not band statistics.
    /// </summary>
    public bool PerSpeaker { get; init; }

    /// <summary>How a run's metrics file (<c>data.calibration</c>) describes figures of a <see cref="PerSpeaker"/> run.</summary>
    public const string PerSpeakerDescription =
        "per speaker, transductive: each speaker's band statistics fitted on that speaker's own evaluated clips (labels unused)";

    /// <summary>Checks every field.</summary>
    /// <exception cref="SerMlNet.Audio.OptionsValidationException">A field is out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Mode))
        {
            errors.Add($"Mode {(int)Mode} is not defined");
        }
        if (PerSpeaker && Mode != NormalisationMode.Band)
        {
            errors.Add("perSpeaker needs mode band (per-utterance normalisation has no statistics to take per speaker)");
        }
        if (errors.Count > 0)
        {
            throw new SerMlNet.Audio.OptionsValidationException(nameof(NormaliseOptions), errors);
        }
    }
}
