using SerMlNet.Torch.Interop;

namespace SerMlNet.Torch;

/// <summary>Copying values between tensors and managed memory.</summary>
public sealed partial class Tensor
{
    /// <summary>The elements in row-major order (copied to the CPU first when needed).</summary>
    /// <typeparam name="T">Must match <see cref="ScalarType"/>: float, double, long or bool.</typeparam>
    /// <returns>A new array of <see cref="ElementCount"/> elements.</returns>
    /// <exception cref="TorchException">The element type does not match.</exception>
    public T[] ToArray<T>()
        where T : unmanaged
    {
        T[] values = new T[checked((int)ElementCount)];
        CopyTo<T>(values);
        return values;
    }

    /// <summary>The elements as float32 whatever the tensor's type (converted on a temporary copy when needed).</summary>
    /// <returns>A new array of <see cref="ElementCount"/> elements.</returns>
    internal float[] ToFloat32Array()
    {
        if (ScalarType == ScalarType.Float32)
        {
            return ToArray<float>();
        }
        using Tensor converted = To(ScalarType.Float32);
        return converted.ToArray<float>();
    }

    /// <summary>Copies the elements in row-major order into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">Must match <see cref="ScalarType"/>.</typeparam>
    /// <param name="destination">Exactly <see cref="ElementCount"/> elements.</param>
    /// <exception cref="TorchException">The length or element type does not match.</exception>
    public unsafe void CopyTo<T>(Span<T> destination)
        where T : unmanaged
    {
        ScalarType type = ScalarTypes.Of<T>();
        fixed (T* p = destination)
        {
            NativeStatus.Check(NativeMethods.ser_tensor_copy_to(Handle, p, destination.Length, (int)type));
        }
    }

    /// <summary>Overwrites the elements in place from <paramref name="source"/> (row-major), without recording
    /// autograd; e.g. loading weights.</summary>
    /// <typeparam name="T">Must match <see cref="ScalarType"/>.</typeparam>
    /// <param name="source">Exactly <see cref="ElementCount"/> elements.</param>
    /// <exception cref="TorchException">The length or element type does not match.</exception>
    public unsafe void CopyFrom<T>(ReadOnlySpan<T> source)
        where T : unmanaged
    {
        ScalarType type = ScalarTypes.Of<T>();
        fixed (T* p = source)
        {
            NativeStatus.Check(NativeMethods.ser_tensor_copy_from(Handle, p, source.Length, (int)type));
        }
    }

    /// <summary>Overwrites the elements in place from another tensor of the same shape (converting type and device),
    /// without recording autograd.</summary>
    /// <param name="source">The values to copy.</param>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        NativeStatus.Check(NativeMethods.ser_tensor_copy_(Handle, source.Handle));
    }

    /// <summary>The value of a one-element tensor.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="double"/> or <see cref="long"/> (converted from the
    /// tensor's type as libtorch's <c>item</c> does).</typeparam>
    /// <returns>The value.</returns>
    /// <exception cref="TorchException">The tensor has more than one element.</exception>
    public T Item<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(long))
        {
            NativeStatus.Check(NativeMethods.ser_tensor_item_int64(Handle, out long integer));
            return (T)(object)integer;
        }
        NativeStatus.Check(NativeMethods.ser_tensor_item_double(Handle, out double value));
        if (typeof(T) == typeof(double))
        {
            return (T)(object)value;
        }
        if (typeof(T) == typeof(float))
        {
            return (T)(object)(float)value;
        }
        throw new NotSupportedException($"Item<{typeof(T).Name}> is not supported; use float, double or long");
    }
}
