using System.Numerics.Tensors;

namespace SerMlNet.Audio.Normalisation;

/// <summary>
/// Pads or crops a feature matrix to a fixed number of frames (columns). Padding appends columns at the end filled with
/// the matrix minimum — for a log-Mel matrix that is its dB floor (<c>max - TopDb</c>), i.e. the value silence has —
/// so padding reads as silence rather than as a 0 dB (loudest) plateau; an empty matrix pads with 0. Cropping keeps the
/// frames chosen by <see cref="FixedLengthOptions.Alignment"/> (default: the first ones). Stateless and thread-safe.
/// </summary>
public static class FixedLength
{
    /// <summary>Returns a new matrix with exactly <see cref="FixedLengthOptions.Frames"/> columns.</summary>
    /// <param name="matrix">Input [rows, n].</param>
    /// <param name="options">Parameters; validated here.</param>
    /// <returns>A new [rows, Frames] matrix.</returns>
    public static FeatureMatrix Apply(FeatureMatrix matrix, FixedLengthOptions options)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var result = new FeatureMatrix(matrix.Rows, options.Frames);
        Apply(matrix.Data, matrix.Rows, matrix.Columns, result.Data, options.Frames, options.Alignment);
        return result;
    }

    /// <summary>Pads or crops a row-major [rows, columns] block into a caller-owned [rows, frames] block.</summary>
    /// <param name="input">Row-major input.</param>
    /// <param name="rows">Rows of the input and output.</param>
    /// <param name="columns">Columns of the input.</param>
    /// <param name="destination">Row-major output, <c>rows * frames</c> long; must not overlap the input.</param>
    /// <param name="frames">Output columns; at least 1.</param>
    /// <param name="alignment">Crop alignment.</param>
    public static void Apply(ReadOnlySpan<float> input, int rows, int columns, Span<float> destination, int frames, CropAlignment alignment)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        if (input.Length != rows * columns)
        {
            throw new ArgumentException($"input holds {input.Length} values, expected {rows} x {columns}", nameof(input));
        }
        if (destination.Length != rows * frames)
        {
            throw new ArgumentException($"destination holds {destination.Length} values, expected {rows} x {frames}", nameof(destination));
        }
        if (columns >= frames)
        {
            int offset = alignment switch
            {
                CropAlignment.Start => 0,
                CropAlignment.Center => (columns - frames) / 2,
                CropAlignment.End => columns - frames,
                _ => throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "unknown alignment"),
            };
            for (int r = 0; r < rows; r++)
            {
                input.Slice(r * columns + offset, frames).CopyTo(destination.Slice(r * frames, frames));
            }
            return;
        }
        float fill = input.IsEmpty ? 0f : TensorPrimitives.Min(input);
        for (int r = 0; r < rows; r++)
        {
            input.Slice(r * columns, columns).CopyTo(destination.Slice(r * frames, columns));
            destination.Slice(r * frames + columns, frames - columns).Fill(fill);
        }
    }
}
