using SerMlNet.Audio.Resampling;

namespace SerMlNet.Onnx.Recognition;

/// <summary>One window cut from a stream: its samples at the model's rate and where they lie in the stream.</summary>
/// <param name="Index">Position of the window in the stream, 0 first.</param>
/// <param name="Start">First sample, counted from the start of the stream at the model's rate.</param>
/// <param name="Samples">The window's samples (<see cref="WindowPlan.Length"/> of them, or the whole stream when it is one window).</param>
internal readonly record struct StreamWindow(long Index, long Start, float[] Samples);

/// <summary>
/// Cuts a stream of mono samples into the windows of a <see cref="WindowPlan"/> as they complete: resamples each piece
/// to the model's rate (<see cref="StreamingResampler"/>, the whole-file resampler's output bit for bit), keeps only the
/// samples a coming window can still need (at most the last window length plus one hop and one piece), and hands out
/// each window as soon as its start and length are certain (<see cref="WindowPlan.SettledCount"/>); the end of the
/// stream settles the rest (the last window aligned to the end, or one window for a short stream). Not thread-safe.
/// </summary>
internal sealed class StreamWindower
{
    private readonly WindowPlan _plan;
    private readonly StreamingResampler _resampler;
    private float[] _buffer = new float[1 << 16];

    /// <summary>Stream index (at the model's rate) of <see cref="_buffer"/>[0].</summary>
    private long _origin;

    private int _count;
    private long _next;
    private bool _complete;

    /// <summary>Creates the windower.</summary>
    /// <param name="plan">Windows in samples at <paramref name="outputRate"/>.</param>
    /// <param name="inputRate">The stream's rate in Hz.</param>
    /// <param name="outputRate">The model's rate in Hz.</param>
    public StreamWindower(WindowPlan plan, int inputRate, int outputRate)
    {
        _plan = plan;
        _resampler = new StreamingResampler(inputRate, outputRate);
    }

    /// <summary>Samples received so far at the model's rate (all of them once <see cref="Complete"/> was called).</summary>
    public long Total => _origin + _count;

    /// <summary>Windows handed out so far.</summary>
    public long Taken => _next;

    /// <summary>Adds the next piece of the stream.</summary>
    /// <param name="input">Mono samples at the stream's rate.</param>
    public void Add(ReadOnlySpan<float> input)
    {
        Reserve(_resampler.GetMaxOutputLength(input.Length));
        _count += _resampler.Process(input, _buffer.AsSpan(_count));
    }

    /// <summary>Ends the stream: the resampler's last samples arrive and the remaining windows settle.</summary>
    public void Complete()
    {
        float[] rest = _resampler.Flush();
        Reserve(rest.Length);
        rest.CopyTo(_buffer, _count);
        _count += rest.Length;
        _complete = true;
    }

    /// <summary>The next settled window, if any.</summary>
    /// <param name="window">The window.</param>
    /// <returns>Whether one was settled.</returns>
    public bool TryTake(out StreamWindow window)
    {
        long total = Total;
        long settled = _complete ? (total == 0 ? 0 : _plan.Count(total)) : _plan.SettledCount(total);
        if (_next >= settled)
        {
            window = default;
            return false;
        }
        long start = _complete ? _plan.Start(_next, total) : _next * _plan.Hop;
        long end = _plan.IsSingle(total) ? total : start + _plan.Length;
        window = new StreamWindow(_next, start, _buffer.AsSpan((int)(start - _origin), (int)(end - start)).ToArray());
        _next++;
        Discard();
        return true;
    }

    /// <summary>Drops samples no coming window can need: before the next regular start and before the last window length.</summary>
    private void Discard()
    {
        long total = Total;
        long keepFrom = Math.Max(0, Math.Min(_next * _plan.Hop, total - _plan.Length));
        int drop = (int)Math.Min(keepFrom - _origin, _count);
        if (drop > 0)
        {
            Array.Copy(_buffer, drop, _buffer, 0, _count - drop);
            _count -= drop;
            _origin += drop;
        }
    }

    private void Reserve(int more)
    {
        Discard();
        if (_count + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_count + more, 2 * _buffer.Length));
        }
    }
}
