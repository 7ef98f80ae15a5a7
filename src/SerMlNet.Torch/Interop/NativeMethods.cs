using System.Reflection;
using System.Runtime.InteropServices;

namespace SerMlNet.Torch.Interop;

/// <summary>
/// P/Invoke declarations of <c>libsermlnet_torch.so</c>, the C ABI shim under <c>native/</c>. One partial file per
/// C++ file (<c>tensor.cpp</c> ↔ <c>NativeMethods.Tensor.cs</c>). Entry points keep the shim's snake_case names; nothing
/// outside <c>Interop/</c> uses them directly. Every entry point returns a status pointer (zero = success) that must be
/// passed to <see cref="NativeStatus.Check"/>.
/// </summary>
internal static partial class NativeMethods
{
    /// <summary>Library name given to <c>LibraryImport</c>; resolved by <see cref="Resolve"/>.</summary>
    internal const string Library = "sermlnet_torch";

    private const string FileName = "libsermlnet_torch.so";

    static NativeMethods()
    {
        NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, Resolve);
        // Debian's libtorch starts with one intra-op thread; default to every core (or OMP_NUM_THREADS when set).
        // Keep freed tensor memory in the heap (see native/runtime.cpp): 2.4x faster training steps on 2 cores.
        try
        {
            FreeStatus(ser_set_num_threads(DefaultThreadCount()));
            FreeStatus(ser_configure_allocator(out _));
        }
        catch (DllNotFoundException)
        {
            // Reported again, with the loader's message, by the first real call.
        }
    }

    private static void FreeStatus(IntPtr status)
    {
        if (status != IntPtr.Zero)
        {
            ser_status_free(status);
        }
    }

    /// <summary>The intra-op thread count libtorch gets when the library is first used.</summary>
    /// <returns><c>OMP_NUM_THREADS</c> when it holds a positive integer, else <see cref="Environment.ProcessorCount"/>.</returns>
    internal static int DefaultThreadCount()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("OMP_NUM_THREADS");
        return int.TryParse(fromEnvironment, out int threads) && threads > 0 ? threads : Environment.ProcessorCount;
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Library)
        {
            return IntPtr.Zero;
        }
        string besideAssembly = Path.Combine(Path.GetDirectoryName(assembly.Location) ?? AppContext.BaseDirectory, FileName);
        string candidate = File.Exists(besideAssembly) ? besideAssembly : Path.Combine(AppContext.BaseDirectory, FileName);
        try
        {
            return NativeLibrary.Load(File.Exists(candidate) ? candidate : FileName, assembly, searchPath);
        }
        catch (DllNotFoundException ex)
        {
            throw new DllNotFoundException(
                $"{FileName} could not be loaded ({ex.Message}). Build SerMlNet.Torch (it compiles the shim with CMake) " +
                "and make sure libtorch is installed: run ./setup.sh.", ex);
        }
    }
}
