using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Spectral;

namespace SerMlNet.Audio.Effects;

/// <summary>
/// Pitch shifting without duration change, as <c>librosa.effects.pitch_shift</c>: time-stretch by
/// <c>rate = 2^(-steps / binsPerOctave)</c>, resample from <c>sampleRate / rate</c> to <c>sampleRate</c> with the
/// band-limited <see cref="Resampler"/> design, and fix the length to the input's (crop or zero-pad at the end).
/// Stateless and thread-safe.
/// </summary>
public static class PitchShift
{
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
        double rate = Math.Pow(2.0, -steps / binsPerOctave);
        float[] stretched = TimeStretch.Apply(samples, rate, stft);
        // librosa.resample(orig_sr = sr / rate, target_sr = sr): ratio = rate, n = ceil(len * ratio); then fix_length.
        int resampledLength = (int)Math.Ceiling(stretched.Length * rate);
        float[] shifted = Resampler.ProcessRatio(stretched, rate, resampledLength);
        var output = new float[samples.Length];
        shifted.AsSpan(0, Math.Min(shifted.Length, output.Length)).CopyTo(output);
        return output;
    }
}
