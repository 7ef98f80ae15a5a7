using System.Runtime.InteropServices;
using System.Text.Json;
using SerMlNet.Tests;

namespace SerMlNet.Onnx.Tests;

/// <summary>Runs a model with ONNX Runtime for Node.js (npm onnxruntime-node, via Scripts/run-ort-node.js).</summary>
internal static class OrtNode
{
    private static string Script => Path.Combine(RepoPaths.Root, "tests", "SerMlNet.Onnx.Tests", "Scripts", "run-ort-node.js");

    /// <summary>The <c>probabilities</c> output for one batch.</summary>
    /// <param name="modelPath">The model.</param>
    /// <param name="input">The first input, row-major float32.</param>
    /// <param name="dims">Its shape, comma-separated.</param>
    /// <param name="lengths">The <c>lengths</c> input of end-to-end models; null for full rows.</param>
    /// <returns>Row-major <c>[N, classes]</c> probabilities.</returns>
    public static float[] Probabilities(string modelPath, float[] input, string dims, IReadOnlyList<long>? lengths = null)
    {
        string nodeModules = Path.Combine(RepoPaths.Root, "npm", "node_modules");
        Assert.True(Directory.Exists(Path.Combine(nodeModules, "onnxruntime-node")), $"onnxruntime-node is missing from {nodeModules}: run ./setup.sh (npm ci in npm/)");
        using TempFolder temp = RepoPaths.NewTempFolder();
        string inputPath = Path.Combine(temp.Path, "input.f32");
        File.WriteAllBytes(inputPath, MemoryMarshal.AsBytes(input.AsSpan()).ToArray());
        List<string> arguments = [Script, modelPath, inputPath, dims];
        if (lengths is not null)
        {
            arguments.Add(string.Join(',', lengths));
        }
        var (code, stdout, stderr) = ExternalProcess.Run("node", arguments, new Dictionary<string, string> { ["NODE_PATH"] = nodeModules });
        Assert.True(code == 0, $"onnxruntime-node failed on {modelPath} (exit {code}): {stderr.Trim()}");
        using JsonDocument result = JsonDocument.Parse(stdout);
        return [.. result.RootElement.GetProperty("probabilities").EnumerateArray().Select(e => e.GetSingle())];
    }
}
