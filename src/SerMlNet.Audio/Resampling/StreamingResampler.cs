namespace SerMlNet.Audio.Resampling;

/// <summary>
/// <see cref="Resampler"/> for a signal that arrives in pieces: the same filter and the same output, bit for bit, as
/// <see cref="Resampler.Process(ReadOnlySpan{float})"/> on the whole signal (each output sample is computed from the
/// same taps with the same arithmetic: the outputs a piece completes go through the same blocked kernel, which gives an
/// output the same bits in a block of four or alone), while holding only the last <c>2 × reach + 1</c> input samples plus the piece
/// being processed (reach: about 60 input samples for 48 → 16 kHz). An output sample is produced as soon as every input
/// sample its taps need has arrived, so output lags input by about <see cref="Resampler.TapsPerOutput"/> / 2 input
/// samples; <see cref="Flush"/> ends the signal (zeros after it, as the whole-signal resampler assumes) and returns the
/// rest. Not thread-safe (one instance per stream).
/// </summary>
public sealed class StreamingResampler
{
    private readonly Resampler _resampler;
    private readonly int _reach;
    private readonly int _taps;
    private readonly double[] _scratch;
    private readonly double[] _samples;
    private float[] _buffer;

    /// <summary>Padded index of <see cref="_buffer"/>[0].</summary>
    private long _origin;

    /// <summary>Valid values in <see cref="_buffer"/>.</summary>
    private int _count;

    private long _nextOutput;
    private bool _flushed;

    /// <summary>Creates a streaming resampler.</summary>
    /// <param name="inputRate">Input sample rate in Hz; positive.</param>
    /// <param name="outputRate">Output sample rate in Hz; positive.</param>
    public StreamingResampler(int inputRate, int outputRate)
    {
        _resampler = new Resampler(inputRate, outputRate);
        _reach = _resampler.Reach;
        _taps = _resampler.TapsPerOutput;
        _scratch = new double[_taps];
        _samples = new double[_taps];
        _buffer = new float[Math.Max(4 * _taps, 8192)];
        _count = _reach; // The leading zeros of the padded signal.
    }

    /// <summary>Input sample rate in Hz.</summary>
    public int InputRate => _resampler.InputRate;

    /// <summary>Output sample rate in Hz.</summary>
    public int OutputRate => _resampler.OutputRate;

    /// <summary>Input samples received so far.</summary>
    public long InputCount { get; private set; }

    /// <summary>Output samples produced so far.</summary>
    public long OutputCount => _nextOutput;

    /// <summary>Most output samples one <see cref="Process"/> call on <paramref name="inputLength"/> samples can produce.</summary>
    /// <param name="inputLength">Input samples of the call; non-negative.</param>
    /// <returns><c>⌊inputLength × L / M⌋ + 2</c>.</returns>
    public int GetMaxOutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        return checked((int)((long)inputLength * _resampler.UpFactor / _resampler.DownFactor) + 2);
    }

    /// <summary>Takes the next piece of the signal and writes every output sample it completes.</summary>
    /// <param name="input">The next input samples.</param>
    /// <param name="destination">At least <see cref="GetMaxOutputLength"/>(<paramref name="input"/>.Length) samples.</param>
    /// <returns>Output samples written.</returns>
    /// <exception cref="InvalidOperationException">Called after <see cref="Flush"/>.</exception>
    public int Process(ReadOnlySpan<float> input, Span<float> destination)
    {
        if (_flushed)
        {
            throw new InvalidOperationException("the stream was flushed; create a new resampler for a new signal");
        }
        if (destination.Length < GetMaxOutputLength(input.Length))
        {
            throw new ArgumentException($"destination holds {destination.Length} samples, needs {GetMaxOutputLength(input.Length)}", nameof(destination));
        }
        if (_resampler.UpFactor == 1 && _resampler.DownFactor == 1)
        {
            input.CopyTo(destination);
            InputCount += input.Length;
            _nextOutput += input.Length;
            return input.Length;
        }
        Append(input);
        InputCount += input.Length;
        return Produce(long.MaxValue, destination);
    }

    /// <summary>Ends the signal: returns the output samples that still depend on its last input samples.</summary>
    /// <returns>The rest of the output; with everything returned before, <see cref="Resampler.GetOutputLength"/>(<see cref="InputCount"/>) samples in all.</returns>
    /// <exception cref="InvalidOperationException">Called twice.</exception>
    public float[] Flush()
    {
        if (_flushed)
        {
            throw new InvalidOperationException("the stream was already flushed");
        }
        _flushed = true;
        if (_resampler.UpFactor == 1 && _resampler.DownFactor == 1)
        {
            return [];
        }
        long total = _resampler.GetOutputLength(checked((int)InputCount));
        // The trailing zeros of the padded signal, enough for the last output's taps.
        Append(new float[_reach + 1]);
        var rest = new float[Math.Max(0, total - _nextOutput)];
        int written = Produce(total, rest);
        return written == rest.Length ? rest : rest[..written];
    }

    private int Produce(long limit, Span<float> destination)
    {
        long available = _origin + _count;
        long l = _resampler.UpFactor, m = _resampler.DownFactor;
        // The outputs whose taps have all arrived.
        long end = _nextOutput;
        while (end < limit && end * m / l + _taps <= available)
        {
            end++;
        }
        int written = (int)(end - _nextOutput);
        ReadOnlySpan<float> padded = _buffer.AsSpan(0, _count);
        if (_resampler.IsExact)
        {
            _resampler.ComputeExactOutputs(_nextOutput, written, padded, _origin, destination);
        }
        else
        {
            for (int k = 0; k < written; k++)
            {
                destination[k] = _resampler.ComputeInterpolatedOutput(_nextOutput + k, padded, _origin, _scratch, _samples);
            }
        }
        _nextOutput = end;
        // Keep only what the next output's taps need.
        long keepFrom = Math.Min(_nextOutput * m / l, available);
        int drop = (int)(keepFrom - _origin);
        if (drop > 0)
        {
            Array.Copy(_buffer, drop, _buffer, 0, _count - drop);
            _count -= drop;
            _origin = keepFrom;
        }
        return written;
    }

    private void Append(ReadOnlySpan<float> input)
    {
        if (_count + input.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_count + input.Length, 2 * _buffer.Length));
        }
        input.CopyTo(_buffer.AsSpan(_count));
        _count += input.Length;
    }
}
