using SerMlNet.Audio;
using SerMlNet.Audio.Effects;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>
/// Shifts the pitch by a number of semitones drawn uniformly, keeping the duration (<see cref="PitchShift.Apply"/>:
/// NWaves' phase-locking phase vocoder stretch by 2^(n/12), then resampling back). Acts only in augmenting contexts.
/// Thread-safe.
/// </summary>
/// <param name="options">The options.</param>
public sealed class PitchShiftStage(PitchShiftOptions options) : WaveformAugmentation<PitchShiftOptions>(options, PipelineJsonContext.Default.PitchShiftOptions)
{
    /// <summary>Registry name.</summary>
    public const string TypeName = "pitchShift";

    /// <inheritdoc />
    public override string StageType => TypeName;

    /// <inheritdoc />
    protected override AudioSignal Augment(AudioSignal audio, SeededRandom random)
    {
        double semitones = random.NextDouble(Options.MinSemitones, Options.MaxSemitones);
        return new AudioSignal(PitchShift.Apply(audio.Samples, audio.SampleRate, semitones), audio.SampleRate);
    }
}
