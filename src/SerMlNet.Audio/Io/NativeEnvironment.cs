using System.Runtime.InteropServices;

namespace SerMlNet.Audio.Io;

/// <summary>
/// The C library's process environment, which native engines (ONNX Runtime, libtorch's oneDNN) read with
/// <c>getenv</c>. .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only .NET's own copy,
/// so settings meant for native code go through here. Linux (glibc) only: elsewhere, or if libc cannot be called, the
/// methods do nothing and report nothing set. Not synchronised with other threads that change the environment; call
/// it at start-up, before the native library reads the variable.
/// </summary>
public static partial class NativeEnvironment
{
    /// <summary>Sets a variable unless it is already set (in either environment).</summary>
    /// <param name="name">Variable name.</param>
    /// <param name="value">Value to set.</param>
    /// <returns>True when this call set it; false when it was already set or cannot be set here.</returns>
    public static bool SetIfUnset(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(name) is not null || Get(name) is not null)
        {
            return false;
        }
        try
        {
            return SetEnv(name, value, overwrite: 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>A variable as native code sees it.</summary>
    /// <param name="name">Variable name.</param>
    /// <returns>Its value, or null when unset or not readable here.</returns>
    public static string? Get(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        try
        {
            return Marshal.PtrToStringUTF8(GetEnv(name));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc.so.6", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);
}
