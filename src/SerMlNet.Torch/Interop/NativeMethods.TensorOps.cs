using System.Runtime.InteropServices;

namespace SerMlNet.Torch.Interop;

/// <summary>Elementwise arithmetic, reductions, reshaping, argmax (<c>native/tensor_ops.cpp</c>).</summary>
internal static unsafe partial class NativeMethods
{
    /// <summary>Binary operation codes of <c>ser_tensor_binary*</c>.</summary>
    internal enum BinaryOp
    {
        Add = 0,
        Sub = 1,
        Mul = 2,
        Div = 3,
        Pow = 4,
        Eq = 5,
    }

    /// <summary>Unary operation codes of <c>ser_tensor_unary</c>.</summary>
    internal enum UnaryOp
    {
        Neg = 0,
        Exp = 1,
        Log = 2,
        Sqrt = 3,
        Abs = 4,
        Square = 5,
        Tanh = 6,
        Sigmoid = 7,
    }

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_binary(TensorHandle a, TensorHandle b, BinaryOp op, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_binary_scalar(TensorHandle a, double b, BinaryOp op, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_scalar_binary(double a, TensorHandle b, BinaryOp op, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_unary(TensorHandle a, UnaryOp op, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_reduce(TensorHandle a, int kind, long* dims, int ndims, int keepdim, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_matmul(TensorHandle a, TensorHandle b, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_reshape(TensorHandle a, long* shape, int ndim, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_flatten(TensorHandle a, long startDim, long endDim, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_argmax(TensorHandle a, long dim, int keepdim, out TensorHandle result);
}
