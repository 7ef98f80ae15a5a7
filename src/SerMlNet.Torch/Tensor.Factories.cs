using SerMlNet.Torch.Interop;

namespace SerMlNet.Torch;

/// <summary>Tensor factories: from caller memory, constant fills and random draws.</summary>
public sealed partial class Tensor
{
    private enum Fill
    {
        Zeros = 0,
        Ones = 1,
        Value = 2,
        Normal = 3,
        Uniform = 4,
        Uninitialized = 5,
    }

    /// <summary>A new tensor holding a copy of <paramref name="data"/> in row-major order.</summary>
    /// <typeparam name="T"><see cref="float"/> (Float32), <see cref="double"/> (Float64), <see cref="long"/> (Int64)
    /// or <see cref="bool"/>.</typeparam>
    /// <param name="data">Elements; the length must equal the product of <paramref name="shape"/>. Copied, so the
    /// caller may reuse the buffer as soon as the call returns.</param>
    /// <param name="shape">Sizes, outermost first, e.g. <c>[32, 1, 128, 300]</c>; <c>[]</c> makes a scalar.</param>
    /// <param name="device">Target device (default CPU).</param>
    /// <returns>The tensor, shape <paramref name="shape"/>.</returns>
    /// <exception cref="ArgumentException">The length does not match the shape.</exception>
    public static unsafe Tensor From<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, Device? device = null)
        where T : unmanaged
    {
        ScalarType type = ScalarTypes.Of<T>();
        long expected = CheckedProduct(shape);
        if (expected != data.Length)
        {
            throw new ArgumentException($"{data.Length} elements do not fill shape [{string.Join(", ", shape.ToArray())}] ({expected} elements)", nameof(data));
        }
        Device target = device ?? Device.Cpu;
        target.EnsureAvailable();
        fixed (T* p = data)
        fixed (long* s = shape)
        {
            IntPtr status = NativeMethods.ser_tensor_from_data(p, data.Length, (int)type, s, shape.Length, (int)target.Type, target.Index, out TensorHandle result);
            return NativeStatus.ToTensor(status, result);
        }
    }

    /// <summary>A one-dimensional Int64 tensor of class labels, e.g. the targets of
    /// <see cref="NN.Functional.CrossEntropy"/>.</summary>
    /// <param name="labels">Class indices, one per sample.</param>
    /// <param name="device">Target device (default CPU).</param>
    /// <returns>An Int64 tensor of shape <c>[labels.Length]</c>.</returns>
    public static Tensor Labels(ReadOnlySpan<int> labels, Device? device = null)
    {
        long[] wide = new long[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            wide[i] = labels[i];
        }
        return From<long>(wide, [wide.Length], device);
    }

    /// <summary>A tensor of zeros.</summary>
    /// <param name="shape">Sizes, outermost first.</param>
    /// <param name="type">Element type (default Float32).</param>
    /// <param name="device">Device (default CPU).</param>
    /// <returns>The tensor.</returns>
    public static Tensor Zeros(ReadOnlySpan<long> shape, ScalarType type = ScalarType.Float32, Device? device = null) =>
        Filled(shape, type, Fill.Zeros, 0, device);

    /// <summary>A tensor of ones.</summary>
    /// <param name="shape">Sizes, outermost first.</param>
    /// <param name="type">Element type (default Float32).</param>
    /// <param name="device">Device (default CPU).</param>
    /// <returns>The tensor.</returns>
    public static Tensor Ones(ReadOnlySpan<long> shape, ScalarType type = ScalarType.Float32, Device? device = null) =>
        Filled(shape, type, Fill.Ones, 0, device);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    /// <param name="shape">Sizes, outermost first.</param>
    /// <param name="value">The fill value.</param>
    /// <param name="type">Element type (default Float32).</param>
    /// <param name="device">Device (default CPU).</param>
    /// <returns>The tensor.</returns>
    public static Tensor Full(ReadOnlySpan<long> shape, double value, ScalarType type = ScalarType.Float32, Device? device = null) =>
        Filled(shape, type, Fill.Value, value, device);

    /// <summary>Standard normal draws (mean 0, variance 1) from libtorch's generator (see
    /// <see cref="LibTorch.ManualSeed"/>).</summary>
    /// <param name="shape">Sizes, outermost first.</param>
    /// <param name="type">Float32 (default) or Float64.</param>
    /// <param name="device">Device (default CPU).</param>
    /// <returns>The tensor.</returns>
    public static Tensor Randn(ReadOnlySpan<long> shape, ScalarType type = ScalarType.Float32, Device? device = null) =>
        Filled(shape, type, Fill.Normal, 0, device);

    /// <summary>Uniform draws from [0, 1) from libtorch's generator.</summary>
    /// <param name="shape">Sizes, outermost first.</param>
    /// <param name="type">Float32 (default) or Float64.</param>
    /// <param name="device">Device (default CPU).</param>
    /// <returns>The tensor.</returns>
    public static Tensor Rand(ReadOnlySpan<long> shape, ScalarType type = ScalarType.Float32, Device? device = null) =>
        Filled(shape, type, Fill.Uniform, 0, device);

    /// <summary>An uninitialised tensor (contents undefined), to be filled in place.</summary>
    /// <param name="shape">Sizes, outermost first.</param>
    /// <param name="type">Element type (default Float32).</param>
    /// <param name="device">Device (default CPU).</param>
    /// <returns>The tensor.</returns>
    public static Tensor Empty(ReadOnlySpan<long> shape, ScalarType type = ScalarType.Float32, Device? device = null) =>
        Filled(shape, type, Fill.Uninitialized, 0, device);

    /// <summary>Int64 draws uniform over [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="low">Smallest value.</param>
    /// <param name="high">One past the largest value; &gt; <paramref name="low"/>.</param>
    /// <param name="shape">Sizes, outermost first.</param>
    /// <param name="device">Device (default CPU).</param>
    /// <returns>An Int64 tensor.</returns>
    public static unsafe Tensor RandInt(long low, long high, ReadOnlySpan<long> shape, Device? device = null)
    {
        Device target = device ?? Device.Cpu;
        target.EnsureAvailable();
        fixed (long* s = shape)
        {
            IntPtr status = NativeMethods.ser_tensor_randint(low, high, s, shape.Length, (int)target.Type, target.Index, out TensorHandle result);
            return NativeStatus.ToTensor(status, result);
        }
    }

    /// <summary>Fills this tensor in place with U(<paramref name="low"/>, <paramref name="high"/>) draws, without
    /// recording autograd (parameter initialisation).</summary>
    /// <param name="low">Lower bound.</param>
    /// <param name="high">Upper bound.</param>
    public void FillUniform(double low, double high) => NativeStatus.Check(NativeMethods.ser_tensor_init_(Handle, 0, low, high));

    /// <summary>Fills this tensor in place with N(<paramref name="mean"/>, <paramref name="std"/>²) draws, without
    /// recording autograd.</summary>
    /// <param name="mean">Mean.</param>
    /// <param name="std">Standard deviation, ≥ 0.</param>
    public void FillNormal(double mean, double std) => NativeStatus.Check(NativeMethods.ser_tensor_init_(Handle, 1, mean, std));

    private static unsafe Tensor Filled(ReadOnlySpan<long> shape, ScalarType type, Fill fill, double value, Device? device)
    {
        CheckedProduct(shape);
        Device target = device ?? Device.Cpu;
        target.EnsureAvailable();
        fixed (long* s = shape)
        {
            IntPtr status = NativeMethods.ser_tensor_filled(s, shape.Length, (int)type, (int)fill, value, (int)target.Type, target.Index, out TensorHandle result);
            return NativeStatus.ToTensor(status, result);
        }
    }

    private static long CheckedProduct(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (long size in shape)
        {
            if (size < 0)
            {
                throw new ArgumentException($"negative size in shape [{string.Join(", ", shape.ToArray())}]", nameof(shape));
            }
            count = checked(count * size);
        }
        return count;
    }
}
