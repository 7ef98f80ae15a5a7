using SerMlNet.Torch;

namespace SerMlNet.Torch.Tests;

/// <summary>Stable <see cref="Tensor.LiveCount"/> baselines: tensors other tests dropped without disposing are freed by
/// finalisers at arbitrary times, so a baseline is taken only after every pending finaliser has run.</summary>
internal static class LiveTensors
{
    /// <summary>Collects garbage, runs pending finalisers, and returns the live native tensor count.</summary>
    public static long Baseline()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return Tensor.LiveCount;
    }
}
