using Microsoft.ML.OnnxRuntime;

namespace SerMlNet.Onnx.Inference;

/// <summary>
/// The process-wide ONNX Runtime environment, created on first use with error-level logging (so warnings do not
/// clutter a console's output), and the folder its native library was loaded from. Thread-safe.
/// </summary>
internal static class OrtRuntime
{
    private static readonly object Gate = new();
    private static string? _nativeDirectory;

    /// <summary>Creates the environment unless something in the process already did; loads <c>libonnxruntime.so</c>.</summary>
    public static void EnsureEnvironment()
    {
        if (OrtEnv.IsCreated)
        {
            return;
        }
        lock (Gate)
        {
            if (!OrtEnv.IsCreated)
            {
                var options = new EnvironmentCreationOptions { logId = "SerMlNet", logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
                OrtEnv.CreateInstanceWithOptions(ref options);
            }
        }
    }

    /// <summary>
    /// The folder holding the loaded <c>libonnxruntime.so</c>: ONNX Runtime loads provider libraries
    /// (<c>libonnxruntime_providers_*.so</c>) from there. Read from <c>/proc/self/maps</c> on Linux; elsewhere, or if
    /// that fails, the application's base folder (where the build copies the library).
    /// </summary>
    public static string NativeDirectory
    {
        get
        {
            if (_nativeDirectory is not null)
            {
                return _nativeDirectory;
            }
            EnsureEnvironment();
            string? found = null;
            if (OperatingSystem.IsLinux())
            {
                try
                {
                    foreach (string line in File.ReadLines("/proc/self/maps"))
                    {
                        int slash = line.IndexOf('/');
                        if (slash < 0)
                        {
                            continue;
                        }
                        string file = line[slash..];
                        string name = Path.GetFileName(file);
                        if (name == "libonnxruntime.so" || name.StartsWith("libonnxruntime.so.", StringComparison.Ordinal))
                        {
                            found = Path.GetDirectoryName(file);
                            break;
                        }
                    }
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
            _nativeDirectory = found ?? AppContext.BaseDirectory;
            return _nativeDirectory;
        }
    }
}
