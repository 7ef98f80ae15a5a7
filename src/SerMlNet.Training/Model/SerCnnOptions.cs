using SerMlNet.Audio;

namespace SerMlNet.Training.Model;

/// <summary>
/// Architecture of <see cref="SerCnn"/>: input size, one Conv2d(3×3, padding 1) + BatchNorm2d + ReLU + MaxPool2d(2)
/// block per entry of <see cref="Channels"/>, global average (or attentive statistics) pooling, dropout and a linear
/// head. Immutable once
/// constructed; thread-safe.
/// </summary>
/// <remarks>The defaults are the architecture of issue 4 and the training-step benchmark (16-32-64-128 channels on
/// 128 Mel bands × 300 frames); the trainer's measured best replaces them in its job file.</remarks>
public sealed record SerCnnOptions
{
    /// <summary>Mel bands: the input height; default 128. Must be at least 2^(number of blocks).</summary>
    public int InputMels { get; init; } = 128;

    /// <summary>Frames: the input width; default 300 (3 s at a 10 ms hop). Must be at least 2^(number of
    /// blocks).</summary>
    public int InputFrames { get; init; } = 300;

    /// <summary>Output channels of each convolution block, in order; default 16, 32, 64, 128. One to eight blocks,
    /// each ≥ 1.</summary>
    public IReadOnlyList<int> Channels { get; init; } = [16, 32, 64, 128];

    /// <summary>Dropout probability before the linear head, in [0, 1); default 0.3.</summary>
    public double Dropout { get; init; } = 0.3;

    /// <summary>
    /// Channels of the time-only stage after the 2-D blocks; 0 (default) leaves it out. When set, a convolution spanning
    /// the whole remaining frequency axis (kernel [mels / 2^blocks, 1]) turns every (frequency position, channel) pattern
    /// into one of these channels, so the global average pooling that follows keeps where in frequency energy lies
    /// (pitch, formants), which a purely translation-invariant 2-D stack would average away.
    /// </summary>
    public int TemporalChannels { get; init; }

    /// <summary>Convolutions over time (kernel [1, 3], no padding) + batch norm + ReLU after the frequency-spanning one; default 0. Needs <see cref="TemporalChannels"/> &gt; 0.</summary>
    public int TemporalBlocks { get; init; }

    /// <summary>
    /// Pooling over the positions of the last feature map: 0 (default) is global average pooling; a positive value is
    /// attentive statistics pooling (<see cref="AttentiveStatisticsPooling"/>) with this many attention channels, whose
    /// weighted mean and standard deviation double the width the linear head reads. At most 4096.
    /// </summary>
    public int AttentionChannels { get; init; }

    /// <summary>Number of classes; default 8 (the RAVDESS emotions).</summary>
    public int ClassCount { get; init; } = 8;

    /// <summary>Batch-norm momentum (weight of each batch in the running statistics), in (0, 1]; default 0.1.</summary>
    public double BatchNormMomentum { get; init; } = 0.1;

    /// <summary>Batch-norm epsilon added to the variance, &gt; 0; default 1e-5.</summary>
    public double BatchNormEpsilon { get; init; } = 1e-5;

    /// <summary>Checks every field and reports all problems together.</summary>
    /// <exception cref="OptionsValidationException">One or more fields are invalid.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (Channels is null || Channels.Count is < 1 or > 8)
        {
            errors.Add($"Channels must list 1 to 8 blocks (got {Channels?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"})");
        }
        else
        {
            for (int i = 0; i < Channels.Count; i++)
            {
                if (Channels[i] < 1)
                {
                    errors.Add($"Channels[{i}] must be >= 1 (got {Channels[i]})");
                }
            }
            int minimum = 1 << Channels.Count;
            if (InputMels < minimum)
            {
                errors.Add($"InputMels must be >= {minimum} for {Channels.Count} pooling blocks (got {InputMels})");
            }
            if (InputFrames < minimum)
            {
                errors.Add($"InputFrames must be >= {minimum} for {Channels.Count} pooling blocks (got {InputFrames})");
            }
        }
        if (TemporalChannels < 0 || TemporalBlocks < 0 || (TemporalBlocks > 0 && TemporalChannels == 0))
        {
            errors.Add($"TemporalChannels must be >= 0 and TemporalBlocks >= 0, with TemporalBlocks only when TemporalChannels > 0 (got {TemporalChannels}, {TemporalBlocks})");
        }
        else if (Channels is { Count: > 0 } && InputFrames >> Channels.Count <= 2 * TemporalBlocks)
        {
            errors.Add($"InputFrames ({InputFrames}) leaves too few frames for {TemporalBlocks} temporal blocks after {Channels.Count} pooling blocks");
        }
        if (AttentionChannels is < 0 or > 4096)
        {
            errors.Add($"AttentionChannels must be in [0, 4096] (got {AttentionChannels})");
        }
        if (!(Dropout is >= 0 and < 1))
        {
            errors.Add($"Dropout must be in [0, 1) (got {Dropout})");
        }
        if (ClassCount < 2)
        {
            errors.Add($"ClassCount must be >= 2 (got {ClassCount})");
        }
        if (!(BatchNormMomentum is > 0 and <= 1))
        {
            errors.Add($"BatchNormMomentum must be in (0, 1] (got {BatchNormMomentum})");
        }
        if (!(BatchNormEpsilon > 0))
        {
            errors.Add($"BatchNormEpsilon must be > 0 (got {BatchNormEpsilon})");
        }
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(SerCnnOptions), errors);
        }
    }
}
