namespace SerMlNet.Torch;

/// <summary>
/// A libtorch operation failed. <see cref="Exception.Message"/> is libtorch's own message (without its C++ backtrace),
/// e.g. <c>Given groups=1, weight of size [4, 3, 3, 3], expected input[1, 2, 8, 8] to have 3 channels, but got 2
/// channels instead</c>.
/// </summary>
public class TorchException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The native message.</param>
    public TorchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public TorchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A CUDA device was requested but cannot be used: the libtorch present was built without CUDA (Debian's
/// <c>libtorch-dev</c> is CPU-only), or the requested device index does not exist.
/// </summary>
public sealed class CudaUnavailableException : TorchException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why CUDA cannot be used.</param>
    /// <param name="builtWithCuda">Whether the loaded libtorch has CUDA support at all.</param>
    public CudaUnavailableException(string message, bool builtWithCuda)
        : base(message)
    {
        BuiltWithCuda = builtWithCuda;
    }

    /// <summary>False when the loaded libtorch was compiled without CUDA; true when it has CUDA but no usable device
    /// matched the request.</summary>
    public bool BuiltWithCuda { get; }
}
