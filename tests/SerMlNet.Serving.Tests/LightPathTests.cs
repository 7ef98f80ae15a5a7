using System.Net;
using System.Reflection;

namespace SerMlNet.Serving.Tests;

/// <summary>The service runs on ONNX Runtime alone: serving requests loads no TorchSharp/libtorch, no training code, no ML.NET.</summary>
[Collection(ServiceCollection.Name)]
public sealed class LightPathTests(ServiceFixture fixture)
{
    [Fact]
    public async Task Serving_requests_loads_no_TorchSharp_training_or_ML_NET()
    {
        byte[] wav = await File.ReadAllBytesAsync(Clips.Angry48k);
        using (HttpResponseMessage r = await fixture.Client.PostAsync("v1/recognize", ServiceFixture.Wav(wav)))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        using (HttpResponseMessage r = await fixture.Client.PostAsync("v1/stream", ServiceFixture.Wav(wav)))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        string[] assemblies = [.. AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name!)];
        Assert.Contains("SerMlNet.Serving", assemblies);
        Assert.Contains("Microsoft.ML.OnnxRuntime", assemblies);
        Assert.Contains("Microsoft.AspNetCore.Server.Kestrel.Core", assemblies);
        Assert.DoesNotContain(assemblies, IsForbidden);

        // Native side: the process maps ONNX Runtime and no libtorch.
        string[] mapped = [.. File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length >= 6).Select(p => Path.GetFileName(p[5])).Distinct()];
        Assert.Contains("libonnxruntime.so", mapped);
        Assert.DoesNotContain(mapped, IsForbidden);
    }

    [Fact]
    public void The_serving_assembly_references_no_training_library()
    {
        AssemblyName[] references = typeof(EmotionService).Assembly.GetReferencedAssemblies();
        Assert.DoesNotContain(references, r => IsForbidden(r.Name!));
    }

    [Theory]
    [InlineData("TorchSharp", true)]
    [InlineData("libtorch_cpu.so", true)]
    [InlineData("libLibTorchSharp.so", true)]
    [InlineData("SerMlNet.Training", true)]
    [InlineData("Microsoft.ML", true)]
    [InlineData("Microsoft.ML.Data", true)]
    [InlineData("Microsoft.ML.OnnxRuntime", false)]
    [InlineData("libonnxruntime.so", false)]
    [InlineData("SerMlNet.Onnx", false)]
    public void The_forbidden_name_rule_tells_ml_net_from_onnx_runtime(string name, bool forbidden) => Assert.Equal(forbidden, IsForbidden(name));

    /// <summary>An assembly or native library of the training side (ONNX Runtime's Microsoft.ML.OnnxRuntime* are fine).</summary>
    internal static bool IsForbidden(string name) =>
        name.Contains("torch", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("SerMlNet.Training", StringComparison.Ordinal)
        || ((name == "Microsoft.ML" || name.StartsWith("Microsoft.ML.", StringComparison.Ordinal))
            && !name.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal));
}
