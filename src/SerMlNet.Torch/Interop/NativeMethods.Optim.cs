using System.Runtime.InteropServices;

namespace SerMlNet.Torch.Interop;

/// <summary>Adam / AdamW over torch::optim (<c>native/optim.cpp</c>).</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial IntPtr ser_optimizer_create(int kind, IntPtr* parameters, int count, double lr, double beta1, double beta2, double eps, double weightDecay, out OptimizerHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_optimizer_free(IntPtr optimizer);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_optimizer_step(OptimizerHandle optimizer);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_optimizer_zero_grad(OptimizerHandle optimizer);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_optimizer_set_lr(OptimizerHandle optimizer, double lr);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_optimizer_get_lr(OptimizerHandle optimizer, out double lr);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_optimizer_get_state(OptimizerHandle optimizer, int index, out long step, out TensorHandle expAvg, out TensorHandle expAvgSq);

    [LibraryImport(Library)]
    internal static partial IntPtr ser_optimizer_set_state(OptimizerHandle optimizer, int index, long step, TensorHandle expAvg, TensorHandle expAvgSq);
}
