namespace SerMlNet.Serving.Endpoints;

/// <summary>
/// Lets at most a fixed number of requests decode and score at once (<see cref="ServeOptions.MaxConcurrentScoring"/>);
/// the others wait, in arrival order, without holding a thread. Thread-safe.
/// </summary>
/// <param name="slots">How many at once; at least 1.</param>
internal sealed class ScoringGate(int slots) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(slots, slots);

    /// <summary>Runs CPU-bound work once a slot is free, on the calling thread.</summary>
    /// <typeparam name="T">The work's result.</typeparam>
    /// <param name="work">The work.</param>
    /// <param name="cancellationToken">Stops waiting for a slot (the client went away).</param>
    /// <returns>The work's result.</returns>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return work();
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();
}
