using SerMlNet.Audio;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>Options every augmentation has: how often it acts, and its own validation.</summary>
public interface IAugmentationOptions
{
    /// <summary>Chance in [0, 1] that a draw applies the augmentation.</summary>
    double Probability { get; }

    /// <summary>Checks every field.</summary>
    /// <exception cref="OptionsValidationException">A field is out of range.</exception>
    void Validate();
}
