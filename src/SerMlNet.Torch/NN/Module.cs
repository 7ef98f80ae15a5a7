using SerMlNet.Torch.Serialization;

namespace SerMlNet.Torch.NN;

/// <summary>A tensor with its hierarchical name in a module tree, e.g. <c>features.0.weight</c>.</summary>
/// <param name="Name">Dot-separated path, as PyTorch's <c>named_parameters()</c>.</param>
/// <param name="Tensor">The tensor, owned by the module: do not dispose it.</param>
public readonly record struct NamedTensor(string Name, Tensor Tensor);

/// <summary>
/// Base of every layer and model (PyTorch's <c>nn.Module</c>): named parameters (trainable, RequiresGrad), named
/// buffers (state such as batch-norm running statistics), child modules, a training/evaluation mode and a state dict.
/// Names are hierarchical as in PyTorch: a <see cref="Conv2d"/> at position 0 of a <see cref="Sequential"/> registered
/// as <c>features</c> owns <c>features.0.weight</c> and <c>features.0.bias</c>.
/// </summary>
/// <remarks>
/// Not thread-safe: one training loop per module. Disposing a module frees its parameters, buffers and children.
/// Parameters and buffers are never owned by a <see cref="DisposeScope"/>, so modules may be built inside one.
/// </remarks>
public abstract class Module : IDisposable
{
    private readonly List<NamedTensor> _parameters = [];
    private readonly List<NamedTensor> _buffers = [];
    private readonly List<(string Name, Module Module)> _children = [];
    private bool _disposed;

    /// <summary>True in training mode (the default): dropout drops, batch norm uses and updates batch statistics.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Direct children with their local names, in registration order.</summary>
    public IReadOnlyList<(string Name, Module Module)> Children => _children;

    /// <summary>Total number of trainable scalars.</summary>
    public long ParameterCount
    {
        get
        {
            long count = 0;
            foreach (NamedTensor parameter in NamedParameters())
            {
                count += parameter.Tensor.ElementCount;
            }
            return count;
        }
    }

    /// <summary>Computes the module's output.</summary>
    /// <param name="input">The input batch; never disposed or modified by the module.</param>
    /// <returns>A new tensor owned by the caller (or the current <see cref="DisposeScope"/>).</returns>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Sets training (true) or evaluation (false) mode on this module and every descendant.</summary>
    /// <param name="training">The mode; default true.</param>
    /// <returns>This module.</returns>
    public Module Train(bool training = true)
    {
        IsTraining = training;
        foreach ((_, Module child) in _children)
        {
            child.Train(training);
        }
        return this;
    }

    /// <summary>Evaluation mode (<c>Train(false)</c>): deterministic forward passes for validation and inference.</summary>
    /// <returns>This module.</returns>
    public Module Eval() => Train(false);

    /// <summary>Every parameter of this module and its descendants with its hierarchical name: own parameters first,
    /// then each child's in registration order (PyTorch's order).</summary>
    /// <returns>The parameters (owned by the module).</returns>
    public IReadOnlyList<NamedTensor> NamedParameters()
    {
        return Collect(buffers: false, parameters: true);
    }

    /// <summary>Every buffer of this module and its descendants with its hierarchical name.</summary>
    /// <returns>The buffers (owned by the module).</returns>
    public IReadOnlyList<NamedTensor> NamedBuffers()
    {
        return Collect(buffers: true, parameters: false);
    }

    /// <summary>The parameters in <see cref="NamedParameters"/> order, e.g. for an optimiser.</summary>
    /// <returns>The parameters (owned by the module).</returns>
    public IReadOnlyList<Tensor> Parameters()
    {
        IReadOnlyList<NamedTensor> named = NamedParameters();
        var result = new Tensor[named.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = named[i].Tensor;
        }
        return result;
    }

    /// <summary>Drops every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (NamedTensor parameter in NamedParameters())
        {
            parameter.Tensor.ClearGrad();
        }
    }

    /// <summary>Copies every parameter and buffer, in PyTorch's <c>state_dict()</c> order (per module: parameters,
    /// buffers, then children), to managed float32 arrays.</summary>
    /// <returns>A state dict independent of the module.</returns>
    public StateDict StateDict()
    {
        List<NamedTensor> all = Collect(buffers: true, parameters: true);
        var dict = new StateDict();
        foreach ((string name, Tensor tensor) in all)
        {
            dict.Add(new StateDictEntry(name, tensor.Shape, tensor.ToFloat32Array()));
        }
        return dict;
    }

    /// <summary>Copies values from <paramref name="stateDict"/> into the parameters and buffers in place.</summary>
    /// <param name="stateDict">Values by hierarchical name.</param>
    /// <param name="strict">When true (default), every name must match exactly in both directions.</param>
    /// <exception cref="InvalidDataException">Missing or unexpected names, or shape mismatches; every problem is listed
    /// and nothing is copied.</exception>
    public void LoadStateDict(StateDict stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        List<NamedTensor> all = Collect(buffers: true, parameters: true);
        var problems = new List<string>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, Tensor tensor) in all)
        {
            known.Add(name);
            if (!stateDict.TryGetValue(name, out StateDictEntry? entry))
            {
                if (strict)
                {
                    problems.Add($"missing '{name}'");
                }
                continue;
            }
            long[] shape = tensor.Shape;
            if (!shape.AsSpan().SequenceEqual(entry.Shape))
            {
                problems.Add($"'{name}' has shape [{string.Join(", ", entry.Shape.ToArray())}] but the module expects [{string.Join(", ", shape)}]");
            }
        }
        if (strict)
        {
            foreach (StateDictEntry entry in stateDict)
            {
                if (!known.Contains(entry.Name))
                {
                    problems.Add($"unexpected '{entry.Name}'");
                }
            }
        }
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"state dict does not fit {GetType().Name}: {string.Join("; ", problems)}");
        }
        foreach ((string name, Tensor tensor) in all)
        {
            if (!stateDict.TryGetValue(name, out StateDictEntry? entry))
            {
                continue;
            }
            if (tensor.ScalarType == ScalarType.Float32 && tensor.Device.Type == DeviceType.Cpu)
            {
                tensor.CopyFrom<float>(entry.Values);
            }
            else
            {
                using Tensor source = Tensor.From<float>(entry.Values, entry.Shape);
                tensor.CopyFrom(source);
            }
        }
    }

    /// <summary>Writes <see cref="StateDict()"/> to <paramref name="path"/> atomically (see
    /// <see cref="Serialization.StateDict.Save"/>).</summary>
    /// <param name="path">Destination file; replaced if present.</param>
    public void Save(string path) => StateDict().Save(path);

    /// <summary>Loads weights written by <see cref="Save"/> (strict names and shapes).</summary>
    /// <param name="path">A state dict file.</param>
    public void Load(string path) => LoadStateDict(Serialization.StateDict.Load(path));

    /// <summary>Moves every parameter and buffer to <paramref name="device"/> in place (names and optimiser
    /// references stay valid if done before creating the optimiser).</summary>
    /// <param name="device">Target device.</param>
    /// <returns>This module.</returns>
    /// <exception cref="CudaUnavailableException">CUDA was requested and cannot be used.</exception>
    public Module To(Device device)
    {
        device.EnsureAvailable();
        List<NamedTensor> all = Collect(buffers: true, parameters: true);
        foreach ((_, Tensor tensor) in all)
        {
            if (tensor.Device != device)
            {
                using Tensor moved = tensor.To(device);
                tensor.SetData(moved);
            }
        }
        return this;
    }

    /// <summary>Frees the parameters, buffers and children. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach ((_, Tensor tensor) in _parameters)
        {
            tensor.Dispose();
        }
        foreach ((_, Tensor tensor) in _buffers)
        {
            tensor.Dispose();
        }
        foreach ((_, Module child) in _children)
        {
            child.Dispose();
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>Adds a trainable parameter; the module takes ownership and sets RequiresGrad.</summary>
    /// <param name="name">Local name without dots, unique in this module (e.g. <c>weight</c>).</param>
    /// <param name="tensor">A leaf tensor.</param>
    /// <returns><paramref name="tensor"/>.</returns>
    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        CheckName(name);
        tensor.DetachFromDisposeScope();
        tensor.RequiresGrad = true;
        _parameters.Add(new NamedTensor(name, tensor));
        return tensor;
    }

    /// <summary>Adds a buffer (state saved in the state dict but not trained); the module takes ownership.</summary>
    /// <param name="name">Local name without dots, unique in this module (e.g. <c>running_mean</c>).</param>
    /// <param name="tensor">The tensor.</param>
    /// <returns><paramref name="tensor"/>.</returns>
    protected Tensor RegisterBuffer(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        CheckName(name);
        tensor.DetachFromDisposeScope();
        _buffers.Add(new NamedTensor(name, tensor));
        return tensor;
    }

    /// <summary>Adds a child module; its parameters are named <c>{name}.{child name}</c>.</summary>
    /// <typeparam name="T">The module type.</typeparam>
    /// <param name="name">Local name without dots, unique in this module (e.g. <c>features</c> or <c>0</c>).</param>
    /// <param name="module">The child; disposed with this module.</param>
    /// <returns><paramref name="module"/>.</returns>
    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name);
        module.Train(IsTraining);
        _children.Add((name, module));
        return module;
    }

    private void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}': local names cannot contain '.'", nameof(name));
        }
        bool taken = _parameters.Exists(p => p.Name == name) || _buffers.Exists(b => b.Name == name) || _children.Exists(c => c.Name == name);
        if (taken)
        {
            throw new ArgumentException($"'{name}' is already registered in {GetType().Name}", nameof(name));
        }
    }

    private List<NamedTensor> Collect(bool buffers, bool parameters)
    {
        var all = new List<NamedTensor>();
        Collect(string.Empty, all, buffers, parameters);
        return all;
    }

    private void Collect(string prefix, List<NamedTensor> into, bool buffers, bool parameters)
    {
        if (parameters)
        {
            foreach ((string name, Tensor tensor) in _parameters)
            {
                into.Add(new NamedTensor(prefix + name, tensor));
            }
        }
        if (buffers)
        {
            foreach ((string name, Tensor tensor) in _buffers)
            {
                into.Add(new NamedTensor(prefix + name, tensor));
            }
        }
        foreach ((string name, Module child) in _children)
        {
            child.Collect(prefix + name + ".", into, buffers, parameters);
        }
    }
}
