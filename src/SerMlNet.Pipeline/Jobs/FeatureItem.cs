using SerMlNet.Audio;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Splits;

namespace SerMlNet.Pipeline.Jobs;

/// <summary>One example ready for a model: a clip's (possibly augmented) features and its class.</summary>
public sealed class FeatureItem
{
    /// <summary>Creates an item; only training items may carry an augmentation draw.</summary>
    /// <param name="clip">The source clip.</param>
    /// <param name="part">The split part the clip belongs to.</param>
    /// <param name="label">Class index.</param>
    /// <param name="draw">0 for the original, else the augmentation draw.</param>
    /// <param name="features">Features after every non-online stage (normalised).</param>
    /// <exception cref="InvalidOperationException">A validation or test item with an augmentation draw.</exception>
    public FeatureItem(Clip clip, SplitPart part, int label, long draw, FeatureMatrix features)
    {
        if (part != SplitPart.Train && draw != 0)
        {
            throw new InvalidOperationException($"clip '{clip.Id}' is in the {part} part and must never be augmented (draw {draw})");
        }
        Clip = clip;
        Part = part;
        Label = label;
        Draw = draw;
        Features = features;
    }

    /// <summary>The source clip.</summary>
    public Clip Clip { get; }

    /// <summary>The split part.</summary>
    public SplitPart Part { get; }

    /// <summary>Class index.</summary>
    public int Label { get; }

    /// <summary>0 for the original, else the augmentation draw.</summary>
    public long Draw { get; }

    /// <summary>Features after every non-online stage (normalised), [rows, frames].</summary>
    public FeatureMatrix Features { get; }
}
