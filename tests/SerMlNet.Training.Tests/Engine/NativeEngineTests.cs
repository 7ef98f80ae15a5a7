using System.Text;
using SerMlNet.Training.Engine;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SerMlNet.Training.Tests.Engine;

/// <summary>Allocator and memory measurements run alone: a test class training beside them in the same process moved the page-fault count (12,425 faults for 12,288 pages in one full CI run, none when run alone).</summary>
[CollectionDefinition(nameof(NativeMemoryMeasurements), DisableParallelization = true)]
public sealed class NativeMemoryMeasurements;

/// <summary>The two facts of this machine the TorchSharp port handles: the libstdc++ version need and the allocator.</summary>
[Collection(nameof(NativeMemoryMeasurements))]
public sealed class NativeEngineTests(ITestOutputHelper output)
{
    private const string SystemLibStdCxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";

    [Fact]
    public void TheLoadedLibTorchSharpIsTheOutputFolderCopyWithItsGlibcxx3432NeedWeakWhereTheSystemLacksIt()
    {
        TorchEngine.EnsureInitialized();
        string loaded = MappedLibraries().Single(p => Path.GetFileName(p) == "libLibTorchSharp.so");
        output.WriteLine($"loaded: {loaded}");
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"), loaded);

        bool systemHasIt = File.ReadAllBytes(SystemLibStdCxx).AsSpan().IndexOf("GLIBCXX_3.4.32\0"u8) >= 0;
        (string File, ushort Flags) need = ElfVersionNeeds.Read(loaded).Single(n => n.Version == "GLIBCXX_3.4.32") is var v ? (v.File, v.Flags) : default;
        output.WriteLine($"system libstdc++ provides GLIBCXX_3.4.32: {systemHasIt}; the loaded copy needs it from {need.File} with flags 0x{need.Flags:x}");
        Assert.Equal("libstdc++.so.6", need.File);
        if (systemHasIt)
        {
            return;   // nothing to patch on this machine; the build leaves the file as shipped
        }
        // Why it loads: the one need the system cannot meet is weak (VER_FLG_WEAK = 2), so ld.so skips it...
        Assert.Equal(2, need.Flags & 2);
        // ...and every other version the file needs from libstdc++ is there.
        byte[] system = File.ReadAllBytes(SystemLibStdCxx);
        foreach ((string file, string version, ushort flags) in ElfVersionNeeds.Read(loaded).Where(n => n.File == "libstdc++.so.6" && (n.Flags & 2) == 0))
        {
            Assert.True(system.AsSpan().IndexOf(Encoding.ASCII.GetBytes(version + "\0")) >= 0, $"{version} is missing from {SystemLibStdCxx}");
        }
        // The NuGet cache keeps the package as shipped: only the output copy was patched.
        string cached = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (File.Exists(cached))
        {
            Assert.Equal(0, ElfVersionNeeds.Read(cached).Single(n => n.Version == "GLIBCXX_3.4.32").Flags & 2);
        }
    }

    [Fact]
    public void TheHeapKeptAllocatorIsInForceFreedTensorMemoryIsReusedWithoutPageFaults()
    {
        TorchEngine.EnsureInitialized();
        Assert.True(TorchEngine.HeapKeptAllocator, "mallopt(M_MMAP_THRESHOLD/M_TRIM_THRESHOLD) was not applied");
        // 40 MiB: above glibc's largest dynamic mmap threshold (32 MiB), so without the setting every allocation is a fresh
        // mapping and faults every page, every round. Measured in a process of its own (SerMlNet.Training.AllocatorProbe)
        // on a fresh thread: in this test host, threads of earlier tests have taken glibc's per-thread arenas, and a
        // measuring thread that shares one saw its block land in a new heap that glibc unmaps when it empties, setting or
        // not (12,289 and 12,383 faults for 12,288 pages in two of four runs). Even in a fresh arena the block does not
        // always fit the arena's first heap: in 9 probes on this machine, 5 had rounds that reused the memory (4 or 5
        // faults) and 4 had none in 3 to 5 rounds. So a probe runs 10 rounds and up to three probes run; the setting is in
        // force when any round reuses the memory, which glibc's defaults never do for a 40 MiB block.
        var rounds = new List<long[]>();
        for (int attempt = 0; attempt < 3 && !rounds.Any(r => r[0] < r[1] / 10); attempt++)
        {
            var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SerMlNet.Training.AllocatorProbe.dll"));
            using var probe = System.Diagnostics.Process.Start(psi)!;
            string stdout = probe.StandardOutput.ReadToEnd();
            string stderr = probe.StandardError.ReadToEnd();
            Assert.True(probe.WaitForExit(TimeSpan.FromMinutes(2)), "the allocator probe did not finish within 2 minutes");
            output.WriteLine($"probe {attempt + 1}: {stdout.ReplaceLineEndings(" ")}");
            Assert.True(probe.ExitCode == 0, $"exit {probe.ExitCode}: {stdout}{stderr}");
            long[][] lines = [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[2..].Select(long.Parse).ToArray())];
            Assert.Equal(10, lines.Length);
            Assert.All(lines, l => Assert.Equal(10L << 20, l[1] * Environment.SystemPageSize / sizeof(float)));
            rounds.AddRange(lines);
        }
        long best = rounds.Min(r => r[0]);
        Assert.True(best < rounds[0][1] / 10, $"{best} page faults for {rounds[0][1]} pages at best over {rounds.Count} rounds: freed memory went back to the kernel every time");
    }

    [Fact]
    public void TwoThreadTrainingStaysFiniteAndRepeatable()
    {
        // Regression test for oneDNN's AVX-512 kernels, which gave NaN weights within 3 to 28 steps of exactly this
        // loop at two threads on the project's machines (TorchEngine caps oneDNN at AVX2).
        Assert.Equal("AVX2", Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") ?? TorchEngine.OneDnnMaxCpuIsa);
        float[] first = TrainTinyNetwork(), second = TrainTinyNetwork();
        output.WriteLine($"losses after 10/20/40 steps: {first[9]:F4} {first[19]:F4} {first[39]:F4}");
        Assert.All(first, l => Assert.True(float.IsFinite(l), string.Join(" ", first)));
        Assert.Equal(first, second);
    }

    private static float[] TrainTinyNetwork()
    {
        TorchEngine.SetThreads(2);
        TorchEngine.ManualSeed(11);
        using var model = new SerMlNet.Training.Model.SerCnn(new SerMlNet.Training.Model.SerCnnOptions { InputMels = 32, InputFrames = 100, Channels = [4, 8], Dropout = 0.2 });
        using var optimizer = optim.AdamW(model.parameters(), lr: 3e-3, weight_decay: 5e-4);
        using Tensor x = randn(16, 1, 32, 100);
        using Tensor y = randint(0, 8, [16]);
        float[] losses = new float[40];
        for (int i = 0; i < losses.Length; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor loss = nn.functional.cross_entropy(model.forward(x), y, label_smoothing: 0.1);
            loss.backward();
            optimizer.step();
            losses[i] = loss.item<float>();
        }
        return losses;
    }

    [Fact]
    public void ResolvingCudaOnACpuBuildFailsInOneLineNamingThePackage()
    {
        var ex = Assert.Throws<TorchEngineException>(() => TorchEngine.ResolveDevice("cuda"));
        Assert.Contains("TorchSharp-cuda-linux", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(CPU, TorchEngine.ResolveDevice("cpu"));
        Assert.Throws<ArgumentException>(() => TorchEngine.ResolveDevice("tpu"));
    }

    private static IEnumerable<string> MappedLibraries() =>
        File.ReadLines("/proc/self/maps").Select(l => l.IndexOf('/') is int i and >= 0 ? l[i..] : null).OfType<string>().Distinct();
}

/// <summary>A reader of an ELF64 file's version needs (<c>.gnu.version_r</c>), independent of the build's patcher.</summary>
internal static class ElfVersionNeeds
{
    public static List<(string File, string Version, ushort Flags)> Read(string path)
    {
        byte[] elf = File.ReadAllBytes(path);
        Assert.True(elf.AsSpan(0, 4).SequenceEqual("\u007fELF"u8) && elf[4] == 2, $"{path} is not ELF64");
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int size = BitConverter.ToUInt16(elf, 0x3A), count = BitConverter.ToUInt16(elf, 0x3C);
        var needs = new List<(string, string, ushort)>();
        for (int i = 0; i < count; i++)
        {
            int sh = (int)(shoff + (i * size));
            if (BitConverter.ToUInt32(elf, sh + 4) != 0x6ffffffe)
            {
                continue;
            }
            int strtab = (int)BitConverter.ToInt64(elf, (int)(shoff + (BitConverter.ToUInt32(elf, sh + 40) * size)) + 24);
            int need = (int)BitConverter.ToInt64(elf, sh + 24);
            for (int n = 0; n < BitConverter.ToUInt32(elf, sh + 44); n++)
            {
                string file = Text(elf, strtab + (int)BitConverter.ToUInt32(elf, need + 4));
                int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (int a = 0; a < BitConverter.ToUInt16(elf, need + 2); a++)
                {
                    needs.Add((file, Text(elf, strtab + (int)BitConverter.ToUInt32(elf, aux + 8)), BitConverter.ToUInt16(elf, aux + 4)));
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                need += (int)BitConverter.ToUInt32(elf, need + 12);
            }
        }
        return needs;
    }

    private static string Text(byte[] data, int start) => Encoding.ASCII.GetString(data, start, Array.IndexOf(data, (byte)0, start) - start);
}
