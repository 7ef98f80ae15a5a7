using System.Runtime.InteropServices;

namespace SerMlNet.Torch.Interop;

/// <summary>Status objects and the live-tensor counter (<c>native/status.cpp</c>).</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial IntPtr ser_status_message(IntPtr status);

    [LibraryImport(Library)]
    internal static partial void ser_status_free(IntPtr status);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_live_tensor_count(out long count);
}
