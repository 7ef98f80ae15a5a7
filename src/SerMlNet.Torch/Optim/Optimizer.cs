using System.Globalization;
using SerMlNet.Torch.Interop;
using SerMlNet.Torch.Serialization;

namespace SerMlNet.Torch.Optim;

/// <summary>
/// A gradient-descent optimiser over a fixed list of parameters, implemented natively (libtorch's
/// <c>torch::optim</c>): <see cref="Step"/> updates every parameter in one native call. The learning rate can be
/// changed between steps (see <see cref="LearningRateSchedule"/>); the per-parameter state can be saved for
/// checkpoints with <see cref="StateDict"/>.
/// </summary>
/// <remarks>Not thread-safe. The optimiser keeps its own native references to the parameters, so it stays valid
/// while the module is alive; dispose it with the training run.</remarks>
public abstract class Optimizer : IDisposable
{
    private readonly OptimizerHandle _handle;

    private protected unsafe Optimizer(int kind, IEnumerable<Tensor> parameters, AdamHyperParameters hyper)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Tensor[] list = [.. parameters];
        if (list.Length == 0)
        {
            throw new ArgumentException("an optimiser needs at least one parameter", nameof(parameters));
        }
        var added = new bool[list.Length];
        IntPtr[] raw = new IntPtr[list.Length];
        try
        {
            for (int i = 0; i < list.Length; i++)
            {
                ArgumentNullException.ThrowIfNull(list[i], nameof(parameters));
                list[i].Handle.DangerousAddRef(ref added[i]);
                raw[i] = list[i].Handle.DangerousGetHandle();
            }
            fixed (IntPtr* p = raw)
            {
                IntPtr status = NativeMethods.ser_optimizer_create(kind, p, raw.Length, hyper.LearningRate, hyper.Beta1, hyper.Beta2, hyper.Epsilon, hyper.WeightDecay, out OptimizerHandle handle);
                if (status != IntPtr.Zero)
                {
                    handle.Dispose();
                    NativeStatus.Check(status);
                }
                _handle = handle;
            }
        }
        finally
        {
            for (int i = 0; i < list.Length; i++)
            {
                if (added[i])
                {
                    list[i].Handle.DangerousRelease();
                }
            }
        }
        ParameterCount = list.Length;
    }

    /// <summary>Number of parameter tensors being optimised.</summary>
    public int ParameterCount { get; }

    /// <summary>The learning rate used by the next <see cref="Step"/> (≥ 0).</summary>
    public double LearningRate
    {
        get
        {
            NativeStatus.Check(NativeMethods.ser_optimizer_get_lr(Handle, out double lr));
            return lr;
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            NativeStatus.Check(NativeMethods.ser_optimizer_set_lr(Handle, value));
        }
    }

    private OptimizerHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>Updates every parameter that has a gradient, in one native call.</summary>
    public void Step() => NativeStatus.Check(NativeMethods.ser_optimizer_step(Handle));

    /// <summary>Drops every parameter's gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>); call before each
    /// backward pass.</summary>
    public void ZeroGrad() => NativeStatus.Check(NativeMethods.ser_optimizer_zero_grad(Handle));

    /// <summary>The per-parameter state for a checkpoint: for parameter i (in construction order) the entries
    /// <c>{i}.step</c> (shape [], the update count as float32, exact below 2^24), <c>{i}.exp_avg</c> and
    /// <c>{i}.exp_avg_sq</c> (parameter-shaped moments); parameters never updated have no entries. Also
    /// <c>lr</c> (shape []).</summary>
    /// <returns>A managed copy.</returns>
    public StateDict StateDict()
    {
        var dict = new StateDict();
        dict.Add(new StateDictEntry("lr", [], [(float)LearningRate]));
        for (int i = 0; i < ParameterCount; i++)
        {
            IntPtr status = NativeMethods.ser_optimizer_get_state(Handle, i, out long step, out TensorHandle expAvg, out TensorHandle expAvgSq);
            using Tensor? first = NativeStatus.ToOptionalTensor(status, expAvg);
            using Tensor? second = NativeStatus.ToOptionalTensor(IntPtr.Zero, expAvgSq);
            if (first is null || second is null)
            {
                continue;
            }
            string prefix = i.ToString(CultureInfo.InvariantCulture);
            dict.Add(new StateDictEntry(prefix + ".step", [], [step]));
            dict.Add(new StateDictEntry(prefix + ".exp_avg", first.Shape, first.ToFloat32Array()));
            dict.Add(new StateDictEntry(prefix + ".exp_avg_sq", second.Shape, second.ToFloat32Array()));
        }
        return dict;
    }

    /// <summary>Restores state saved by <see cref="StateDict"/> (same parameters, same order), including the
    /// learning rate.</summary>
    /// <param name="state">The saved state.</param>
    /// <exception cref="InvalidDataException">An entry is missing or does not fit.</exception>
    public void LoadStateDict(StateDict state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.TryGetValue("lr", out StateDictEntry? lr))
        {
            LearningRate = lr.Values[0];
        }
        for (int i = 0; i < ParameterCount; i++)
        {
            string prefix = i.ToString(CultureInfo.InvariantCulture);
            if (!state.TryGetValue(prefix + ".step", out StateDictEntry? step))
            {
                continue;
            }
            if (!state.TryGetValue(prefix + ".exp_avg", out StateDictEntry? first) || !state.TryGetValue(prefix + ".exp_avg_sq", out StateDictEntry? second))
            {
                throw new InvalidDataException($"optimiser state for parameter {i} is incomplete");
            }
            using Tensor expAvg = Tensor.From<float>(first.Values, first.Shape);
            using Tensor expAvgSq = Tensor.From<float>(second.Values, second.Shape);
            try
            {
                NativeStatus.Check(NativeMethods.ser_optimizer_set_state(Handle, i, (long)step.Values[0], expAvg.Handle, expAvgSq.Handle));
            }
            catch (TorchException ex)
            {
                throw new InvalidDataException($"optimiser state for parameter {i}: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Frees the native optimiser (not the parameters). Idempotent.</summary>
    public void Dispose()
    {
        _handle.Dispose();
        GC.SuppressFinalize(this);
    }
}
