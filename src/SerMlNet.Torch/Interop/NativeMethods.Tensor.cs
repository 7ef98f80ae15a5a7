using System.Runtime.InteropServices;

namespace SerMlNet.Torch.Interop;

/// <summary>Tensor lifetime, data, metadata, devices and autograd state (<c>native/tensor.cpp</c>).</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_free(IntPtr tensor);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_from_data(void* data, long count, int dtype, long* shape, int ndim, int deviceType, int deviceIndex, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_filled(long* shape, int ndim, int dtype, int fill, double value, int deviceType, int deviceIndex, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_randint(long low, long high, long* shape, int ndim, int deviceType, int deviceIndex, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_init_(TensorHandle tensor, int kind, double low, double high);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_ndim(TensorHandle tensor, out int ndim);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_shape(TensorHandle tensor, long* shape, int capacity);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_dtype(TensorHandle tensor, out int dtype);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_device(TensorHandle tensor, out int type, out int index);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_copy_to(TensorHandle tensor, void* data, long count, int dtype);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_copy_from(TensorHandle tensor, void* data, long count, int dtype);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_copy_(TensorHandle destination, TensorHandle source);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_item_double(TensorHandle tensor, out double value);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_item_int64(TensorHandle tensor, out long value);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_requires_grad(TensorHandle tensor, out int requiresGrad);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_set_requires_grad(TensorHandle tensor, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_backward(TensorHandle tensor, TensorHandle gradient);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_grad(TensorHandle tensor, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_clear_grad(TensorHandle tensor);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_detach(TensorHandle tensor, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_clone(TensorHandle tensor, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_alias(TensorHandle tensor, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_to(TensorHandle tensor, int deviceType, int deviceIndex, int dtype, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_tensor_set_data(TensorHandle tensor, TensorHandle source);
}
