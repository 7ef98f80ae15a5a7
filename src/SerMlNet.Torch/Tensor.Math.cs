using SerMlNet.Torch.Interop;
using BinaryOp = SerMlNet.Torch.Interop.NativeMethods.BinaryOp;
using UnaryOp = SerMlNet.Torch.Interop.NativeMethods.UnaryOp;

namespace SerMlNet.Torch;

/// <summary>Elementwise arithmetic (with broadcasting), reductions, reshaping and argmax. Every result is a new
/// tensor recorded by autograd where differentiable.</summary>
public sealed partial class Tensor
{
    private enum Reduction
    {
        Sum = 0,
        Mean = 1,
    }

    /// <summary>Elementwise sum with broadcasting.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    /// <returns>a + b.</returns>
    public static Tensor operator +(Tensor a, Tensor b) => Binary(a, b, BinaryOp.Add);

    /// <summary>Elementwise difference with broadcasting.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    /// <returns>a - b.</returns>
    public static Tensor operator -(Tensor a, Tensor b) => Binary(a, b, BinaryOp.Sub);

    /// <summary>Elementwise product with broadcasting.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    /// <returns>a * b.</returns>
    public static Tensor operator *(Tensor a, Tensor b) => Binary(a, b, BinaryOp.Mul);

    /// <summary>Elementwise quotient with broadcasting.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    /// <returns>a / b.</returns>
    public static Tensor operator /(Tensor a, Tensor b) => Binary(a, b, BinaryOp.Div);

    /// <summary>Adds a scalar to every element.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar.</param>
    /// <returns>a + b.</returns>
    public static Tensor operator +(Tensor a, double b) => Binary(a, b, BinaryOp.Add);

    /// <summary>Adds a scalar to every element.</summary>
    /// <param name="a">The scalar.</param>
    /// <param name="b">The tensor.</param>
    /// <returns>a + b.</returns>
    public static Tensor operator +(double a, Tensor b) => Binary(b, a, BinaryOp.Add);

    /// <summary>Subtracts a scalar from every element.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar.</param>
    /// <returns>a - b.</returns>
    public static Tensor operator -(Tensor a, double b) => Binary(a, b, BinaryOp.Sub);

    /// <summary>Subtracts every element from a scalar.</summary>
    /// <param name="a">The scalar.</param>
    /// <param name="b">The tensor.</param>
    /// <returns>a - b.</returns>
    public static Tensor operator -(double a, Tensor b) => Reversed(a, b, BinaryOp.Sub);

    /// <summary>Multiplies every element by a scalar.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar.</param>
    /// <returns>a * b.</returns>
    public static Tensor operator *(Tensor a, double b) => Binary(a, b, BinaryOp.Mul);

    /// <summary>Multiplies every element by a scalar.</summary>
    /// <param name="a">The scalar.</param>
    /// <param name="b">The tensor.</param>
    /// <returns>a * b.</returns>
    public static Tensor operator *(double a, Tensor b) => Binary(b, a, BinaryOp.Mul);

    /// <summary>Divides every element by a scalar.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar.</param>
    /// <returns>a / b.</returns>
    public static Tensor operator /(Tensor a, double b) => Binary(a, b, BinaryOp.Div);

    /// <summary>Divides a scalar by every element.</summary>
    /// <param name="a">The scalar.</param>
    /// <param name="b">The tensor.</param>
    /// <returns>a / b.</returns>
    public static Tensor operator /(double a, Tensor b) => Reversed(a, b, BinaryOp.Div);

    /// <summary>Negates every element.</summary>
    /// <param name="a">The tensor.</param>
    /// <returns>-a.</returns>
    public static Tensor operator -(Tensor a) => Unary(a, UnaryOp.Neg);

    /// <summary>Elementwise power.</summary>
    /// <param name="exponent">The exponent.</param>
    /// <returns>this ^ exponent.</returns>
    public Tensor Pow(double exponent) => Binary(this, exponent, BinaryOp.Pow);

    /// <summary>Elementwise power with a tensor of exponents (broadcast).</summary>
    /// <param name="exponent">The exponents.</param>
    /// <returns>this ^ exponent.</returns>
    public Tensor Pow(Tensor exponent) => Binary(this, exponent, BinaryOp.Pow);

    /// <summary>Elementwise equality (broadcast).</summary>
    /// <param name="other">The other tensor.</param>
    /// <returns>A Bool tensor.</returns>
    public Tensor Eq(Tensor other) => Binary(this, other, BinaryOp.Eq);

    /// <summary>Elementwise e^x.</summary>
    /// <returns>The result.</returns>
    public Tensor Exp() => Unary(this, UnaryOp.Exp);

    /// <summary>Elementwise natural logarithm.</summary>
    /// <returns>The result.</returns>
    public Tensor Log() => Unary(this, UnaryOp.Log);

    /// <summary>Elementwise square root.</summary>
    /// <returns>The result.</returns>
    public Tensor Sqrt() => Unary(this, UnaryOp.Sqrt);

    /// <summary>Elementwise absolute value.</summary>
    /// <returns>The result.</returns>
    public Tensor Abs() => Unary(this, UnaryOp.Abs);

    /// <summary>Elementwise square.</summary>
    /// <returns>The result.</returns>
    public Tensor Square() => Unary(this, UnaryOp.Square);

    /// <summary>Elementwise hyperbolic tangent.</summary>
    /// <returns>The result.</returns>
    public Tensor Tanh() => Unary(this, UnaryOp.Tanh);

    /// <summary>Elementwise logistic sigmoid 1 / (1 + e^-x).</summary>
    /// <returns>The result.</returns>
    public Tensor Sigmoid() => Unary(this, UnaryOp.Sigmoid);

    /// <summary>Sum of all elements.</summary>
    /// <returns>A scalar tensor (Int64 for integer and Bool inputs).</returns>
    public Tensor Sum() => Reduce(Reduction.Sum, [], false);

    /// <summary>Sum over <paramref name="dims"/>.</summary>
    /// <param name="dims">Dimensions to reduce (negative counts from the end); at least one.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1.</param>
    /// <returns>The reduced tensor.</returns>
    public Tensor Sum(ReadOnlySpan<long> dims, bool keepDim = false) => Reduce(Reduction.Sum, NonEmpty(dims), keepDim);

    /// <summary>Mean of all elements.</summary>
    /// <returns>A scalar tensor.</returns>
    public Tensor Mean() => Reduce(Reduction.Mean, [], false);

    /// <summary>Mean over <paramref name="dims"/>.</summary>
    /// <param name="dims">Dimensions to reduce (negative counts from the end); at least one.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1.</param>
    /// <returns>The reduced tensor.</returns>
    public Tensor Mean(ReadOnlySpan<long> dims, bool keepDim = false) => Reduce(Reduction.Mean, NonEmpty(dims), keepDim);

    /// <summary>Matrix product with PyTorch's <c>matmul</c> broadcasting rules.</summary>
    /// <param name="other">Right operand.</param>
    /// <returns>this @ other.</returns>
    public Tensor MatMul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return NativeStatus.ToTensor(NativeMethods.ser_tensor_matmul(Handle, other.Handle, out TensorHandle result), result);
    }

    /// <summary>The same elements with a new shape (a view when possible).</summary>
    /// <param name="shape">New sizes; one may be -1 (inferred).</param>
    /// <returns>The reshaped tensor.</returns>
    public unsafe Tensor Reshape(ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape)
        {
            return NativeStatus.ToTensor(NativeMethods.ser_tensor_reshape(Handle, s, shape.Length, out TensorHandle result), result);
        }
    }

    /// <summary>Merges dimensions <paramref name="startDim"/>..<paramref name="endDim"/> into one.</summary>
    /// <param name="startDim">First dimension to merge (default 1, keeping the batch dimension).</param>
    /// <param name="endDim">Last dimension to merge (default -1, the last).</param>
    /// <returns>E.g. [N, C, H, W] → [N, C·H·W] with the defaults.</returns>
    public Tensor Flatten(long startDim = 1, long endDim = -1) =>
        NativeStatus.ToTensor(NativeMethods.ser_tensor_flatten(Handle, startDim, endDim, out TensorHandle result), result);

    /// <summary>Index of the largest element along <paramref name="dim"/> (first one on ties).</summary>
    /// <param name="dim">The dimension (default -1, the last: class scores of [N, C] logits).</param>
    /// <param name="keepDim">Keep the reduced dimension with size 1.</param>
    /// <returns>An Int64 tensor, e.g. [N] for [N, C] input.</returns>
    public Tensor ArgMax(long dim = -1, bool keepDim = false) =>
        NativeStatus.ToTensor(NativeMethods.ser_tensor_argmax(Handle, dim, keepDim ? 1 : 0, out TensorHandle result), result);

    private static Tensor Binary(Tensor a, Tensor b, BinaryOp op)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return NativeStatus.ToTensor(NativeMethods.ser_tensor_binary(a.Handle, b.Handle, op, out TensorHandle result), result);
    }

    private static Tensor Binary(Tensor a, double b, BinaryOp op)
    {
        ArgumentNullException.ThrowIfNull(a);
        return NativeStatus.ToTensor(NativeMethods.ser_tensor_binary_scalar(a.Handle, b, op, out TensorHandle result), result);
    }

    private static Tensor Reversed(double a, Tensor b, BinaryOp op)
    {
        ArgumentNullException.ThrowIfNull(b);
        return NativeStatus.ToTensor(NativeMethods.ser_tensor_scalar_binary(a, b.Handle, op, out TensorHandle result), result);
    }

    private static Tensor Unary(Tensor a, UnaryOp op)
    {
        ArgumentNullException.ThrowIfNull(a);
        return NativeStatus.ToTensor(NativeMethods.ser_tensor_unary(a.Handle, op, out TensorHandle result), result);
    }

    private static ReadOnlySpan<long> NonEmpty(ReadOnlySpan<long> dims)
    {
        if (dims.IsEmpty)
        {
            throw new ArgumentException("at least one dimension is required; use the overload without dims to reduce everything", nameof(dims));
        }
        return dims;
    }

    private unsafe Tensor Reduce(Reduction kind, ReadOnlySpan<long> dims, bool keepDim)
    {
        fixed (long* d = dims)
        {
            return NativeStatus.ToTensor(NativeMethods.ser_tensor_reduce(Handle, (int)kind, d, dims.Length, keepDim ? 1 : 0, out TensorHandle result), result);
        }
    }
}
