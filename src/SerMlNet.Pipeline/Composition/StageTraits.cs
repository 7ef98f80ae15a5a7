namespace SerMlNet.Pipeline.Composition;

/// <summary>Properties of a stage that decide where it may run and whether its output may be cached.</summary>
[Flags]
public enum StageTraits
{
    /// <summary>A deterministic function of its input and options.</summary>
    None = 0,

    /// <summary>Acts only in augmenting contexts (training split), drawing from <see cref="TransformContext.Random"/>.</summary>
    Augmentation = 1,

    /// <summary>Holds state learned from training data (e.g. normalisation statistics).</summary>
    Fitted = 2,

    /// <summary>Must run fresh every time (e.g. SpecAugment masks); its output is never cached.</summary>
    Online = 4,
}
