using Microsoft.AspNetCore.Http;

namespace SerMlNet.Serving.Http;

/// <summary>
/// A request body read under the service's limits: at most <see cref="ServeOptions.MaxBodyBytes"/> bytes in all, and no
/// wait longer than <see cref="ServeOptions.ReadTimeout"/> for the next bytes. Breaking a limit throws the
/// <see cref="RequestRejectedException"/> that names it (413, 408); Kestrel's own body errors (a malformed chunked
/// encoding, its minimum data rate) are turned into the same family. Read-only, forward-only, asynchronous only (Kestrel
/// forbids synchronous body reads). Not thread-safe: one reader at a time, as for any stream.
/// </summary>
internal sealed class GuardedBodyStream : Stream
{
    private readonly Stream _body;
    private readonly long _limit;
    private readonly TimeSpan _timeout;
    private readonly CancellationToken _aborted;
    private CancellationTokenSource _timer;
    private long _read;

    /// <summary>Wraps a request's body.</summary>
    /// <param name="body">The body (<see cref="HttpRequest.Body"/>).</param>
    /// <param name="limitBytes">Most bytes the body may hold.</param>
    /// <param name="readTimeout">Longest wait for the next bytes.</param>
    /// <param name="aborted">Cancelled when the client goes away (<see cref="HttpContext.RequestAborted"/>).</param>
    public GuardedBodyStream(Stream body, long limitBytes, TimeSpan readTimeout, CancellationToken aborted)
    {
        _body = body;
        _limit = limitBytes;
        _timeout = readTimeout;
        _aborted = aborted;
        _timer = CancellationTokenSource.CreateLinkedTokenSource(aborted);
    }

    /// <summary>Bytes read so far.</summary>
    public long BytesRead => _read;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        // Read at most one byte past the limit: enough to know the body is too large, never more.
        long room = _limit + 1 - _read;
        if (buffer.Length > room)
        {
            buffer = buffer[..(int)room];
        }
        if (_timer.IsCancellationRequested)
        {
            // The previous read finished just as its timer fired: start a fresh timer.
            _timer.Dispose();
            _timer = CancellationTokenSource.CreateLinkedTokenSource(_aborted);
        }
        _timer.CancelAfter(_timeout);
        int n;
        try
        {
            using CancellationTokenRegistration link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _timer);
            n = await _body.ReadAsync(buffer, _timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_aborted.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RequestBodyTimeoutException(
                $"the body stalled: no data for {_timeout.TotalSeconds:0.###} s after {_read} bytes");
        }
        catch (BadHttpRequestException e)
        {
            throw e.StatusCode switch
            {
                StatusCodes.Status408RequestTimeout => new RequestBodyTimeoutException($"the body arrived too slowly after {_read} bytes"),
                StatusCodes.Status413PayloadTooLarge => new RequestBodyTooLargeException(_limit, null),
                _ => new BadServiceRequestException($"the body could not be read: {e.Message}"),
            };
        }
        finally
        {
            _timer.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        _read += n;
        if (_read > _limit)
        {
            throw new RequestBodyTooLargeException(_limit, null);
        }
        return n;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("request bodies are read asynchronously");

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timer.Dispose();
        }
        base.Dispose(disposing);
    }
}
