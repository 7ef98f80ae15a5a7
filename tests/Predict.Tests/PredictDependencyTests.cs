using System.Text.Json;

namespace SerMlNet.Predict.Tests;

/// <summary>
/// Predict is the light path: ONNX Runtime and the audio front end only. Its dependency manifest (JIT build) and its
/// Native AOT publish folder must hold nothing of the training side: TorchSharp/libtorch, the training engine, ML.NET.
/// </summary>
public sealed class PredictDependencyTests
{
    [Fact]
    public void The_jit_build_depends_on_no_training_library()
    {
        using JsonDocument deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Predict.deps.json")));
        string[] libraries = [.. deps.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name[..l.Name.IndexOf('/')])];
        Assert.Contains("SerMlNet.Onnx", libraries);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Managed", libraries);
        Assert.DoesNotContain(libraries, IsForbidden);

        // Every file the build ships: assemblies and native libraries of every library.
        string[] files =
        [
            .. deps.RootElement.GetProperty("targets").EnumerateObject().SelectMany(t => t.Value.EnumerateObject())
                .SelectMany(library => new[] { "runtime", "native" }
                    .Where(kind => library.Value.TryGetProperty(kind, out _))
                    .SelectMany(kind => library.Value.GetProperty(kind).EnumerateObject().Select(f => Path.GetFileName(f.Name)))),
        ];
        Assert.Contains("libonnxruntime.so", files);
        Assert.DoesNotContain(files, IsForbidden);
    }

    [Fact]
    public void The_native_aot_build_ships_only_the_executable_and_onnx_runtime()
    {
        _ = PredictProcess.Aot;
        string[] files = [.. Directory.EnumerateFiles(PredictProcess.AotFolder, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.DoesNotContain(files, IsForbidden);
        // No managed assemblies at all: everything is compiled into the executable.
        Assert.DoesNotContain(files, f => f.EndsWith(".dll", StringComparison.Ordinal));
        Assert.Contains("Predict", files);
        Assert.Contains("libonnxruntime.so", files);
        Assert.All(files.Where(f => f.EndsWith(".so", StringComparison.Ordinal)), f => Assert.StartsWith("libonnxruntime", f, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("TorchSharp", true)]
    [InlineData("TorchSharp-cpu", true)]
    [InlineData("libtorch-cpu-linux-x64", true)]
    [InlineData("libtorch.so", true)]
    [InlineData("libLibTorchSharp.so", true)]
    [InlineData("SerMlNet.Torch", true)]
    [InlineData("SerMlNet.Training.dll", true)]
    [InlineData("Microsoft.ML", true)]
    [InlineData("Microsoft.ML.dll", true)]
    [InlineData("Microsoft.ML.Data.dll", true)]
    [InlineData("Microsoft.ML.OnnxTransformer", true)]
    [InlineData("Microsoft.ML.OnnxRuntime", false)]
    [InlineData("Microsoft.ML.OnnxRuntime.Managed", false)]
    [InlineData("Microsoft.ML.OnnxRuntime.dll", false)]
    [InlineData("Microsoft.ML.OnnxRuntime.Gpu.Linux", false)]
    [InlineData("libonnxruntime.so", false)]
    [InlineData("SerMlNet.Onnx", false)]
    public void The_forbidden_name_rule_tells_ml_net_from_onnx_runtime(string name, bool forbidden) => Assert.Equal(forbidden, IsForbidden(name));

    /// <summary>A package, assembly or native library of the training side (ONNX Runtime's Microsoft.ML.OnnxRuntime* are fine).</summary>
    private static bool IsForbidden(string name) =>
        name.Contains("torch", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("SerMlNet.Training", StringComparison.Ordinal)
        || ((name == "Microsoft.ML" || name.StartsWith("Microsoft.ML.", StringComparison.Ordinal))
            && !name.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal));
}
