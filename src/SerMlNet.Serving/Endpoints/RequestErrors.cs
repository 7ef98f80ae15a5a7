using Microsoft.AspNetCore.Http;
using SerMlNet.Audio.Wav;
using SerMlNet.Pipeline.Features;
using SerMlNet.Serving.Http;

namespace SerMlNet.Serving.Endpoints;

/// <summary>
/// Turns what a scoring endpoint throws into the service's reply: a <see cref="RequestRejectedException"/> its status
/// (408, 413, 415, 400; 503 with <c>Retry-After: 1</c>), a bad WAV (<see cref="WavFormatException"/>) or audio the model's pipeline refuses
/// (<see cref="SchemaMismatchException"/>) 400, a client that went away nothing, anything else 500 (logged: a fault of
/// the service, not of the request). Stateless; thread-safe.
/// </summary>
internal static class RequestErrors
{
    /// <summary>Runs an endpoint's work and answers its failure.</summary>
    /// <param name="http">The request's context.</param>
    /// <param name="service">The service.</param>
    /// <param name="work">The endpoint's work.</param>
    /// <returns>A task that completes when the reply is written.</returns>
    public static async Task Guard(HttpContext http, ServiceContext service, Func<Task> work)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (RequestRejectedException e)
        {
            if (e is ServiceBusyException && !http.Response.HasStarted)
            {
                http.Response.Headers.RetryAfter = "1";
            }
            await ErrorJson.WriteAsync(http, e.StatusCode, e.Message).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WavFormatException or SchemaMismatchException)
        {
            await ErrorJson.WriteAsync(http, StatusCodes.Status400BadRequest, e.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            service.Options.Log?.Invoke($"{http.Request.Method} {http.Request.Path}: {ErrorJson.OneLine(e.Message)} ({e.GetType().Name})");
            await ErrorJson.WriteAsync(http, StatusCodes.Status500InternalServerError, $"the service failed: {e.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>Reads the optional <c>top</c> query value.</summary>
    /// <param name="request">The request.</param>
    /// <returns>K, or null when absent.</returns>
    /// <exception cref="BadServiceRequestException">It is present but not a whole number of at least 1.</exception>
    public static int? Top(HttpRequest request)
    {
        if (!request.Query.TryGetValue("top", out var values))
        {
            return null;
        }
        string? text = values.ToString();
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int k) && k >= 1
            ? k
            : throw new BadServiceRequestException($"query 'top' must be a whole number of at least 1 (was '{text}')");
    }

    /// <summary>The name of the input: the <c>source</c> query value, default <c>request</c>.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The name (at most 256 characters).</returns>
    public static string Source(HttpRequest request)
    {
        string? source = request.Query.TryGetValue("source", out var values) ? values.ToString() : null;
        if (string.IsNullOrWhiteSpace(source))
        {
            return "request";
        }
        return source.Length <= 256 ? source : throw new BadServiceRequestException("query 'source' is longer than 256 characters");
    }
}
