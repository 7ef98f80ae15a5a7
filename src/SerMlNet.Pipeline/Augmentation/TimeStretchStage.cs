using SerMlNet.Audio;
using SerMlNet.Audio.Effects;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.Pipeline.Augmentation;

/// <summary>
/// Changes the tempo by a rate drawn uniformly, keeping the pitch (<c>librosa.effects.time_stretch</c>, phase
/// vocoder): rate &gt; 1 shortens the clip by 1/rate. Acts only in augmenting contexts. Thread-safe.
/// </summary>
/// <param name="options">The options.</param>
public sealed class TimeStretchStage(TimeStretchOptions options) : WaveformAugmentation<TimeStretchOptions>(options, PipelineJsonContext.Default.TimeStretchOptions)
{
    /// <summary>Registry name.</summary>
    public const string TypeName = "timeStretch";

    /// <inheritdoc />
    public override string StageType => TypeName;

    /// <inheritdoc />
    protected override AudioSignal Augment(AudioSignal audio, SeededRandom random)
    {
        double rate = random.NextDouble(Options.MinRate, Options.MaxRate);
        return new AudioSignal(TimeStretch.Apply(audio.Samples, rate), audio.SampleRate);
    }
}
