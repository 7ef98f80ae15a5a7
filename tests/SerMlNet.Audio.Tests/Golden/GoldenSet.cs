using System.Runtime.InteropServices;
using System.Text.Json;
using SerMlNet.Tests;

namespace SerMlNet.Audio.Tests.Golden;

/// <summary>Reads the librosa reference vectors in ../shared/golden (see its README).</summary>
internal static class GoldenSet
{
    private static readonly Lazy<JsonElement> IndexLazy = new(() => Parse(Path.Combine(RepoPaths.Golden, "index.json")));

    /// <summary>Every case of index.json as (case id, kind, json path).</summary>
    public static IEnumerable<(string Id, string Kind, string Json)> Cases()
    {
        JsonElement cases = IndexLazy.Value.GetProperty("cases");
        if (cases.GetArrayLength() == 0)
        {
            throw new InvalidDataException("golden index.json lists no cases");
        }
        foreach (JsonElement c in cases.EnumerateArray())
        {
            yield return (c.GetProperty("case_id").GetString()!, c.GetProperty("kind").GetString()!, c.GetProperty("json").GetString()!);
        }
    }

    /// <summary>Loads the JSON of a case.</summary>
    public static JsonElement LoadCase(string jsonPath) => Parse(Path.Combine(RepoPaths.Golden, jsonPath));

    /// <summary>Reads a named array of a case, checking its size against the recorded shape.</summary>
    public static (int[] Shape, float[] Data) ReadArray(JsonElement caseJson, string name)
    {
        JsonElement a = caseJson.GetProperty("arrays").GetProperty(name);
        int[] shape = a.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        string file = Path.Combine(RepoPaths.Golden, a.GetProperty("file").GetString()!);
        byte[] bytes = File.ReadAllBytes(file);
        long count = shape.Aggregate(1L, (x, y) => x * y);
        Assert.Equal(count * 4, bytes.LongLength);
        return (shape, MemoryMarshal.Cast<byte, float>(bytes).ToArray());
    }

    /// <summary>The golden signal with this id.</summary>
    public static float[] ReadSignal(string signalId)
    {
        JsonElement json = LoadCase(Path.Combine("signals", $"signal_{signalId}.json"));
        return ReadArray(json, "signal").Data;
    }

    private static JsonElement Parse(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"golden file '{path}' is missing: tests need ../shared/golden", path);
        }
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.Clone();
    }
}
