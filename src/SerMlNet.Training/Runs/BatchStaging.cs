using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace SerMlNet.Training.Runs;

/// <summary>
/// Native CPU tensors that mini-batches are copied into, allocated once per run: <see cref="Example"/> is a view of a
/// float32 [capacity, 1, rows, columns] tensor's memory, <see cref="Labels"/> and <see cref="Speakers"/> of int64
/// [capacity] ones, so filling
/// a batch allocates nothing. Not thread-safe; one staging per training or evaluation loop.
/// </summary>
internal sealed class BatchStaging : IDisposable
{
    private readonly Tensor _features;
    private readonly Tensor _labels;
    private readonly Tensor _speakers;
    private readonly int _exampleSize;

    /// <summary>Allocates the staging tensors.</summary>
    /// <param name="capacity">Examples per batch, ≥ 1.</param>
    /// <param name="rows">Feature rows (Mel bands).</param>
    /// <param name="columns">Feature columns (frames).</param>
    public BatchStaging(int capacity, int rows, int columns)
    {
        Capacity = capacity;
        _exampleSize = rows * columns;
        _features = zeros([capacity, 1, rows, columns], ScalarType.Float32);
        _labels = zeros([capacity], ScalarType.Int64);
        _speakers = zeros([capacity], ScalarType.Int64);
    }

    /// <summary>Examples a batch can hold.</summary>
    public int Capacity { get; }

    /// <summary>The features of example <paramref name="index"/> of the batch, to fill.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="Capacity"/>.</param>
    /// <returns>rows × columns floats, row-major.</returns>
    public Span<float> Example(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Capacity, nameof(index));
        return MemoryMarshal.Cast<byte, float>(_features.bytes).Slice(index * _exampleSize, _exampleSize);
    }

    /// <summary>The class indices of the batch, to fill.</summary>
    public Span<long> Labels => MemoryMarshal.Cast<byte, long>(_labels.bytes);

    /// <summary>The speaker indices of the batch, to fill (read only by the speaker adversary).</summary>
    public Span<long> Speakers => MemoryMarshal.Cast<byte, long>(_speakers.bytes);

    /// <summary>The first <paramref name="count"/> examples as a [count, 1, rows, columns] tensor on a device (a view
    /// of the staging memory on the CPU, a copy elsewhere); dispose it, or create it inside a dispose scope.</summary>
    public Tensor Inputs(int count, Device device) => On(_features.narrow(0, 0, count), device);

    /// <summary>The first <paramref name="count"/> labels as an int64 [count] tensor on a device.</summary>
    public Tensor Targets(int count, Device device) => On(_labels.narrow(0, 0, count), device);

    /// <summary>The first <paramref name="count"/> speaker indices as an int64 [count] tensor on a device.</summary>
    public Tensor SpeakerTargets(int count, Device device) => On(_speakers.narrow(0, 0, count), device);

    /// <inheritdoc />
    public void Dispose()
    {
        _features.Dispose();
        _labels.Dispose();
        _speakers.Dispose();
    }

    private static Tensor On(Tensor view, Device device)
    {
        if (device.type == DeviceType.CPU)
        {
            return view;
        }
        using (view)
        {
            return view.to(device);
        }
    }
}
