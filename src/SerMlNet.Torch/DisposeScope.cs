namespace SerMlNet.Torch;

/// <summary>
/// Frees, when disposed, every tensor created on this thread while it was the innermost scope (TorchSharp's
/// <c>torch.NewDisposeScope()</c>). Use one per training step so activations and gradients are released at once
/// instead of waiting for the garbage collector:
/// <code>
/// using (DisposeScope.Enter())
/// {
///     Tensor loss = Functional.CrossEntropy(model.Forward(x), y);
///     loss.Backward();
///     optimizer.Step();
///     lastLoss = loss.Item&lt;float&gt;();
/// }
/// </code>
/// A tensor that must outlive the scope is taken out with <see cref="Tensor.MoveToOuterDisposeScope"/> or
/// <see cref="Tensor.DetachFromDisposeScope"/>. Module parameters and buffers are never owned by a scope.
/// </summary>
/// <remarks>
/// Scopes nest per thread and must end on the thread that entered them, innermost first; ending an outer scope also
/// ends any inner scope left open. Registration is thread-safe (a tensor made on one thread may be disposed on another),
/// but a scope only collects tensors created on its own thread.
/// </remarks>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic]
    private static DisposeScope? t_current;

    private readonly DisposeScope? _outer;
    private readonly HashSet<Tensor> _tensors = new(ReferenceEqualityComparer.Instance);
    private readonly int _threadId;
    private bool _disposed;

    private DisposeScope(DisposeScope? outer)
    {
        _outer = outer;
        _threadId = Environment.CurrentManagedThreadId;
    }

    /// <summary>The innermost open scope of the calling thread, or null.</summary>
    public static DisposeScope? Current => t_current;

    /// <summary>Number of tensors this scope will dispose.</summary>
    public int Count
    {
        get
        {
            lock (_tensors)
            {
                return _tensors.Count;
            }
        }
    }

    /// <summary>Opens a scope that becomes the calling thread's innermost one.</summary>
    /// <returns>The scope; dispose it (with <c>using</c>) to free its tensors.</returns>
    public static DisposeScope Enter()
    {
        var scope = new DisposeScope(t_current);
        t_current = scope;
        return scope;
    }

    /// <summary>Disposes every tensor still owned by this scope (and by inner scopes left open), then makes the
    /// enclosing scope current again. Idempotent.</summary>
    /// <exception cref="InvalidOperationException">Called on another thread than the one that entered the scope.</exception>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        if (Environment.CurrentManagedThreadId != _threadId)
        {
            throw new InvalidOperationException("a DisposeScope must be disposed on the thread that entered it");
        }
        while (t_current is { } inner && inner != this && inner.IsInside(this))
        {
            inner.Dispose();
        }
        _disposed = true;
        if (t_current == this)
        {
            t_current = _outer;
        }
        Tensor[] owned;
        lock (_tensors)
        {
            owned = [.. _tensors];
            _tensors.Clear();
        }
        foreach (Tensor tensor in owned)
        {
            tensor.Scope = null;
            tensor.Dispose();
        }
    }

    /// <summary>Adds a new tensor to the calling thread's innermost scope, if any.</summary>
    /// <param name="tensor">The tensor just created.</param>
    internal static void Register(Tensor tensor)
    {
        DisposeScope? scope = t_current;
        if (scope is null)
        {
            return;
        }
        lock (scope._tensors)
        {
            scope._tensors.Add(tensor);
        }
        tensor.Scope = scope;
    }

    /// <summary>Stops owning <paramref name="tensor"/> (it was disposed or detached).</summary>
    /// <param name="tensor">A tensor of this scope.</param>
    internal void Forget(Tensor tensor)
    {
        lock (_tensors)
        {
            _tensors.Remove(tensor);
        }
        tensor.Scope = null;
    }

    /// <summary>Hands <paramref name="tensor"/> to the enclosing scope (or to no scope).</summary>
    /// <param name="tensor">A tensor of this scope.</param>
    internal void MoveToOuter(Tensor tensor)
    {
        Forget(tensor);
        DisposeScope? outer = _outer;
        while (outer is { _disposed: true })
        {
            outer = outer._outer;
        }
        if (outer is null)
        {
            return;
        }
        lock (outer._tensors)
        {
            outer._tensors.Add(tensor);
        }
        tensor.Scope = outer;
    }

    private bool IsInside(DisposeScope ancestor)
    {
        for (DisposeScope? scope = _outer; scope is not null; scope = scope._outer)
        {
            if (scope == ancestor)
            {
                return true;
            }
        }
        return false;
    }
}
