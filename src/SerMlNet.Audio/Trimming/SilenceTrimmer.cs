using System.Runtime.CompilerServices;
namespace SerMlNet.Audio.Trimming;

/// <summary>
/// Leading and trailing silence removal with <c>librosa.effects.trim</c> semantics: frame RMS with
/// <c>center=True</c> zero padding (<c>librosa.feature.rms</c>), converted to dB relative to the loudest frame with
/// amplitude floor <see cref="AmplitudeFloor"/> (<c>amplitude_to_db(rms, ref=np.max)</c>); a frame is non-silent iff
/// its dB value exceeds <c>-TopDb</c>. The kept interval runs from the first non-silent frame times the hop to
/// <c>min(length, (last + 1) * hop)</c>; all-silent input gives [0, 0). Sums run in double precision. Stateless and
/// thread-safe.
/// </summary>
public static class SilenceTrimmer
{
    /// <summary>Amplitude floor of the dB conversion (librosa's <c>amplitude_to_db</c> default <c>amin</c>), 1e-5.</summary>
    public const double AmplitudeFloor = 1e-5;

    /// <summary>Finds the non-silent interval.</summary>
    /// <param name="samples">Mono samples.</param>
    /// <param name="options">Parameters; validated here.</param>
    /// <returns>The kept interval <c>[Start, End)</c>.</returns>
    public static TrimInterval FindInterval(ReadOnlySpan<float> samples, TrimOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (samples.IsEmpty)
        {
            return new TrimInterval(0, 0);
        }
        int frames = GetFrameCount(samples.Length, options.FrameLength, options.HopLength);
        double[] db = new double[frames];
        ComputeRmsDb(samples, options.FrameLength, options.HopLength, db);
        double threshold = -options.TopDb;
        int first = -1, last = -1;
        for (int t = 0; t < frames; t++)
        {
            if (db[t] > threshold)
            {
                if (first < 0)
                {
                    first = t;
                }
                last = t;
            }
        }
        if (first < 0)
        {
            return new TrimInterval(0, 0);
        }
        long start = (long)first * options.HopLength;
        long end = Math.Min(samples.Length, (long)(last + 1) * options.HopLength);
        return new TrimInterval((int)Math.Min(start, samples.Length), (int)end);
    }

    /// <summary>The trimmed samples as a new array.</summary>
    /// <param name="samples">Mono samples.</param>
    /// <param name="options">Parameters.</param>
    /// <returns><c>samples[Start..End]</c>.</returns>
    public static float[] Trim(ReadOnlySpan<float> samples, TrimOptions options)
    {
        TrimInterval interval = FindInterval(samples, options);
        return samples[interval.Start..interval.End].ToArray();
    }

    /// <summary>Number of RMS frames: <c>1 + (length + 2 * (frameLength / 2) - frameLength) / hopLength</c>.</summary>
    /// <param name="length">Signal length in samples.</param>
    /// <param name="frameLength">Frame length.</param>
    /// <param name="hopLength">Hop length.</param>
    /// <returns>The frame count (0 if the padded signal is shorter than a frame).</returns>
    public static int GetFrameCount(int length, int frameLength, int hopLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hopLength);
        long padded = length + 2L * (frameLength / 2);
        return padded < frameLength ? 0 : (int)(1 + (padded - frameLength) / hopLength);
    }

    /// <summary>Frame RMS with centred zero padding (<c>librosa.feature.rms(y, frame_length, hop_length)</c>).</summary>
    /// <param name="samples">Mono samples.</param>
    /// <param name="frameLength">Frame length in samples.</param>
    /// <param name="hopLength">Hop in samples.</param>
    /// <param name="destination">At least <see cref="GetFrameCount"/> values.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ComputeRms(ReadOnlySpan<float> samples, int frameLength, int hopLength, Span<double> destination)
    {
        int frames = GetFrameCount(samples.Length, frameLength, hopLength);
        if (destination.Length < frames)
        {
            throw new ArgumentException($"destination must hold {frames} values", nameof(destination));
        }
        int pad = frameLength / 2;
        if (frameLength % hopLength == 0 && pad % hopLength == 0)
        {
            // Frames are whole hop blocks: sum each block once, then add blocks (no cancellation, same result).
            int perFrame = frameLength / hopLength;
            int lead = pad / hopLength;
            int blocks = (samples.Length + hopLength - 1) / hopLength;
            var blockSums = new double[blocks];
            for (int b = 0; b < blocks; b++)
            {
                ReadOnlySpan<float> block = samples.Slice(b * hopLength, Math.Min(hopLength, samples.Length - b * hopLength));
                double sum = 0;
                foreach (float v in block)
                {
                    sum += (double)v * v;
                }
                blockSums[b] = sum;
            }
            for (int t = 0; t < frames; t++)
            {
                double sum = 0;
                for (int b = t - lead; b < t - lead + perFrame; b++)
                {
                    if ((uint)b < (uint)blocks)
                    {
                        sum += blockSums[b];
                    }
                }
                destination[t] = Math.Sqrt(sum / frameLength);
            }
            return;
        }
        for (int t = 0; t < frames; t++)
        {
            long from = (long)t * hopLength - pad;
            int lo = (int)Math.Max(0, from);
            int hi = (int)Math.Min(samples.Length, from + frameLength);
            double sum = 0;
            for (int i = lo; i < hi; i++)
            {
                double x = samples[i];
                sum += x * x;
            }
            destination[t] = Math.Sqrt(sum / frameLength);
        }
    }

    /// <summary>
    /// Frame RMS in dB relative to the loudest frame (<c>amplitude_to_db(rms, ref=np.max, top_db=None)</c>, floor
    /// <see cref="AmplitudeFloor"/>).
    /// </summary>
    /// <param name="samples">Mono samples.</param>
    /// <param name="frameLength">Frame length in samples.</param>
    /// <param name="hopLength">Hop in samples.</param>
    /// <param name="destination">At least <see cref="GetFrameCount"/> values.</param>
    public static void ComputeRmsDb(ReadOnlySpan<float> samples, int frameLength, int hopLength, Span<double> destination)
    {
        int frames = GetFrameCount(samples.Length, frameLength, hopLength);
        ComputeRms(samples, frameLength, hopLength, destination);
        Span<double> rms = destination[..frames];
        double max = 0;
        foreach (double r in rms)
        {
            max = Math.Max(max, r);
        }
        double floorPower = AmplitudeFloor * AmplitudeFloor;
        double refDb = 10.0 * Math.Log10(Math.Max(floorPower, max * max));
        for (int t = 0; t < rms.Length; t++)
        {
            rms[t] = 10.0 * Math.Log10(Math.Max(floorPower, rms[t] * rms[t])) - refDb;
        }
    }
}
