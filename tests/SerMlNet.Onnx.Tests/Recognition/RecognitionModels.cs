using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Tests;

namespace SerMlNet.Onnx.Tests.Recognition;

/// <summary>
/// A random-weight CNN exported with a pipeline fitted on real RAVDESS clips: <c>model.onnx</c> (log-Mel input, the
/// pipeline JSON in its <c>frontend</c> metadata) and <c>model-e2e.onnx</c> (PCM input, the front end built with
/// <see cref="FrontEndDescriptionFactory.FromPipeline"/>). Shared by the recognition tests (and linked into
/// Predict.Tests). Files live in a temporary folder removed on dispose.
/// </summary>
public sealed class RecognitionModels : IDisposable
{
    /// <summary>The 8 RAVDESS emotions, in code order.</summary>
    public static readonly string[] Emotions = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"];

    /// <summary>Clips of actors 01 and 02 (16 kHz) the normalisation is fitted on.</summary>
    public static readonly string[] FitClips =
    [
        "Actor_01/03-01-01-01-01-01-01.wav",
        "Actor_01/03-01-03-02-01-01-01.wav",
        "Actor_01/03-01-05-01-02-02-01.wav",
        "Actor_01/03-01-08-02-02-01-01.wav",
        "Actor_02/03-01-02-01-01-01-02.wav",
        "Actor_02/03-01-04-02-02-02-02.wav",
        "Actor_02/03-01-06-01-01-02-02.wav",
        "Actor_02/03-01-07-02-02-01-02.wav",
    ];

    private readonly TempFolder _folder = RepoPaths.NewTempFolder();

    /// <summary>Fits a band-normalising pipeline and exports both models (the class fixture).</summary>
    public RecognitionModels()
        : this(NormalisationMode.Band)
    {
    }

    /// <summary>Fits the pipeline and exports both models.</summary>
    /// <param name="mode">Normalisation of the pipeline (band statistics are fitted on <see cref="FitClips"/>).</param>
    internal RecognitionModels(NormalisationMode mode)
    {
        Chain = FitChain(mode);
        Cnn = Sensitive(seed: 5);
        var options = new OnnxExportOptions { ClassLabels = Emotions, FrontEndJson = Chain.ToJson() };
        ModelPath = Path.Combine(_folder.Path, "model.onnx");
        EndToEndPath = Path.Combine(_folder.Path, "model-e2e.onnx");
        OnnxExporter.Export(Cnn, options, ModelPath);
        OnnxExporter.ExportEndToEnd(Cnn, FrontEndDescriptionFactory.FromPipeline(Chain), options, EndToEndPath);
    }

    /// <summary>The fitted pipeline (default front end: 16 kHz, trim 60 dB, 128 Mel bands, 300 frames).</summary>
    public FittedFrontEnd Chain { get; }

    /// <summary>The random network (128 x 300 input).</summary>
    public CnnDescription Cnn { get; }

    /// <summary><c>model.onnx</c>.</summary>
    public string ModelPath { get; }

    /// <summary><c>model-e2e.onnx</c>.</summary>
    public string EndToEndPath { get; }

    /// <summary>A folder for the test's own files, removed with the models.</summary>
    public string Folder => _folder.Path;

    /// <summary>
    /// A small random CNN over 128 x 300 inputs whose answer depends on where things are in the spectrogram (no global
    /// pooling: a strided conv, a 4 x 4 max pool, then a linear head over the flattened 4 x 15 x 37 map), so different
    /// clips get clearly different probabilities and comparisons of probabilities are sensitive.
    /// </summary>
    /// <param name="seed">Weight seed.</param>
    /// <returns>The network.</returns>
    public static CnnDescription Sensitive(int seed)
    {
        var rng = new Random(seed);
        const int channels = 4, flat = channels * 15 * 37;
        return new CnnDescription(
        [
            new Conv2dLayer(new WeightTensor(TestModels.Uniform(rng, channels * 9, 1.0 / 3), [channels, 1, 3, 3]), TestModels.Uniform(rng, channels, 0.2), Stride: 2),
            new BatchNorm2dLayer([.. TestModels.Uniform(rng, channels, 0.3).Select(v => 1 + v)], TestModels.Uniform(rng, channels, 0.2), new float[channels], [.. Enumerable.Repeat(1f, channels)]),
            new ReluLayer(),
            new MaxPool2dLayer(4),
            new FlattenLayer(),
            new LinearLayer(new WeightTensor(TestModels.Uniform(rng, Emotions.Length * flat, 12.0 / Math.Sqrt(flat)), [Emotions.Length, flat]), new float[Emotions.Length]),
        ], 128, 300);
    }

    /// <summary>A 16 kHz clip from the shared data.</summary>
    /// <param name="relative">E.g. <c>Actor_03/03-01-05-01-01-01-03.wav</c>.</param>
    /// <returns>The full path.</returns>
    public static string Clip16k(string relative) => Path.Combine(RepoPaths.Ravdess16k, relative);

    /// <summary>Fits the default front end (no augmentation) on <see cref="FitClips"/>.</summary>
    /// <param name="mode">The normalisation mode.</param>
    /// <returns>The fitted front end.</returns>
    public static FittedFrontEnd FitChain(NormalisationMode mode)
    {
        var options = new FrontEndOptions { Normalise = new NormaliseOptions { Mode = mode } };
        FittedFrontEnd unnormalized = options.CreateUnnormalized(null);
        return options.Fit(unnormalized, FitClips.Select(c => unnormalized.ComputeUnnormalizedFeatures(WavFile.Read(Clip16k(c)))));
    }

    /// <summary>Writes several clips one after another as one 16 kHz 16-bit WAV file.</summary>
    /// <param name="path">Destination.</param>
    /// <param name="clips">16 kHz clips, relative to ravdess-16k.</param>
    /// <returns>The written signal.</returns>
    public static AudioSignal WriteConcatenation(string path, params string[] clips)
    {
        var samples = new List<float>();
        foreach (string clip in clips)
        {
            AudioSignal audio = WavFile.Read(Clip16k(clip));
            Assert.Equal(16000, audio.SampleRate);
            samples.AddRange(audio.Samples);
        }
        var signal = new AudioSignal([.. samples], 16000);
        WavFile.Write(path, signal);
        return signal;
    }

    /// <inheritdoc />
    public void Dispose() => _folder.Dispose();
}
