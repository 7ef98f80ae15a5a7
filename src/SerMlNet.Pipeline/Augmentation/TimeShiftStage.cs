using SerMlNet.Audio;
using SerMlNet.Pipeline.Composition;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>
/// Shifts the waveform by up to ±MaxShiftSeconds, keeping its length: a positive shift delays it (silence in front,
/// the end dropped), a negative one advances it. Acts only in augmenting contexts. Thread-safe.
/// </summary>
/// <param name="options">Validated options.</param>
public sealed class TimeShiftStage(TimeShiftOptions options) : StatelessStage<TimeShiftOptions>(options, o => o.Validate())
{
    /// <summary>Registry name.</summary>
    public const string TypeName = "timeShift";

    /// <inheritdoc />
    public override string StageType => TypeName;

    /// <inheritdoc />
    public override StageTraits Traits => StageTraits.Augmentation;

    /// <inheritdoc />
    public override SampleSchema GetOutputSchema(SampleSchema input)
    {
        input.Require(SampleKind.Audio, TypeName);
        return input;
    }

    /// <inheritdoc />
    public override Sample Transform(Sample input, TransformContext context)
    {
        AudioSignal audio = input.RequireAudio(TypeName);
        if (!context.Augment || !context.Random.NextBool(Options.Probability))
        {
            return input;
        }
        int max = (int)Math.Round(Options.MaxShiftSeconds * audio.SampleRate);
        int shift = context.Random.NextInt(2 * max + 1) - max;
        return input.With(new AudioSignal(Shift(audio.Samples, shift), audio.SampleRate));
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
