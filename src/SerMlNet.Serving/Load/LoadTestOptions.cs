using SerMlNet.Audio;

namespace SerMlNet.Serving.Load;

/// <summary>
/// A bounded load test of one endpoint: the same body posted <see cref="Requests"/> times over
/// <see cref="Connections"/> concurrent connections, stopped early at <see cref="TimeLimit"/>. Validated once by
/// <see cref="Validate"/> (which <see cref="LoadTest.RunAsync"/> calls). Immutable; thread-safe.
/// </summary>
public sealed record LoadTestOptions
{
    /// <summary>The URL posted to, e.g. <c>http://127.0.0.1:5080/v1/recognize</c>. Required; http or https.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The request body (a WAV image), sent unchanged every time. Required, not empty.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The body's <c>Content-Type</c>; default <c>audio/wav</c>.</summary>
    public string ContentType { get; init; } = "audio/wav";

    /// <summary>Timed requests, in [1, 10,000,000]; default 10,000.</summary>
    public int Requests { get; init; } = 10_000;

    /// <summary>Requests in flight at once (one connection each), in [1, 1024]; default 4.</summary>
    public int Connections { get; init; } = 4;

    /// <summary>Untimed requests sent first (JIT, ONNX Runtime kernels, connection set-up), in [0, 1,000,000]; default 100.</summary>
    public int WarmUpRequests { get; init; } = 100;

    /// <summary>Wall-clock bound of the timed part, in (0, 24 h]; default 10 min. Requests not finished by then are not counted.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Time limit of one request, in (0, 10 min]; default 30 s. A request over it counts as an error.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Calls <see cref="Progress"/> after every this many timed requests, in [1, 10,000,000]; default 1,000.</summary>
    public int ProgressEvery { get; init; } = 1_000;

    /// <summary>Receives the number of timed requests finished and the time since the timed part began; default null. Called from worker threads, one call at a time.</summary>
    public Action<int, TimeSpan>? Progress { get; init; }

    /// <summary>Checks every field and reports all problems at once.</summary>
    /// <exception cref="OptionsValidationException">One or more fields are invalid.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(LoadTestOptions));
        errors.Require(Endpoint is { IsAbsoluteUri: true } && (Endpoint.Scheme == Uri.UriSchemeHttp || Endpoint.Scheme == Uri.UriSchemeHttps), $"Endpoint must be an absolute http(s) URL (was '{Endpoint}')");
        errors.Require(!Body.IsEmpty, "Body must not be empty");
        errors.Require(!string.IsNullOrWhiteSpace(ContentType), "ContentType is required");
        errors.Require(Requests is >= 1 and <= 10_000_000, $"Requests must be in [1, 10000000] (was {Requests})");
        errors.Require(Connections is >= 1 and <= 1024, $"Connections must be in [1, 1024] (was {Connections})");
        errors.Require(WarmUpRequests is >= 0 and <= 1_000_000, $"WarmUpRequests must be in [0, 1000000] (was {WarmUpRequests})");
        errors.Require(TimeLimit > TimeSpan.Zero && TimeLimit <= TimeSpan.FromHours(24), $"TimeLimit must be in (0, 24 h] (was {TimeLimit})");
        errors.Require(RequestTimeout > TimeSpan.Zero && RequestTimeout <= TimeSpan.FromMinutes(10), $"RequestTimeout must be in (0, 10 min] (was {RequestTimeout})");
        errors.Require(ProgressEvery is >= 1 and <= 10_000_000, $"ProgressEvery must be in [1, 10000000] (was {ProgressEvery})");
        errors.ThrowIfAny();
    }
}

/// <summary>What a load test measured. Immutable; thread-safe.</summary>
/// <param name="Requests">Timed requests that finished (successfully or not) within the time limit.</param>
/// <param name="Errors">Of those, the ones that failed: a status other than 200, a transport error, or a request timeout.</param>
/// <param name="ErrorSamples">Up to 5 one-line descriptions of errors, first ones first.</param>
/// <param name="Elapsed">Wall time of the timed part.</param>
/// <param name="TimedOut">Whether the time limit stopped the test before every request was sent.</param>
/// <param name="P50Ms">Median latency of the successful requests, ms (send to last byte of the reply).</param>
/// <param name="P90Ms">90th percentile latency, ms.</param>
/// <param name="P99Ms">99th percentile latency, ms.</param>
/// <param name="MaxMs">Slowest successful request, ms.</param>
/// <param name="MeanMs">Mean latency, ms.</param>
public sealed record LoadTestResult(
    int Requests, int Errors, IReadOnlyList<string> ErrorSamples, TimeSpan Elapsed, bool TimedOut,
    double P50Ms, double P90Ms, double P99Ms, double MaxMs, double MeanMs)
{
    /// <summary>Sustained throughput: finished requests per second of the timed part.</summary>
    public double RequestsPerSecond => Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;
}
