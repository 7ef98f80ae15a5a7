namespace SerMlNet.Serving.Endpoints;

/// <summary>
/// Lets at most a fixed number of requests in at once: <see cref="RunAsync{T}"/> makes the others wait without holding a
/// thread (decoding and scoring, <see cref="ServeOptions.MaxConcurrentScoring"/>); <see cref="TryEnter"/> turns them away
/// (streams, <see cref="ServeOptions.MaxConcurrentStreams"/>). Thread-safe.
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

    /// <summary>Takes a slot if one is free, without waiting.</summary>
    /// <returns>True when a slot was taken; give it back with <see cref="Exit"/>.</returns>
    public bool TryEnter() => _slots.Wait(0);

    /// <summary>Gives back a slot taken by <see cref="TryEnter"/>.</summary>
    public void Exit() => _slots.Release();

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();
}
