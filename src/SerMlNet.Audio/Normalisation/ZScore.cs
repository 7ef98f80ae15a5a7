namespace SerMlNet.Audio.Normalisation;

/// <summary>
/// Per-utterance standardisation: subtracts the mean of all values of a matrix and divides by their standard deviation
/// (population, ddof = 0) plus <see cref="Epsilon"/>, so a constant matrix maps to zeros. Statistics in double precision.
/// Stateless and thread-safe.
/// </summary>
public static class ZScore
{
    /// <summary>Added to the standard deviation before dividing, 1e-8.</summary>
    public const double Epsilon = 1e-8;

    /// <summary>Standardises a matrix into a new one.</summary>
    /// <param name="matrix">Input.</param>
    /// <returns>A new matrix of the same shape with mean 0 and standard deviation 1 (unless constant).</returns>
    public static FeatureMatrix Apply(FeatureMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var result = new FeatureMatrix(matrix.Rows, matrix.Columns);
        Apply(matrix.Data, result.Data);
        return result;
    }

    /// <summary>Standardises <paramref name="input"/> into <paramref name="destination"/> (may be the same memory).</summary>
    /// <param name="input">Values.</param>
    /// <param name="destination">Output, same length.</param>
    public static void Apply(ReadOnlySpan<float> input, Span<float> destination)
    {
        if (destination.Length != input.Length)
        {
            throw new ArgumentException("destination must have the input's length", nameof(destination));
        }
        if (input.IsEmpty)
        {
            return;
        }
        double sum = 0;
        foreach (float v in input)
        {
            sum += v;
        }
        double mean = sum / input.Length;
        double sq = 0;
        foreach (float v in input)
        {
            double d = v - mean;
            sq += d * d;
        }
        double scale = 1.0 / (Math.Sqrt(sq / input.Length) + Epsilon);
        for (int i = 0; i < input.Length; i++)
        {
            destination[i] = (float)((input[i] - mean) * scale);
        }
    }
}
