namespace SerMlNet.Onnx;

/// <summary>
/// A dense float32 tensor: row-major (C order) <see cref="Values"/> and its <see cref="Shape"/>, e.g. a Conv2d weight
/// <c>[out_channels, in_channels, kernel_h, kernel_w]</c> exactly as PyTorch / libtorch stores it. The arrays are used
/// as given (not copied) and must not change until the export has finished. Equality is by array reference.
/// </summary>
/// <param name="Values">The values; length = product of <paramref name="Shape"/>.</param>
/// <param name="Shape">The dimensions; each at least 1.</param>
public sealed record WeightTensor(float[] Values, int[] Shape)
{
    /// <summary>Product of the dimensions.</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (int d in Shape)
            {
                n *= d;
            }
            return n;
        }
    }

    /// <summary>The shape as <c>[a, b, ...]</c>.</summary>
    /// <returns>The formatted shape.</returns>
    public string FormatShape() => $"[{string.Join(", ", Shape)}]";
}
