namespace SerMlNet.Pipeline.Splits;

/// <summary>Which part of a split a clip belongs to.</summary>
public enum SplitPart
{
    /// <summary>Used to fit the model and the front-end statistics; the only part that is augmented.</summary>
    Train,

    /// <summary>Used for early stopping and model selection; never augmented.</summary>
    Validation,

    /// <summary>Held out for the final figures; never augmented.</summary>
    Test,
}
