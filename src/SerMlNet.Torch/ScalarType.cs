namespace SerMlNet.Torch;

/// <summary>Element type of a tensor. The numeric values are the shim's codes.</summary>
public enum ScalarType
{
    /// <summary>32-bit float (<see cref="float"/>); parameters and activations.</summary>
    Float32 = 0,

    /// <summary>64-bit float (<see cref="double"/>); gradient checks.</summary>
    Float64 = 1,

    /// <summary>64-bit integer (<see cref="long"/>); class labels and argmax results.</summary>
    Int64 = 2,

    /// <summary>Boolean (<see cref="bool"/>); comparison results.</summary>
    Bool = 3,
}

/// <summary>Maps CLR element types to <see cref="ScalarType"/>.</summary>
internal static class ScalarTypes
{
    /// <summary>The scalar type stored as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="double"/>, <see cref="long"/> or <see cref="bool"/>.</typeparam>
    /// <returns>The matching scalar type.</returns>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is another type.</exception>
    internal static ScalarType Of<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return ScalarType.Float32;
        }
        if (typeof(T) == typeof(double))
        {
            return ScalarType.Float64;
        }
        if (typeof(T) == typeof(long))
        {
            return ScalarType.Int64;
        }
        if (typeof(T) == typeof(bool))
        {
            return ScalarType.Bool;
        }
        throw new NotSupportedException($"tensor element type {typeof(T).Name} is not supported; use float, double, long or bool");
    }
}
