using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace SerMlNet.Serving.Http;

/// <summary>
/// Admission of a WAV request body: its <c>Content-Type</c> and declared length are checked before a byte is read, then
/// the body is read into memory from the array pool (never to disk). Stateless; thread-safe.
/// </summary>
internal static class RequestBody
{
    private const int FirstBufferBytes = 64 * 1024;

    /// <summary>Refuses a request whose headers already show it cannot be served.</summary>
    /// <param name="request">The request.</param>
    /// <param name="maxBodyBytes">The body limit.</param>
    /// <exception cref="UnsupportedContentTypeException">The <c>Content-Type</c> is missing or not a WAV type.</exception>
    /// <exception cref="RequestBodyTooLargeException">The <c>Content-Length</c> is over the limit.</exception>
    public static void CheckHeaders(HttpRequest request, long maxBodyBytes)
    {
        string? contentType = request.ContentType;
        if (!WavContentTypes.IsAccepted(contentType))
        {
            throw new UnsupportedContentTypeException(string.IsNullOrWhiteSpace(contentType) ? null : contentType);
        }
        if (request.ContentLength is long declared && declared > maxBodyBytes)
        {
            throw new RequestBodyTooLargeException(maxBodyBytes, declared);
        }
    }

    /// <summary>Opens the body under the limits of <paramref name="options"/>.</summary>
    /// <param name="context">The request's context.</param>
    /// <param name="options">The limits.</param>
    /// <returns>The guarded body; dispose it when done.</returns>
    public static GuardedBodyStream Open(HttpContext context, ServeOptions options) =>
        new(context.Request.Body, options.MaxBodyBytes, options.ReadTimeout, context.RequestAborted);

    /// <summary>Reads the whole body into a buffer rented from <see cref="ArrayPool{T}.Shared"/>.</summary>
    /// <param name="context">The request's context (headers already checked).</param>
    /// <param name="options">The limits.</param>
    /// <returns>The body; dispose it to return the buffer.</returns>
    /// <exception cref="RequestRejectedException">A limit was broken (413, 408) or the body was malformed (400).</exception>
    public static async Task<PooledBytes> ReadAllAsync(HttpContext context, ServeOptions options)
    {
        await using GuardedBodyStream body = Open(context, options);
        long declared = context.Request.ContentLength ?? -1;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(declared >= 0 ? (int)Math.Min(declared + 1, options.MaxBodyBytes + 1) : FirstBufferBytes);
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, options.MaxBodyBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                int n = await body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                if (n == 0)
                {
                    return new PooledBytes(buffer, length);
                }
                length += n;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}

/// <summary>Bytes in a buffer rented from <see cref="ArrayPool{T}.Shared"/>, returned on dispose. Not thread-safe.</summary>
/// <param name="buffer">The rented buffer.</param>
/// <param name="length">How many of its bytes are the data.</param>
internal sealed class PooledBytes(byte[] buffer, int length) : IDisposable
{
    private byte[]? _buffer = buffer;

    /// <summary>The data.</summary>
    public ReadOnlyMemory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(PooledBytes))).AsMemory(0, length);

    /// <summary>The data as a read-only stream over the buffer (no copy).</summary>
    /// <returns>A seekable stream.</returns>
    public MemoryStream AsStream() => new(_buffer ?? throw new ObjectDisposedException(nameof(PooledBytes)), 0, length, writable: false);

    /// <summary>Number of bytes.</summary>
    public int Length => length;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buffer is { } b)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(b);
        }
    }
}
