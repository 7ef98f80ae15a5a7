using SerMlNet.Audio;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>
/// Shifts the waveform by up to ±MaxShiftSeconds, keeping its length: a positive shift delays it (silence in front,
/// the end dropped), a negative one advances it. Acts only in augmenting contexts. Thread-safe.
/// </summary>
/// <param name="options">Validated options.</param>
public sealed class TimeShiftStage(TimeShiftOptions options) : WaveformAugmentation<TimeShiftOptions>(options, PipelineJsonContext.Default.TimeShiftOptions)
{
    /// <summary>Registry name.</summary>
    public const string TypeName = "timeShift";

    /// <inheritdoc />
    public override string StageType => TypeName;

    /// <inheritdoc />
    protected override AudioSignal Augment(AudioSignal audio, SeededRandom random)
    {
        int max = (int)Math.Round(Options.MaxShiftSeconds * audio.SampleRate);
        int shift = random.NextInt(2 * max + 1) - max;
        return new AudioSignal(Shift(audio.Samples, shift), audio.SampleRate);
    }

    /// <summary>The signal shifted by <paramref name="shift"/> samples, same length, vacated samples zero.</summary>
    /// <param name="samples">The signal.</param>
    /// <param name="shift">Positive delays, negative advances.</param>
    /// <returns>A new array.</returns>
    public static float[] Shift(ReadOnlySpan<float> samples, int shift)
    {
        var output = new float[samples.Length];
        int n = samples.Length - Math.Abs(shift);
        if (n > 0)
        {
            if (shift >= 0)
            {
                samples[..n].CopyTo(output.AsSpan(shift));
            }
            else
            {
                samples[(-shift)..].CopyTo(output);
            }
        }
        return output;
    }
}
