using System.Globalization;

namespace SerMlNet.Serving.Load;

/// <summary>Resident memory of a process, from Linux's <c>/proc/&lt;pid&gt;/status</c>. Stateless; thread-safe.</summary>
public static class ProcessMemory
{
    /// <summary>The resident set size (<c>VmRSS</c>) of a process, in bytes.</summary>
    /// <param name="processId">The process.</param>
    /// <returns>Bytes, or null when the process or <c>/proc</c> cannot be read (not Linux, the process ended).</returns>
    public static long? ResidentBytes(int processId) => ReadKiB(processId, "VmRSS:");

    /// <summary>The peak resident set size (<c>VmHWM</c>) of a process, in bytes.</summary>
    /// <param name="processId">The process.</param>
    /// <returns>Bytes, or null when it cannot be read.</returns>
    public static long? PeakResidentBytes(int processId) => ReadKiB(processId, "VmHWM:");

    private static long? ReadKiB(int processId, string key)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    string[] parts = line[key.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return null;
    }
}
