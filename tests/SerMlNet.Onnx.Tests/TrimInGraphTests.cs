using System.Runtime.InteropServices;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using SerMlNet.Audio;
using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Trimming;
using SerMlNet.Onnx.Tests.Reference;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Onnx.Tests;

/// <summary>
/// Silence trimming inside the end-to-end graph against SerMlNet.Audio's <see cref="SilenceTrimmer"/> (librosa-exact):
/// rows of different lengths in one batch, a padded tail that must be ignored, an all-zero row, a row shorter than one
/// trim frame, frame lengths that are and are not whole hops, both pad modes.
/// </summary>
public sealed class TrimInGraphTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases => new() { "constant-512-128", "reflect-400-150" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void In_graph_trim_matches_SilenceTrimmer_then_a_plain_reference_front_end(string name)
    {
        bool reflect = name.StartsWith("reflect", StringComparison.Ordinal);
        var trim = reflect
            ? new TrimOptions { TopDb = 35, FrameLength = 400, HopLength = 150 }
            : new TrimOptions { TopDb = 40, FrameLength = 512, HopLength = 128 };
        FrontEndDescription fe = TestModels.FrontEnd(nMels: 20, frames: 160, padMode: reflect ? PadMode.Reflect : PadMode.Constant, trim: trim);

        // Speech-like audio between near-silence (-80 dB noise), all zeros, 300 samples (shorter than a trim frame),
        // and speech without silence; each row followed by loud noise the graph must ignore.
        var rng = new Random(11);
        float[] Quiet(int n) => TestModels.Uniform(rng, n, 1e-4);
        float[][] rows =
        [
            [.. Quiet(3000), .. TestModels.Signal(1, 12000), .. Quiet(2500)],
            new float[9000],
            TestModels.Signal(2, 4000)[1500..1800],
            TestModels.Signal(3, 16000),
        ];
        int width = rows.Max(r => r.Length) + 777;
        float[] batch = TestModels.Uniform(rng, rows.Length * width, 0.9);
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i].CopyTo(batch, i * width);
        }

        using var temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "frontend.onnx");
        File.WriteAllBytes(path, OnnxExporter.BuildFrontEndModel(fe).ToByteArray());
        using var session = new InferenceSession(path);
        using OrtValue pcm = OrtValue.CreateTensorValueFromMemory(batch, [rows.Length, width]);
        using OrtValue lengths = OrtValue.CreateTensorValueFromMemory(rows.Select(r => (long)r.Length).ToArray(), [rows.Length]);
        using var results = session.Run(new RunOptions(), ["pcm", "lengths"], [pcm, lengths], ["log_mel"]);
        ReadOnlySpan<float> got = results[0].GetTensorDataAsSpan<float>();

        int per = fe.NMels * fe.Frames;
        for (int i = 0; i < rows.Length; i++)
        {
            TrimInterval kept = SilenceTrimmer.FindInterval(rows[i], trim);
            float[] expected = ReferenceFrontEnd.Compute(fe, rows[i].AsSpan(kept.Start, kept.Length));
            double worst = 0;
            for (int k = 0; k < per; k++)
            {
                worst = Math.Max(worst, Math.Abs(expected[k] - got[i * per + k]));
            }
            output.WriteLine($"{name}, row {i} ({rows[i].Length} samples, kept [{kept.Start}, {kept.End})): max |graph - reference| = {worst:E2}");
            Assert.True(worst <= 1e-4, $"{name}, row {i}: max |graph - reference| = {worst:E2} > 1e-4");
        }
        // The first row really was trimmed (the comparison above would be weak otherwise).
        Assert.NotEqual(new TrimInterval(0, rows[0].Length), SilenceTrimmer.FindInterval(rows[0], trim));
    }

    [Fact]
    public void Export_records_whether_the_graph_trims_and_reads_it_back()
    {
        CnnDescription cnn = TestModels.SerCnnLike(seed: 3, nMels: 20, frames: 36);
        using var temp = RepoPaths.NewTempFolder();
        foreach (bool trims in new[] { false, true })
        {
            string path = Path.Combine(temp.Path, $"e2e-{trims}.onnx");
            FrontEndDescription fe = TestModels.FrontEnd(nMels: 20, frames: 36, trim: trims ? new TrimOptions() : null);
            OnnxExporter.ExportEndToEnd(cnn, fe, TestModels.Options(), path);
            using OnnxModel model = OnnxModel.Load(path);
            Assert.True(model.HasLengthsInput);
            Assert.Equal(trims, model.Metadata.TrimsSilence);
            Assert.Equal(trims ? "true" : "false", model.Metadata.All[OnnxMetadataKeys.TrimsSilence]);
            Assert.Equal(OnnxMetadataKeys.CurrentFormatVersion, model.Metadata.FormatVersion);

            // Rows of different lengths in one call equal the rows run alone.
            float[] a = TestModels.Signal(1, 6000), b = TestModels.Signal(2, 9000);
            float[] batch = [.. a, .. new float[3000], .. b];
            var logits = new float[16];
            var together = new float[16];
            model.Run(batch, new long[] { a.Length, b.Length }, 2, logits, together);
            var alone = new float[8];
            double worst = 0;
            foreach ((float[] row, int i) in new[] { (a, 0), (b, 1) })
            {
                model.Run(row, 1, logits.AsMemory(0, 8), alone);
                worst = Math.Max(worst, alone.Select((p, k) => (double)Math.Abs(p - together[i * 8 + k])).Max());
            }
            Assert.True(worst <= 1e-6, $"batched rows differ from single runs by {worst:E2}");
        }
        FrontEndDescription bad = TestModels.FrontEnd(nMels: 20, frames: 36, trim: new TrimOptions { TopDb = -1, HopLength = 0 });
        var e = Assert.Throws<OnnxValidationException>(bad.Validate);
        Assert.Contains(e.Errors, s => s.StartsWith("Trim: TopDb", StringComparison.Ordinal));
        Assert.Contains(e.Errors, s => s.StartsWith("Trim: HopLength", StringComparison.Ordinal));
    }
}
