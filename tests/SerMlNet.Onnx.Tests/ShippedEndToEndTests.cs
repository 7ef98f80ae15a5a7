using SerMlNet.Audio;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Features;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Onnx.Tests;

/// <summary>
/// The shipped <c>model-e2e.onnx</c> fed raw, untrimmed PCM (the pipeline's stages before <c>trim</c>: decoding and
/// resampling only) against the C# front end (trim, log-Mel, fixed length, normalisation) + <c>model.onnx</c>, on all
/// 120 clips of the test split: one clip per call, all rows of different lengths batched with <c>lengths</c>, and
/// ONNX Runtime for Node.js; plus an all-zero row, a row shorter than one trim frame and a 48 kHz file.
/// </summary>
public sealed class ShippedEndToEndTests(ITestOutputHelper output, ShippedEndToEndTests.TestSplit split)
    : IClassFixture<ShippedEndToEndTests.TestSplit>
{
    private const int Classes = 8;

    /// <summary>Rows per batched call: rows of different lengths, padded to the longest.</summary>
    private const int RowsPerBatch = 20;

    [Fact]
    public void End_to_end_file_on_raw_test_clips_matches_the_csharp_front_end_plus_model_onnx()
    {
        TestSplit s = split;
        Assert.Equal(120, s.Count);
        // The graph really trims: most raw clips have leading or trailing silence the C# trim cuts (75 of the 120).
        output.WriteLine($"{s.Trimmed} of {s.Count} raw clips lose samples to the C# trim (top_db 60)");
        Assert.True(s.Trimmed >= 60, $"only {s.Trimmed} of 120 clips lose samples to trimming");

        float[] single = new float[s.Count * Classes];
        var logits = new float[Classes];
        for (int i = 0; i < s.Count; i++)
        {
            s.EndToEnd.Run(s.Raw[i], 1, logits, single.AsMemory(i * Classes, Classes));
        }
        var (max, mean, agree) = Compare(s.CSharp, single);
        output.WriteLine($"C# ORT, one clip per call, {s.Count} raw test clips: max |dp| = {max:E2}, mean |dp| = {mean:E2}, labels agree {agree}/{s.Count}");
        Assert.True(max <= 1e-3, $"end-to-end model differs from the C# front end + model.onnx by {max:E2} > 1e-3");
        Assert.Equal(s.Count, agree);

        float[] batched = s.RunBatched();
        double batchVsSingle = batched.Zip(single, (a, b) => (double)Math.Abs(a - b)).Max();
        output.WriteLine($"C# ORT, {RowsPerBatch} rows of different lengths per call: max |batched - one per call| = {batchVsSingle:E2}");
        Assert.True(batchVsSingle <= 1e-5, $"batched rows differ from single runs by {batchVsSingle:E2}");
    }

    [Fact]
    public void Onnxruntime_node_on_raw_test_clips_matches_the_csharp_path()
    {
        TestSplit s = split;
        float[] batched = s.RunBatched();
        float[] node = new float[s.Count * Classes];
        for (int first = 0; first < s.Count; first += RowsPerBatch)
        {
            var (pcm, lengths, width) = s.Pad(first, RowsPerBatch);
            OrtNode.Probabilities(ShippedModelTests.ShippedEndToEndPath, pcm, $"{lengths.Length},{width}", lengths).CopyTo(node, first * Classes);
        }
        var (max, mean, agree) = Compare(s.CSharp, node);
        double vsCSharpOrt = node.Zip(batched, (a, b) => (double)Math.Abs(a - b)).Max();
        output.WriteLine($"onnxruntime-node, {s.Count} raw test clips ({RowsPerBatch} per call): max |dp| vs C# front end + model.onnx = {max:E2}, mean = {mean:E2}, labels agree {agree}/{s.Count}; max |dp| vs C# ORT on the same file = {vsCSharpOrt:E2}");
        Assert.True(max <= 1e-3, $"onnxruntime-node differs from the C# front end + model.onnx by {max:E2} > 1e-3");
        Assert.True(vsCSharpOrt <= 1e-4, $"onnxruntime-node differs from C# ORT by {vsCSharpOrt:E2} > 1e-4");
        Assert.Equal(s.Count, agree);
    }

    [Fact]
    public void Silent_short_and_48_kHz_inputs_match_the_csharp_path_alone_and_batched()
    {
        TestSplit s = split;
        string wav48 = Directory.GetFiles(RepoPaths.Ravdess48kSamples, "*.wav").OrderBy(f => f, StringComparer.Ordinal).First();
        AudioSignal resampled = s.Pipeline.ReadAudio(wav48);
        Assert.Equal(16000, resampled.SampleRate);
        (string Name, float[] Pcm, float[] Features)[] cases =
        [
            ("all zeros, 1 s", new float[16000], s.FromTrim(new float[16000])),
            ("300 samples (under one 2048-sample trim frame)", s.Raw[0][20000..20300], s.FromTrim(s.Raw[0][20000..20300])),
            ($"48 kHz {Path.GetFileName(wav48)}, resampled by the pipeline", resampled.Samples,
                s.Pipeline.ComputeFeatures(wav48).Data),
        ];
        float[] features = [.. cases.SelectMany(c => c.Features)];
        float[] expected = new float[cases.Length * Classes], logits = new float[cases.Length * Classes];
        s.Model.Run(features, cases.Length, logits, expected);

        int width = cases.Max(c => c.Pcm.Length);
        float[] pcm = new float[cases.Length * width];
        Array.Fill(pcm, 0.5f); // a loud tail the graph must ignore
        for (int i = 0; i < cases.Length; i++)
        {
            cases[i].Pcm.CopyTo(pcm, i * width);
        }
        float[] batched = new float[cases.Length * Classes];
        s.EndToEnd.Run(pcm, cases.Select(c => (long)c.Pcm.Length).ToArray(), cases.Length, logits, batched);
        for (int i = 0; i < cases.Length; i++)
        {
            float[] alone = new float[Classes];
            s.EndToEnd.Run(cases[i].Pcm, 1, logits.AsMemory(0, Classes), alone);
            double vsCSharp = Enumerable.Range(0, Classes).Max(k => (double)Math.Abs(alone[k] - expected[i * Classes + k]));
            double vsBatched = Enumerable.Range(0, Classes).Max(k => (double)Math.Abs(alone[k] - batched[i * Classes + k]));
            output.WriteLine($"{cases[i].Name}: max |dp| vs C# front end + model.onnx = {vsCSharp:E2}; batched vs alone = {vsBatched:E2}");
            Assert.True(vsCSharp <= 1e-3, $"{cases[i].Name}: {vsCSharp:E2} > 1e-3");
            Assert.True(vsBatched <= 1e-5, $"{cases[i].Name}: batched differs by {vsBatched:E2}");
        }
    }

    private static (double Max, double Mean, int Agree) Compare(float[] expected, float[] got)
    {
        double max = 0, sum = 0;
        int agree = 0;
        for (int i = 0; i < expected.Length / Classes; i++)
        {
            int a = 0, b = 0;
            for (int k = 0; k < Classes; k++)
            {
                double d = Math.Abs(expected[i * Classes + k] - got[i * Classes + k]);
                max = Math.Max(max, d);
                sum += d;
                a = expected[i * Classes + k] > expected[i * Classes + a] ? k : a;
                b = got[i * Classes + k] > got[i * Classes + b] ? k : b;
            }
            agree += a == b ? 1 : 0;
        }
        return (max, sum / expected.Length, agree);
    }

    /// <summary>The 120 test clips, raw and through the C# path, computed once for the class.</summary>
    public sealed class TestSplit : IDisposable
    {
        public TestSplit()
        {
            Recognizer = EmotionRecognizer.Open(ShippedModelTests.ShippedModelPath);
            EndToEnd = OnnxModel.Load(ShippedModelTests.ShippedEndToEndPath);
            IReadOnlyList<Clip> clips = ShippedModelTests.TestClips(Model);
            Raw = new float[clips.Count][];
            float[] features = new float[clips.Count * 128 * 300];
            for (int i = 0; i < clips.Count; i++)
            {
                Raw[i] = Pipeline.ReadAudio(clips[i].Path).Samples;
                AudioSignal trimmed = Pipeline.TrimSilence(new AudioSignal(Raw[i], 16000), out int start);
                Trimmed += start > 0 || trimmed.Samples.Length < Raw[i].Length ? 1 : 0;
                FromTrim(Raw[i]).CopyTo(features, i * 128 * 300);
            }
            CSharp = new float[clips.Count * Classes];
            Model.Run(features, clips.Count, new float[CSharp.Length], CSharp);
        }

        public EmotionRecognizer Recognizer { get; }

        public OnnxModel Model => Recognizer.Model;

        public OnnxModel EndToEnd { get; }

        /// <summary>The shipped fitted front end: its decoding and resampling give the raw PCM the end-to-end file takes.</summary>
        public FittedFrontEnd Pipeline => Recognizer.Pipeline;

        public int Count => Raw.Length;

        /// <summary>Raw 16 kHz PCM per clip.</summary>
        public float[][] Raw { get; }

        /// <summary>Clips the C# trim shortens.</summary>
        public int Trimmed { get; }

        /// <summary>C# front end + model.onnx probabilities, <c>[120, 8]</c>.</summary>
        public float[] CSharp { get; }

        /// <summary>The C# features of raw 16 kHz PCM (trim, log-Mel, fixed length, normalisation).</summary>
        public float[] FromTrim(float[] pcm) => Pipeline.ComputeFeatures(new AudioSignal(pcm, 16000)).Data;

        /// <summary>Rows <paramref name="first"/>.. padded to the longest with loud noise, and their lengths.</summary>
        public (float[] Pcm, long[] Lengths, int Width) Pad(int first, int count)
        {
            count = Math.Min(count, Count - first);
            int width = Raw.Skip(first).Take(count).Max(r => r.Length);
            float[] pcm = TestModels.Uniform(new Random(first), count * width, 0.5);
            var lengths = new long[count];
            for (int i = 0; i < count; i++)
            {
                Raw[first + i].CopyTo(pcm, i * width);
                lengths[i] = Raw[first + i].Length;
            }
            return (pcm, lengths, width);
        }

        /// <summary>The end-to-end file on all rows, <see cref="RowsPerBatch"/> rows of different lengths per call.</summary>
        public float[] RunBatched()
        {
            float[] result = new float[Count * Classes];
            for (int first = 0; first < Count; first += RowsPerBatch)
            {
                var (pcm, lengths, _) = Pad(first, RowsPerBatch);
                EndToEnd.Run(pcm, lengths, lengths.Length, new float[lengths.Length * Classes], result.AsMemory(first * Classes, lengths.Length * Classes));
            }
            return result;
        }

        public void Dispose()
        {
            EndToEnd.Dispose();
            Recognizer.Dispose();
        }
    }
}
