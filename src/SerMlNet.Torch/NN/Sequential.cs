namespace SerMlNet.Torch.NN;

/// <summary>
/// Modules applied in order (PyTorch's <c>nn.Sequential</c>); children are named <c>0</c>, <c>1</c>, ... so
/// parameters read <c>3.weight</c>, or <c>features.3.weight</c> inside a parent.
/// </summary>
/// <remarks>Intermediate outputs are disposed as soon as the next module has consumed them (autograd keeps what it
/// needs natively), so a forward pass leaves only its result behind.</remarks>
public sealed class Sequential : Module
{
    private readonly List<Module> _modules = [];

    /// <summary>Creates the container.</summary>
    /// <param name="modules">The modules, in application order; owned (disposed) by the container.</param>
    public Sequential(params IEnumerable<Module> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (Module module in modules)
        {
            Add(module);
        }
    }

    /// <summary>Number of modules.</summary>
    public int Count => _modules.Count;

    /// <summary>The module at <paramref name="index"/>.</summary>
    /// <param name="index">Position, 0-based.</param>
    public Module this[int index] => _modules[index];

    /// <summary>Appends a module, named by its position.</summary>
    /// <param name="module">The module; owned by the container.</param>
    /// <returns>This container.</returns>
    public Sequential Add(Module module)
    {
        RegisterModule(_modules.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        _modules.Add(module);
        return this;
    }

    /// <summary>Applies every module in order.</summary>
    /// <param name="input">The input; not disposed.</param>
    /// <returns>The last module's output (a new tensor, also when the container is empty).</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_modules.Count == 0)
        {
            return input.Alias();
        }
        Tensor current = input;
        foreach (Module module in _modules)
        {
            Tensor next = module.Forward(current);
            if (!ReferenceEquals(current, input) && !ReferenceEquals(current, next))
            {
                current.Dispose();
            }
            current = next;
        }
        return current;
    }
}
