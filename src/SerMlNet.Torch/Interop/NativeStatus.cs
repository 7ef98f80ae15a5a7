using System.Runtime.InteropServices;

namespace SerMlNet.Torch.Interop;

/// <summary>
/// The one place a native status becomes an exception (ONNX Runtime's <c>NativeApiStatus.VerifySuccess</c>): a
/// non-zero status is read, always freed, and thrown as a <see cref="TorchException"/> carrying libtorch's message.
/// </summary>
internal static class NativeStatus
{
    /// <summary>Throws when <paramref name="status"/> reports a failure; frees it in every case.</summary>
    /// <param name="status">The status returned by a shim entry point.</param>
    /// <exception cref="TorchException">The native call failed.</exception>
    internal static void Check(IntPtr status)
    {
        if (status == IntPtr.Zero)
        {
            return;
        }
        string message;
        try
        {
            message = Marshal.PtrToStringUTF8(NativeMethods.ser_status_message(status)) ?? "(no message)";
        }
        finally
        {
            NativeMethods.ser_status_free(status);
        }
        throw new TorchException(message);
    }

    /// <summary>Checks <paramref name="status"/> and wraps the returned handle as a tensor.</summary>
    /// <param name="status">Status of the call that produced <paramref name="handle"/>.</param>
    /// <param name="handle">The result handle; disposed when the call failed.</param>
    /// <returns>The new tensor (registered with the current <see cref="DisposeScope"/>).</returns>
    internal static Tensor ToTensor(IntPtr status, TensorHandle handle) =>
        ToOptionalTensor(status, handle) ?? throw new TorchException("libsermlnet_torch returned no tensor where one was expected");

    /// <summary>Like <see cref="ToTensor"/> but a null handle (no tensor) becomes <see langword="null"/>.</summary>
    /// <param name="status">Status of the call that produced <paramref name="handle"/>.</param>
    /// <param name="handle">The result handle, possibly empty.</param>
    /// <returns>The tensor, or null.</returns>
    internal static Tensor? ToOptionalTensor(IntPtr status, TensorHandle handle)
    {
        if (status != IntPtr.Zero)
        {
            handle.Dispose();
            Check(status);
        }
        if (handle.IsInvalid)
        {
            handle.Dispose();
            return null;
        }
        return new Tensor(handle);
    }
}
