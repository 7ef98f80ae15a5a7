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

    /// <summary>Checks every field.</summary>
    /// <exception cref="SerMlNet.Audio.OptionsValidationException">A field is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode))
        {
            throw new SerMlNet.Audio.OptionsValidationException(nameof(NormaliseOptions), [$"Mode {(int)Mode} is not defined"]);
        }
    }
}
