using SerMlNet.Audio;
using SerMlNet.Pipeline.Datasets;

namespace SerMlNet.Pipeline.Composition;

/// <summary>
/// One item flowing through a pipeline: the clip it came from (if any), and either its waveform or its features.
/// Immutable; stages return new samples. The arrays inside are owned by the sample and must not be mutated once it
/// is handed on.
/// </summary>
public sealed class Sample
{
    private Sample(Clip? clip, AudioSignal? audio, FeatureMatrix? features)
    {
        Clip = clip;
        Audio = audio;
        Features = features;
    }

    /// <summary>The clip this sample came from, or null for audio given directly (e.g. a live buffer).</summary>
    public Clip? Clip { get; }

    /// <summary>The mono waveform, when <see cref="Kind"/> is <see cref="SampleKind.Audio"/>.</summary>
    public AudioSignal? Audio { get; }

    /// <summary>The features, when <see cref="Kind"/> is <see cref="SampleKind.Features"/>.</summary>
    public FeatureMatrix? Features { get; }

    /// <summary>What the sample carries.</summary>
    public SampleKind Kind => Features is not null ? SampleKind.Features : Audio is not null ? SampleKind.Audio : SampleKind.Source;

    /// <summary>A sample that refers to a clip on disk.</summary>
    /// <param name="clip">The clip.</param>
    /// <returns>The sample.</returns>
    public static Sample FromClip(Clip clip) => new(clip ?? throw new ArgumentNullException(nameof(clip)), null, null);

    /// <summary>A sample that refers to a WAV file outside any dataset (label unknown).</summary>
    /// <param name="path">The WAV file.</param>
    /// <returns>The sample.</returns>
    public static Sample FromFile(string path)
    {
        string full = Path.GetFullPath(path);
        return FromClip(new Clip(Path.GetFileName(full), full, string.Empty, null, null, null));
    }

    /// <summary>A sample holding a waveform.</summary>
    /// <param name="audio">The waveform.</param>
    /// <param name="clip">Where it came from, if anywhere.</param>
    /// <returns>The sample.</returns>
    public static Sample FromAudio(AudioSignal audio, Clip? clip = null) => new(clip, audio ?? throw new ArgumentNullException(nameof(audio)), null);

    /// <summary>A sample holding features.</summary>
    /// <param name="features">The features.</param>
    /// <param name="clip">Where they came from, if anywhere.</param>
    /// <returns>The sample.</returns>
    public static Sample FromFeatures(FeatureMatrix features, Clip? clip = null) => new(clip, null, features ?? throw new ArgumentNullException(nameof(features)));

    /// <summary>This sample's clip with a new waveform.</summary>
    /// <param name="audio">The waveform.</param>
    /// <returns>A new sample.</returns>
    public Sample With(AudioSignal audio) => FromAudio(audio, Clip);

    /// <summary>This sample's clip with new features.</summary>
    /// <param name="features">The features.</param>
    /// <returns>A new sample.</returns>
    public Sample With(FeatureMatrix features) => FromFeatures(features, Clip);

    /// <summary>The waveform, or an exception naming the stage that needed it.</summary>
    /// <param name="stage">The stage asking.</param>
    /// <returns>The waveform.</returns>
    public AudioSignal RequireAudio(string stage) =>
        Audio ?? throw new SchemaMismatchException($"stage '{stage}' needs Audio but receives {Kind}{Where()}");

    /// <summary>The features, or an exception naming the stage that needed them.</summary>
    /// <param name="stage">The stage asking.</param>
    /// <returns>The features.</returns>
    public FeatureMatrix RequireFeatures(string stage) =>
        Features ?? throw new SchemaMismatchException($"stage '{stage}' needs Features but receives {Kind}{Where()}");

    private string Where() => Clip is null ? string.Empty : $" (clip '{Clip.Id}')";
}
