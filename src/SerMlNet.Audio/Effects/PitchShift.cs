using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Spectral;

namespace SerMlNet.Audio.Effects;

/// <summary>
/// Pitch shifting without duration change, as <c>librosa.effects.pitch_shift</c>: time-stretch by
/// <c>rate = 2^(-steps / binsPerOctave)</c>, resample from <c>sampleRate / rate</c> to <c>sampleRate</c> with the
/// band-limited <see cref="Resampler"/> design, and fix the length to the input's (crop or zero-pad at the end).
/// The source rate <c>sampleRate / rate</c> is rounded to the nearest integer rate whose ratio to
/// the sample rate needs at most <see cref="MaxPhases"/> polyphase phases, and the stretch uses the
/// matching rate, so the shift is exact for that rate: within 0.25 % (0.04 semitone) of the request at 16 kHz, and
/// the polyphase filters (cached by <see cref="Resampler"/> per rate ratio) are reused (about 5× faster than an
/// arbitrary-ratio kernel).
/// Stateless and thread-safe.
/// </summary>
public static class PitchShift
{
    /// <summary>Most polyphase phases (the L of L/M) a pitch-shift resampler may use.</summary>
    public const int MaxPhases = 256;

    /// <summary>Shifts the pitch of a signal.</summary>
    /// <param name="samples">Mono samples.</param>
    /// <param name="sampleRate">Sample rate in Hz; positive.</param>
    /// <param name="steps">Shift in fractional steps (semitones when <paramref name="binsPerOctave"/> is 12); +12 is one octave up.</param>
    /// <param name="binsPerOctave">Steps per octave; default 12.</param>
    /// <param name="stft">STFT parameters of the time stretch; null for <see cref="TimeStretch.DefaultStft"/>.</param>
    /// <returns>Exactly <c>samples.Length</c> samples.</returns>
    public static float[] Apply(ReadOnlySpan<float> samples, int sampleRate, double steps, int binsPerOctave = 12, StftOptions? stft = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(binsPerOctave);
        if (!double.IsFinite(steps))
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "must be finite");
        }
        if (samples.IsEmpty)
        {
            return [];
        }
        int sourceRate = NearestSourceRate(sampleRate / Math.Pow(2.0, -steps / binsPerOctave), sampleRate);
        double rate = (double)sampleRate / sourceRate;
        float[] stretched = TimeStretch.Apply(samples, rate, stft);
        float[] shifted = new Resampler(sourceRate, sampleRate).Process(stretched);
        var output = new float[samples.Length];
        shifted.AsSpan(0, Math.Min(shifted.Length, output.Length)).CopyTo(output);
        return output;
    }

    /// <summary>The integer rate nearest <paramref name="target"/> whose ratio to <paramref name="sampleRate"/> has at most <see cref="MaxPhases"/> phases.</summary>
    /// <param name="target">Wanted source rate in Hz.</param>
    /// <param name="sampleRate">Output rate in Hz.</param>
    /// <returns>The source rate.</returns>
    public static int NearestSourceRate(double target, int sampleRate)
    {
        int centre = (int)Math.Round(target);
        for (int offset = 0; offset <= sampleRate; offset++)
        {
            foreach (int candidate in (ReadOnlySpan<int>)[centre - offset, centre + offset])
            {
                if (candidate > 0 && sampleRate / Resampler.Gcd(candidate, sampleRate) <= MaxPhases)
                {
                    return candidate;
                }
            }
        }
        return centre;
    }
}
