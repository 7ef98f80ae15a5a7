namespace SerMlNet.Pipeline.Composition;

/// <summary>What a <see cref="Sample"/> carries at a point of the pipeline.</summary>
public enum SampleKind
{
    /// <summary>Only a reference to a clip on disk (nothing decoded yet).</summary>
    Source,

    /// <summary>A mono waveform.</summary>
    Audio,

    /// <summary>A feature matrix [rows (bins or Mel bands), columns (frames)].</summary>
    Features,
}
