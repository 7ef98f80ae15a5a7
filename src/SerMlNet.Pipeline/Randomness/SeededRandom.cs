namespace SerMlNet.Pipeline.Randomness;

/// <summary>
/// A small, portable pseudo-random generator (xoshiro256**, seeded through SplitMix64) whose sequence depends only on
/// its seed, never on the .NET version or platform, so splits and augmentation draws are reproducible everywhere.
/// <see cref="Derive(long, string, long)"/> gives independent streams per (seed, key, index), e.g. per clip and draw.
/// Not thread-safe: give each thread its own instance.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double? _spareGaussian;

    /// <summary>Creates a generator.</summary>
    /// <param name="seed">Any value; equal seeds give equal sequences.</param>
    public SeededRandom(long seed)
    {
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>A generator for one (seed, key, index) triple, independent of the others in practice.</summary>
    /// <param name="seed">The job's seed.</param>
    /// <param name="key">A stable key, e.g. a clip id.</param>
    /// <param name="index">A further index, e.g. the augmentation draw or the epoch.</param>
    /// <returns>A new generator.</returns>
    public static SeededRandom Derive(long seed, string key, long index)
    {
        ArgumentNullException.ThrowIfNull(key);
        ulong hash = 14695981039346656037UL;
        foreach (char c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        ulong mix = unchecked((ulong)seed) ^ (hash * 0x9E3779B97F4A7C15UL) ^ (unchecked((ulong)index) * 0xC2B2AE3D27D4EB4FUL);
        return new SeededRandom(unchecked((long)SplitMix64(ref mix)));
    }

    /// <summary>Next 64 random bits.</summary>
    /// <returns>A uniformly distributed value.</returns>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    /// <returns>The value.</returns>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    /// <param name="min">Lower bound.</param>
    /// <param name="max">Upper bound (at least <paramref name="min"/>).</param>
    /// <returns>The value.</returns>
    public double NextDouble(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    /// <param name="maxExclusive">Upper bound, at least 1.</param>
    /// <returns>The value.</returns>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxExclusive, 1);
        ulong bound = (ulong)maxExclusive;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            if (r >= threshold)
            {
                return (int)(r % bound);
            }
        }
    }

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    /// <param name="probability">In [0, 1].</param>
    /// <returns>The outcome.</returns>
    public bool NextBool(double probability) => NextDouble() < probability;

    /// <summary>Standard normal sample (Box–Muller, polar form).</summary>
    /// <returns>The value.</returns>
    public double NextGaussian()
    {
        if (_spareGaussian is double spare)
        {
            _spareGaussian = null;
            return spare;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        }
        while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * factor;
        return u * factor;
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="items">The list to shuffle.</param>
    public void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
