using System.Runtime.InteropServices;

namespace SerMlNet.Torch.Interop;

/// <summary>Functional neural-network operations (<c>native/nn.cpp</c>). Optional tensors are passed as
/// <see cref="TensorHandle.Null"/>.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial IntPtr ser_conv2d(TensorHandle input, TensorHandle weight, TensorHandle bias, long* stride, long* padding, long* dilation, long groups, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_batch_norm(TensorHandle input, TensorHandle weight, TensorHandle bias, TensorHandle runningMean, TensorHandle runningVar, int training, double momentum, double eps, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_relu(TensorHandle input, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_max_pool2d(TensorHandle input, long* kernel, long* stride, long* padding, long* dilation, int ceilMode, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_avg_pool2d(TensorHandle input, long* kernel, long* stride, long* padding, int ceilMode, int countIncludePad, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_global_avg_pool2d(TensorHandle input, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_dropout(TensorHandle input, double p, int training, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_linear(TensorHandle input, TensorHandle weight, TensorHandle bias, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_softmax(TensorHandle input, long dim, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_log_softmax(TensorHandle input, long dim, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_cross_entropy(TensorHandle logits, TensorHandle target, TensorHandle weight, int reduction, long ignoreIndex, double labelSmoothing, out TensorHandle result);
}
