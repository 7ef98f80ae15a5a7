using System.Runtime.InteropServices;
using System.Text.Json;
using SerMlNet.Tests;

namespace SerMlNet.Onnx.Tests;

/// <summary>Reads the librosa golden vectors in ../shared/golden (see its README: raw little-endian float32, row-major).</summary>
internal static class Golden
{
    /// <summary>The 16 log-Mel cases (constant and reflect padding) as (case id, JSON path relative to the golden folder).</summary>
    public static IEnumerable<(string Id, string Json)> LogMelCases()
    {
        using JsonDocument index = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Golden, "index.json")));
        foreach (JsonElement c in index.RootElement.GetProperty("cases").EnumerateArray())
        {
            string kind = c.GetProperty("kind").GetString()!;
            if (kind is "melspec_constant" or "melspec_reflect")
            {
                yield return (c.GetProperty("case_id").GetString()!, c.GetProperty("json").GetString()!);
            }
        }
    }

    /// <summary>Parses a case's JSON.</summary>
    public static JsonElement Load(string relativeJson) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Golden, relativeJson))).RootElement.Clone();

    /// <summary>Reads a .f32 file.</summary>
    public static float[] ReadF32(string relativePath) =>
        MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(RepoPaths.Golden, relativePath))).ToArray();

    /// <summary>The trimmed input signal a log-Mel case was computed from (<c>y[start:end]</c>).</summary>
    public static float[] TrimmedSignal(JsonElement melCase)
    {
        float[] y = ReadF32(melCase.GetProperty("input").GetProperty("signal_file").GetString()!);
        JsonElement trim = melCase.GetProperty("preprocessing").GetProperty("trim_index");
        int start = trim[0].GetInt32(), end = trim[1].GetInt32();
        return y[start..end];
    }
}
