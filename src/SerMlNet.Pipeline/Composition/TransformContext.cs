using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.Pipeline.Composition;

/// <summary>
/// How one sample is transformed: plainly (inference, validation, test, and the original copy of a training clip) or
/// as one seeded augmentation draw of a training clip. Augmentation stages act only when <see cref="Augment"/> is true
/// and take all their randomness from <see cref="Random"/>, so a (seed, clip, draw) triple always gives the same result.
/// A context belongs to one sample at a time: it is not thread-safe.
/// </summary>
public sealed class TransformContext
{
    private readonly SeededRandom? _random;

    private TransformContext(bool augment, long seed, long draw, SeededRandom? random)
    {
        Augment = augment;
        Seed = seed;
        Draw = draw;
        _random = random;
    }

    /// <summary>A context that never augments (inference, validation, test). One shared instance: it holds no state.</summary>
    public static TransformContext Plain { get; } = new(false, 0, 0, null);

    /// <summary>The augmentation seed (0 in a plain context).</summary>
    public long Seed { get; }

    /// <summary>Whether augmentation stages act.</summary>
    public bool Augment { get; }

    /// <summary>The draw index: 0 for the original, 1..k for augmented copies (or an epoch-derived index online).</summary>
    public long Draw { get; }

    /// <summary>The draw's random source.</summary>
    /// <exception cref="InvalidOperationException">The context does not augment.</exception>
    public SeededRandom Random => _random ?? throw new InvalidOperationException("a plain (non-augmenting) context has no random source; augmentation stages must check Augment first");

    /// <summary>The context of one augmentation draw.</summary>
    /// <param name="seed">The job's augmentation seed.</param>
    /// <param name="clipId">The clip's id.</param>
    /// <param name="draw">The draw index, at least 1 (draw 0 is the original and is never augmented).</param>
    /// <returns>The context.</returns>
    public static TransformContext ForDraw(long seed, string clipId, long draw)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(draw, 1);
        return new TransformContext(true, seed, draw, SeededRandom.Derive(seed, clipId, draw));
    }
}
