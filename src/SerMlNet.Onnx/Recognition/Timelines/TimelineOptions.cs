using SerMlNet.Audio;

namespace SerMlNet.Onnx.Recognition.Timelines;

/// <summary>Options of <see cref="TimelineBuilder"/>. Validated once by the builder; every bad field is reported together.</summary>
public sealed record TimelineOptions
{
    /// <summary>
    /// Windows on each side averaged into a window's smoothed probabilities; default 1 (three windows centred on it,
    /// about ±1.5 s at the default hop). 0 turns smoothing off. In [0, 50]. At the ends fewer neighbours exist and the
    /// mean is over those there are.
    /// </summary>
    public int SmoothingRadius { get; init; } = 1;

    /// <summary>Checks every field and reports all problems at once.</summary>
    /// <exception cref="OptionsValidationException">A field is out of range.</exception>
    public void Validate()
    {
        if (SmoothingRadius is < 0 or > 50)
        {
            throw new OptionsValidationException(nameof(TimelineOptions), [$"SmoothingRadius must be in [0, 50] windows (was {SmoothingRadius})"]);
        }
    }
}
