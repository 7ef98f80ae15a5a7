using Microsoft.ML.OnnxRuntime;
using SerMlNet.Audio.Io;

namespace SerMlNet.Onnx.Inference;

/// <summary>
/// The process-wide ONNX Runtime environment, created on first use with error-level logging (so warnings do not
/// clutter a console's output) and with ONNX Runtime's telemetry off, and the folder its native library was loaded
/// from. Thread-safe.
/// <para>Telemetry: the NuGet builds of ONNX Runtime 1.31 send usage events to Microsoft, on Linux too, and set up an
/// SQLite event store under <c>~/.cache/Microsoft/DeveloperTools/.onnxruntime</c> when the environment is created
/// (about 90 ms of a console's cold start, with several <c>fsync</c>s). ONNX Runtime reads its opt-out,
/// <c>ORT_DISABLE_TELEMETRY=1</c>, from the process environment at that moment, so on Linux this class sets it there
/// (libc <c>setenv</c>) before creating the environment, and also turns events off through the C API afterwards. A
/// user who sets <c>ORT_DISABLE_TELEMETRY</c> themselves (to any value, <c>0</c> to keep telemetry on) is left to
/// ONNX Runtime.</para>
/// </summary>
internal static class OrtRuntime
{
    /// <summary>ONNX Runtime's telemetry opt-out variable (<c>1</c> disables).</summary>
    public const string TelemetryOptOutVariable = "ORT_DISABLE_TELEMETRY";

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
                bool telemetryOff = Environment.GetEnvironmentVariable(TelemetryOptOutVariable) is null;
                if (telemetryOff)
                {
                    NativeEnvironment.SetIfUnset(TelemetryOptOutVariable, "1");
                }
                var options = new EnvironmentCreationOptions { logId = "SerMlNet", logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
                OrtEnv env = OrtEnv.CreateInstanceWithOptions(ref options);
                if (telemetryOff)
                {
                    env.DisableTelemetryEvents();
                }
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
