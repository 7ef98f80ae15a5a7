using SerMlNet.Torch.Interop;

namespace SerMlNet.Torch.NN;

/// <summary>Pooling.</summary>
public static partial class Functional
{
    /// <summary>2-D max pooling.</summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <param name="kernelSize">Window (height, width).</param>
    /// <param name="stride">Step (height, width); default the kernel size.</param>
    /// <param name="padding">Implicit −∞ padding (height, width); default (0, 0).</param>
    /// <param name="dilation">Window dilation; default (1, 1).</param>
    /// <param name="ceilMode">Round output sizes up instead of down.</param>
    /// <returns>[N, C, H_out, W_out]; with kernel 2 and default stride, H_out = ⌊H / 2⌋.</returns>
    public static unsafe Tensor MaxPool2d(Tensor input, (long Height, long Width) kernelSize, (long Height, long Width)? stride = null,
        (long Height, long Width)? padding = null, (long Height, long Width)? dilation = null, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        long* k = stackalloc long[2];
        long* s = stackalloc long[2];
        long* p = stackalloc long[2];
        long* d = stackalloc long[2];
        Pair(k, kernelSize);
        Pair(s, stride ?? kernelSize);
        Pair(p, padding ?? (0, 0));
        Pair(d, dilation ?? (1, 1));
        IntPtr status = NativeMethods.ser_max_pool2d(input.Handle, k, s, p, d, ceilMode ? 1 : 0, out TensorHandle result);
        return NativeStatus.ToTensor(status, result);
    }

    /// <summary>2-D average pooling.</summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <param name="kernelSize">Window (height, width).</param>
    /// <param name="stride">Step (height, width); default the kernel size.</param>
    /// <param name="padding">Zero padding (height, width); default (0, 0).</param>
    /// <param name="ceilMode">Round output sizes up instead of down.</param>
    /// <param name="countIncludePad">Count padded zeros in the average (default true, as PyTorch).</param>
    /// <returns>[N, C, H_out, W_out].</returns>
    public static unsafe Tensor AvgPool2d(Tensor input, (long Height, long Width) kernelSize, (long Height, long Width)? stride = null,
        (long Height, long Width)? padding = null, bool ceilMode = false, bool countIncludePad = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        long* k = stackalloc long[2];
        long* s = stackalloc long[2];
        long* p = stackalloc long[2];
        Pair(k, kernelSize);
        Pair(s, stride ?? kernelSize);
        Pair(p, padding ?? (0, 0));
        IntPtr status = NativeMethods.ser_avg_pool2d(input.Handle, k, s, p, ceilMode ? 1 : 0, countIncludePad ? 1 : 0, out TensorHandle result);
        return NativeStatus.ToTensor(status, result);
    }

    /// <summary>Global average pooling: the mean of each channel over height and width (ONNX's
    /// <c>GlobalAveragePool</c> followed by a flatten).</summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <returns>[N, C].</returns>
    public static Tensor GlobalAvgPool2d(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return NativeStatus.ToTensor(NativeMethods.ser_global_avg_pool2d(input.Handle, out TensorHandle result), result);
    }
}
