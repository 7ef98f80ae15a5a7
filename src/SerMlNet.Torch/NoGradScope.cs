using SerMlNet.Torch.Interop;

namespace SerMlNet.Torch;

/// <summary>
/// Turns autograd recording off on the calling thread until disposed (PyTorch's <c>torch.no_grad()</c>): evaluation
/// and inference run faster and keep no graph. Restores the previous mode on <see cref="Dispose"/>, so scopes nest.
/// </summary>
/// <remarks>libtorch's grad mode is per thread: create and dispose the scope on the same thread, and do not
/// <c>await</c> inside it.</remarks>
public sealed class NoGradScope : IDisposable
{
    private readonly bool _previous;
    private bool _disposed;

    /// <summary>Disables gradient recording on this thread.</summary>
    public NoGradScope()
    {
        NativeStatus.Check(NativeMethods.ser_set_grad_enabled(0, out int previous));
        _previous = previous != 0;
    }

    /// <summary>Restores the grad mode that was active when the scope was created. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        NativeStatus.Check(NativeMethods.ser_set_grad_enabled(_previous ? 1 : 0, out _));
    }
}
