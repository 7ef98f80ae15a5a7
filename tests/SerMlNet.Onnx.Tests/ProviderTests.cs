using System.Runtime.InteropServices;
using SerMlNet.Onnx.Inference;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Onnx.Tests;

public sealed class ProviderTests(ITestOutputHelper output, ProviderTests.Model fixture) : IClassFixture<ProviderTests.Model>
{
    private const string ProviderLibrary = "libonnxruntime_providers_cuda.so";

    [NoCudaFact]
    public void Cuda_without_provider_or_cuda_libraries_throws_naming_what_is_missing()
    {
        var e = Assert.Throws<ExecutionProviderUnavailableException>(
            () => OnnxModel.Load(fixture.Path, new OnnxModelOptions { ExecutionProvider = ExecutionProvider.Cuda }));
        output.WriteLine(e.Message);
        Assert.Equal(ExecutionProvider.Cuda, e.Provider);
        Assert.NotEmpty(e.MissingComponents);
        foreach (string missing in e.MissingComponents)
        {
            Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        }

        // Check the report against independent evidence: the file system and ldd.
        string providerPath = Path.Combine(AppContext.BaseDirectory, ProviderLibrary);
        if (!File.Exists(providerPath))
        {
            Assert.Equal([ProviderLibrary], e.MissingComponents);
            Assert.Contains("./setup.sh --cuda", e.Message, StringComparison.Ordinal);
            return;
        }
        var (code, stdout, _) = ExternalProcess.Run("ldd", [providerPath]);
        Assert.Equal(0, code);
        string[] notFound = stdout.Split('\n')
            .Where(l => l.Contains("not found", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ')[0])
            .ToArray();
        Assert.NotEmpty(notFound); // no usable CUDA here, so the loader must miss something
        foreach (string library in notFound)
        {
            Assert.Contains(library, e.MissingComponents);
        }
        foreach (string library in e.MissingComponents)
        {
            Assert.False(NativeLibrary.TryLoad(library, out _), $"{library} is reported missing but loads");
        }
    }

    [NoCudaFact]
    public void Auto_falls_back_to_the_cpu_and_says_why()
    {
        var log = new List<string>();
        using OnnxModel auto = OnnxModel.Load(fixture.Path, new OnnxModelOptions { ExecutionProvider = ExecutionProvider.Auto, Log = log.Add });
        Assert.Equal(ExecutionProvider.Auto, auto.RequestedProvider);
        Assert.Equal(ExecutionProvider.Cpu, auto.Provider);
        Assert.NotNull(auto.ProviderFallbackReason);
        string firstMissing = CudaProviderProbe.Probe().Missing[0];
        Assert.Contains(firstMissing, auto.ProviderFallbackReason, StringComparison.Ordinal);
        string line = Assert.Single(log);
        Assert.Contains("falling back to the CPU", line, StringComparison.Ordinal);
        Assert.Contains(firstMissing, line, StringComparison.Ordinal);
        output.WriteLine(line);

        using OnnxModel cpu = OnnxModel.Load(fixture.Path);
        Assert.Null(cpu.ProviderFallbackReason);
        Assert.Equal(cpu.Predict(fixture.Input)[0].Probabilities, auto.Predict(fixture.Input)[0].Probabilities);
    }

    [CudaFact]
    public void Cuda_matches_the_cpu_provider()
    {
        using OnnxModel cuda = OnnxModel.Load(fixture.Path, new OnnxModelOptions { ExecutionProvider = ExecutionProvider.Cuda });
        using OnnxModel cpu = OnnxModel.Load(fixture.Path);
        Assert.Equal(ExecutionProvider.Cuda, cuda.Provider);
        IReadOnlyList<float> a = cuda.Predict(fixture.Input)[0].Probabilities, b = cpu.Predict(fixture.Input)[0].Probabilities;
        double worst = a.Zip(b, (x, y) => (double)Math.Abs(x - y)).Max();
        output.WriteLine($"max |CUDA - CPU| probability = {worst:E2}");
        Assert.True(worst <= 1e-4);
    }

    [Fact]
    public void Options_are_validated_all_at_once()
    {
        var e = Assert.Throws<OnnxValidationException>(() => OnnxModel.Load(fixture.Path, new OnnxModelOptions
        {
            ExecutionProvider = (ExecutionProvider)42,
            CudaDeviceId = -1,
            IntraOpThreads = -2,
        }));
        Assert.Equal(3, e.Errors.Count);
    }

    [Fact]
    public void Elf_reader_lists_the_libraries_libonnxruntime_links_against()
    {
        IReadOnlyList<string> needed = ElfDependencies.ReadNeeded(Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so"));
        var (code, stdout, _) = ExternalProcess.Run("readelf", ["-d", Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so")]);
        Assert.Equal(0, code);
        string[] expected = stdout.Split('\n')
            .Where(l => l.Contains("(NEEDED)", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf('[') + 1)..l.IndexOf(']')])
            .ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, needed);
        Assert.Throws<InvalidDataException>(() => ElfDependencies.ReadNeeded(fixture.Path));
    }

    public sealed class Model : IDisposable
    {
        private readonly TempFolder _folder = RepoPaths.NewTempFolder();

        public Model()
        {
            CnnDescription cnn = TestModels.SerCnnLike(seed: 4);
            Path = System.IO.Path.Combine(_folder.Path, "model.onnx");
            OnnxExporter.Export(cnn, TestModels.Options(), Path);
            Input = TestModels.Uniform(new Random(2), cnn.NMels * cnn.Frames, 2.0);
        }

        public string Path { get; }

        public float[] Input { get; }

        public void Dispose() => _folder.Dispose();
    }
}
