namespace SerMlNet.Serving.Http;

/// <summary>
/// A request the service refuses, with the status it answers (4xx, or 503 when it is busy): the base of the cases
/// below. The message is one line and becomes the <c>error</c> of the JSON reply.
/// </summary>
public abstract class RequestRejectedException : SerMlNetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="statusCode">The HTTP status of the reply, 4xx or 503.</param>
    /// <param name="message">What is wrong, in one line.</param>
    protected RequestRejectedException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status of the reply, 4xx or 503.</summary>
    public int StatusCode { get; }
}

/// <summary>415: the request's <c>Content-Type</c> is not a WAV type (see <see cref="WavContentTypes"/>).</summary>
/// <param name="contentType">The type sent, or null when none was.</param>
public sealed class UnsupportedContentTypeException(string? contentType)
    : RequestRejectedException(415, contentType is null
        ? $"the request has no Content-Type; send the WAV file as {WavContentTypes.Preferred}"
        : $"Content-Type '{contentType}' is not a WAV type; send the WAV file as {WavContentTypes.Preferred}");

/// <summary>413: the body is larger than <see cref="ServeOptions.MaxBodyBytes"/>.</summary>
/// <param name="limitBytes">The limit, in bytes.</param>
/// <param name="declaredBytes">The <c>Content-Length</c> sent, or null when the body was cut off while arriving.</param>
public sealed class RequestBodyTooLargeException(long limitBytes, long? declaredBytes)
    : RequestRejectedException(413, declaredBytes is long declared
        ? $"the body is {declared} bytes, over the limit of {limitBytes} bytes"
        : $"the body is over the limit of {limitBytes} bytes");

/// <summary>408: the body stopped arriving (no byte for <see cref="ServeOptions.ReadTimeout"/>, or too slow on average).</summary>
/// <param name="message">What timed out, in one line.</param>
public sealed class RequestBodyTimeoutException(string message) : RequestRejectedException(408, message);

/// <summary>400: the request is malformed in a way that is neither a bad WAV nor one of the cases above (bad query value, bad chunked encoding).</summary>
/// <param name="message">What is wrong, in one line.</param>
public sealed class BadServiceRequestException(string message) : RequestRejectedException(400, message);

/// <summary>503: every <c>/v1/stream</c> slot is taken (<see cref="ServeOptions.MaxConcurrentStreams"/>); the reply says to retry.</summary>
/// <param name="message">What is busy, in one line.</param>
public sealed class ServiceBusyException(string message) : RequestRejectedException(503, message);
