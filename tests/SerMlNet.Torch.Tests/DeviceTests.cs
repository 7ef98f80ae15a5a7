using SerMlNet.Torch;
using SerMlNet.Torch.NN;

namespace SerMlNet.Torch.Tests;

/// <summary>A fact that runs only where libtorch has CUDA and a GPU is present. If libtorch itself cannot be loaded
/// the test is not skipped: it runs and fails on the missing library.</summary>
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        bool available;
        try
        {
            available = LibTorch.IsCudaAvailable;
        }
        catch (DllNotFoundException)
        {
            available = true;
        }
        if (!available)
        {
            Skip = "needs a CUDA device and a libtorch built with CUDA (Debian's libtorch-dev is CPU-only)";
        }
    }
}

public sealed class DeviceTests
{
    [Fact]
    public void Cuda_request_on_a_cpu_only_libtorch_throws_the_typed_exception()
    {
        Assert.False(LibTorch.IsCudaBuilt, "this test describes the CPU-only Debian build; a CUDA build is covered by the GPU tests");
        Assert.False(LibTorch.IsCudaAvailable);
        Assert.Equal(0, LibTorch.CudaDeviceCount);
        Assert.Equal(Device.Cpu, Device.Best);

        CudaUnavailableException ex = Assert.Throws<CudaUnavailableException>(() => Tensor.Zeros([2], device: Device.Cuda()));
        Assert.Contains("built without CUDA", ex.Message);
        Assert.False(ex.BuiltWithCuda);
        using Tensor t = Tensor.Zeros([2]);
        Assert.Throws<CudaUnavailableException>(() => t.To(Device.Cuda()));
        using var linear = new Linear(2, 2);
        Assert.Throws<CudaUnavailableException>(() => linear.To(Device.Cuda(1)));
        Assert.IsAssignableFrom<TorchException>(ex);
    }

    [Fact]
    public void Device_names_and_validation()
    {
        Assert.Equal("cpu", Device.Cpu.ToString());
        Assert.Equal("cuda:1", Device.Cuda(1).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => Device.Cuda(-1));
        using var linear = new Linear(2, 2);
        Assert.Same(linear, linear.To(Device.Cpu));
    }

    [GpuFact]
    [Trait("Category", "GPU")]
    public void Training_step_on_cuda_matches_cpu()
    {
        using var scope = DisposeScope.Enter();
        LibTorch.ManualSeed(0);
        Tensor x = Tensor.Randn([4, 3]);
        using var cpu = new Linear(3, 2);
        using var gpu = new Linear(3, 2);
        gpu.LoadStateDict(cpu.StateDict());
        gpu.To(Device.Cuda());
        Assert.Equal(DeviceType.Cuda, gpu.Weight.Device.Type);
        Tensor expected = cpu.Forward(x);
        Tensor actual = gpu.Forward(x.To(Device.Cuda()));
        float[] e = expected.ToArray<float>(), a = actual.ToArray<float>();
        for (int i = 0; i < e.Length; i++)
        {
            Assert.Equal(e[i], a[i], 4);
        }
    }
}
