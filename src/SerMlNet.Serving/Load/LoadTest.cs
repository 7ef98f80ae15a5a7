using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace SerMlNet.Serving.Load;

/// <summary>
/// A small HTTP load client for the service (no <c>wrk</c> needed): <see cref="LoadTestOptions.Connections"/> workers,
/// each with one request in flight, post the same body until <see cref="LoadTestOptions.Requests"/> have been sent or
/// <see cref="LoadTestOptions.TimeLimit"/> has passed, and the latency of each (request sent to the reply's last byte
/// read) is kept in one preallocated array. Stateless; thread-safe.
/// </summary>
public static class LoadTest
{
    private const int MaxErrorSamples = 5;

    /// <summary>Runs the warm-up, then the timed requests.</summary>
    /// <param name="options">What to send; validated here.</param>
    /// <param name="cancellationToken">Stops the test (the result counts what finished).</param>
    /// <returns>Throughput, latency percentiles and errors.</returns>
    /// <exception cref="Audio.OptionsValidationException">A field of <paramref name="options"/> is invalid.</exception>
    public static async Task<LoadTestResult> RunAsync(LoadTestOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };
        using var client = new HttpClient(handler) { Timeout = options.RequestTimeout };
        var contentType = MediaTypeHeaderValue.Parse(options.ContentType);

        var warmUp = new Run(options.WarmUpRequests, options.Connections);
        await warmUp.ExecuteAsync(client, options, contentType, progress: null, cancellationToken).ConfigureAwait(false);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.TimeLimit);
        var timed = new Run(options.Requests, options.Connections);
        long start = Stopwatch.GetTimestamp();
        await timed.ExecuteAsync(client, options, contentType, options.Progress, limit.Token).ConfigureAwait(false);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        return timed.Summarise(elapsed, timedOut: limit.IsCancellationRequested && timed.Finished < options.Requests);
    }

    /// <summary>The value below which a fraction <paramref name="q"/> of the sorted values lie (nearest rank).</summary>
    /// <param name="sorted">Values in ascending order; not empty.</param>
    /// <param name="q">The fraction, in [0, 1].</param>
    /// <returns>The percentile.</returns>
    internal static double Percentile(ReadOnlySpan<double> sorted, double q)
    {
        int rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>One batch of requests: the counters and the latencies.</summary>
    private sealed class Run(int count, int connections)
    {
        private readonly double[] _latencyMs = new double[count];
        private readonly bool[] _ok = new bool[count];
        private readonly List<string> _errorSamples = [];
        private readonly Lock _progressLock = new();
        private int _next = -1;
        private int _finished;
        private int _errors;

        public int Finished => Volatile.Read(ref _finished);

        public Task ExecuteAsync(HttpClient client, LoadTestOptions options, MediaTypeHeaderValue contentType, Action<int, TimeSpan>? progress, CancellationToken cancellationToken)
        {
            long start = Stopwatch.GetTimestamp();
            var workers = new Task[Math.Min(connections, Math.Max(count, 1))];
            for (int w = 0; w < workers.Length; w++)
            {
                workers[w] = Task.Run(() => WorkAsync(client, options, contentType, progress, start, cancellationToken), CancellationToken.None);
            }
            return Task.WhenAll(workers);
        }

        private async Task WorkAsync(HttpClient client, LoadTestOptions options, MediaTypeHeaderValue contentType, Action<int, TimeSpan>? progress, long start, CancellationToken cancellationToken)
        {
            byte[] sink = new byte[16 * 1024];
            while (!cancellationToken.IsCancellationRequested)
            {
                int i = Interlocked.Increment(ref _next);
                if (i >= count)
                {
                    return;
                }
                long sent = Stopwatch.GetTimestamp();
                string? error = null;
                try
                {
                    using var content = new ReadOnlyMemoryContent(options.Body);
                    content.Headers.ContentType = contentType;
                    using HttpResponseMessage response = await client.PostAsync(options.Endpoint, content, cancellationToken).ConfigureAwait(false);
                    await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    while (await body.ReadAsync(sink, cancellationToken).ConfigureAwait(false) > 0)
                    {
                    }
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        error = $"HTTP {(int)response.StatusCode}";
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return; // the time limit: this request is not counted
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    error = $"{e.GetType().Name}: {e.Message}";
                }
                _latencyMs[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                if (error is null)
                {
                    _ok[i] = true;
                }
                else
                {
                    Interlocked.Increment(ref _errors);
                    lock (_errorSamples)
                    {
                        if (_errorSamples.Count < MaxErrorSamples)
                        {
                            _errorSamples.Add(error);
                        }
                    }
                }
                int finished = Interlocked.Increment(ref _finished);
                if (progress is not null && finished % options.ProgressEvery == 0)
                {
                    lock (_progressLock)
                    {
                        progress(finished, Stopwatch.GetElapsedTime(start));
                    }
                }
            }
        }

        public LoadTestResult Summarise(TimeSpan elapsed, bool timedOut)
        {
            var good = new List<double>(_finished);
            for (int i = 0; i < _latencyMs.Length; i++)
            {
                if (_ok[i])
                {
                    good.Add(_latencyMs[i]);
                }
            }
            good.Sort();
            double[] sorted = [.. good];
            bool any = sorted.Length > 0;
            return new LoadTestResult(
                _finished, _errors, [.. _errorSamples], elapsed, timedOut,
                any ? Percentile(sorted, 0.50) : double.NaN,
                any ? Percentile(sorted, 0.90) : double.NaN,
                any ? Percentile(sorted, 0.99) : double.NaN,
                any ? sorted[^1] : double.NaN,
                any ? good.Average() : double.NaN);
        }
    }
}
