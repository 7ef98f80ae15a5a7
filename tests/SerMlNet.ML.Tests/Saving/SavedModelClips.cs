using Microsoft.ML;
using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Onnx;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Tests;

namespace SerMlNet.ML.Tests.Saving;

/// <summary>The clips the saved-model tests score, and scoring them with a loaded model in this process.</summary>
internal static class SavedModelClips
{
    /// <summary>The shipped model's test split (the job's stratified 80/10/10, seed 42): 120 RAVDESS clips at 16 kHz.</summary>
    /// <returns>Their paths.</returns>
    public static string[] TestSplit()
    {
        DatasetCatalog catalog = DatasetCatalog.Open(RepoPaths.Ravdess16k);
        return [.. new DataOptions().MakeSplits(catalog)["stratified"].Select(catalog, SplitPart.Test).Select(c => c.Path)];
    }

    /// <summary>Writes 16-kHz clips back to back as one float WAV (the silence between them stays; only the ends are trimmed).</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="clips">16-kHz clips.</param>
    /// <returns><paramref name="path"/>.</returns>
    public static string Concatenate(string path, IEnumerable<string> clips)
    {
        var samples = new List<float>();
        foreach (string clip in clips)
        {
            AudioSignal audio = WavFile.Read(clip);
            Assert.Equal(16000, audio.SampleRate);
            samples.AddRange(audio.Samples);
        }
        WavFile.Write(path, new AudioSignal([.. samples], 16000), WavSampleFormat.Float32);
        return path;
    }

    /// <summary>
    /// A small seeded network over 128 Mel bands: conv 3x3 (4 channels), ReLU, max-pool 2, global average, and an 8-class
    /// head with large weights, so its probabilities are far from uniform and comparisons of them mean something.
    /// </summary>
    /// <param name="frames">Frames of its input.</param>
    /// <returns>The description.</returns>
    public static CnnDescription SmallNetwork(int frames)
    {
        var rng = new Random(7);
        float[] Uniform(int count, double scale) => [.. Enumerable.Range(0, count).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale))];
        return new CnnDescription(
        [
            new Conv2dLayer(new WeightTensor(Uniform(4 * 9, 0.5), [4, 1, 3, 3]), Uniform(4, 0.1), 1, 1),
            new ReluLayer(),
            new MaxPool2dLayer(2),
            new GlobalAvgPoolLayer(),
            new FlattenLayer(),
            new LinearLayer(new WeightTensor(Uniform(8 * 4, 3), [8, 4]), Uniform(8, 0.1)),
        ], 128, frames);
    }

    /// <summary>Scores files with a loaded saved model.</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="model">The model.</param>
    /// <param name="paths">WAV files.</param>
    /// <returns>One row per file, in order.</returns>
    public static List<(string Path, string Label, float[] Score)> Score(MLContext mlContext, ITransformer model, IEnumerable<string> paths)
    {
        IDataView data = mlContext.Data.LoadFromEnumerable(paths.Select(p => new PathRow { Path = p }));
        return [.. mlContext.Data.CreateEnumerable<ScoredRow>(model.Transform(data), reuseRowObject: false).Select(r => (r.Path, r.PredictedLabel, r.Score))];
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = string.Empty;
    }

    private sealed class ScoredRow
    {
        public string Path { get; set; } = string.Empty;

        public string PredictedLabel { get; set; } = string.Empty;

        public float[] Score { get; set; } = [];
    }
}
