using System.Runtime.InteropServices;

namespace SerMlNet.Torch.Interop;

/// <summary>Process-wide settings: seed, threads, grad mode, CUDA (<c>native/runtime.cpp</c>).</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial IntPtr ser_configure_allocator(out int applied);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_manual_seed(long seed);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_set_num_threads(int threads);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_get_num_threads(out int threads);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_set_grad_enabled(int enabled, out int previous);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_is_grad_enabled(out int enabled);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_cuda_info(out int built, out int devices);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr ser_torch_version(byte* buffer, int capacity);
}
