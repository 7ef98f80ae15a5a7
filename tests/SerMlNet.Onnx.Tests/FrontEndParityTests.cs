using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Onnx.Tests;

/// <summary>
/// The in-graph front end against the real references: librosa 0.11's golden log-Mel vectors (tolerances of the
/// front-end issue: max ≤ 0.05 dB, mean ≤ 0.001 dB), and SerMlNet.Audio's C# front end feeding model.onnx
/// (end-to-end probabilities within 1e-3).
/// </summary>
public sealed class FrontEndParityTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> LibrosaCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (id, json) in Golden.LogMelCases())
        {
            data.Add(id, json);
        }
        return data;
    }

    [Fact]
    public void Golden_set_has_the_16_log_mel_cases() => Assert.Equal(16, Golden.LogMelCases().Count());

    [Theory]
    [MemberData(nameof(LibrosaCases))]
    public void In_graph_log_mel_matches_librosa(string caseId, string json)
    {
        JsonElement c = Golden.Load(json);
        JsonElement p = c.GetProperty("melspectrogram_params_effective");
        Assert.Equal((16000, 1024, 160, 1024, 128, "slaney", false), (p.GetProperty("sr").GetInt32(), p.GetProperty("n_fft").GetInt32(),
            p.GetProperty("hop_length").GetInt32(), p.GetProperty("win_length").GetInt32(), p.GetProperty("n_mels").GetInt32(),
            p.GetProperty("norm").GetString(), p.GetProperty("htk").GetBoolean()));
        JsonElement dbArray = c.GetProperty("arrays").GetProperty("log_mel_db");
        float[] expected = Golden.ReadF32(dbArray.GetProperty("file").GetString()!);
        int frames = dbArray.GetProperty("shape")[1].GetInt32();
        float[] signal = Golden.TrimmedSignal(c);

        var fe = new FrontEndDescription
        {
            SampleRate = 16000,
            NFft = 1024,
            HopLength = 160,
            PadMode = p.GetProperty("pad_mode").GetString() == "reflect" ? PadMode.Reflect : PadMode.Constant,
            NMels = 128,
            MelFilterbank = Golden.ReadF32("mel_filters/melfb_sr16000_nfft1024_nmels128_slaney.f32"),
            TopDb = 80f,
            Amin = 1e-10f,
            Frames = frames, // exactly the STFT's frame count: the fixed-length step is the identity here
            Normalisation = FeatureNormalisation.None,
        };
        float[] got = RunFrontEnd(fe, signal, batch: 1);
        Assert.Equal(expected.Length, got.Length);
        double max = 0, sum = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs(expected[i] - got[i]);
            max = Math.Max(max, d);
            sum += d;
        }
        double mean = sum / expected.Length;
        output.WriteLine($"{caseId}: max |graph - librosa| = {max:E2} dB, mean = {mean:E2} dB");
        Assert.True(max <= 0.05 && mean <= 0.001, $"{caseId}: max {max:E3} dB (≤ 0.05), mean {mean:E3} dB (≤ 0.001)");
    }

    public static TheoryData<string> Normalisations => new() { "utterance", "per-band" };

    [Theory]
    [MemberData(nameof(Normalisations))]
    public void End_to_end_matches_SerMlNet_Audio_front_end_plus_model_onnx(string normalisation)
    {
        // Six real RAVDESS takes (decoded by the golden set), full length (≈ 3.1–4.1 s: cropped to 300 frames) and
        // cut to 2 s (201 frames: padded with the dB floor).
        float[][] takes = Golden.LogMelCases().Where(c => c.Id.StartsWith("melspec_constant_ravdess", StringComparison.Ordinal))
            .Select(c => Golden.ReadF32(Golden.Load(c.Json).GetProperty("input").GetProperty("signal_file").GetString()!))
            .ToArray();
        Assert.Equal(6, takes.Length);

        var extractor = new LogMelExtractor(new LogMelOptions()); // 16 kHz, NFft 1024, hop 160, 128 Slaney bands, constant pad, 80 dB
        var fixedLength = new FixedLengthOptions { Frames = 300 };
        BandStatistics? bands = normalisation == "per-band" ? FitBands(extractor, takes, fixedLength) : null;
        FeatureMatrix Features(float[] clip)
        {
            FeatureMatrix m = FixedLength.Apply(extractor.ComputeDb(clip), fixedLength);
            return bands is null ? ZScore.Apply(m) : bands.Apply(m);
        }

        var fe = new FrontEndDescription
        {
            SampleRate = extractor.Options.SampleRate,
            NFft = extractor.Options.NFft,
            HopLength = extractor.Options.HopLength,
            WinLength = extractor.Options.WinLength,
            PadMode = extractor.Options.PadMode == PadMode.Reflect ? PadMode.Reflect : PadMode.Constant,
            Power = extractor.Options.Power,
            NMels = extractor.NMels,
            MelFilterbank = extractor.Filterbank.ToMatrix().Data,
            TopDb = extractor.Options.TopDb,
            Amin = extractor.Options.Amin,
            Frames = fixedLength.Frames,
            CropAlignment = CropAlignment.Start,
            Normalisation = bands is null ? FeatureNormalisation.Utterance : FeatureNormalisation.PerBand,
            NormalisationEpsilon = (float)ZScore.Epsilon,
            BandMean = bands?.Mean.Select(v => (float)v).ToArray(),
            BandStd = bands?.Std.Select(v => (float)v).ToArray(),
        };
        CnnDescription cnn = TestModels.SerCnnLike(seed: 33, nMels: fe.NMels, frames: fe.Frames, headScale: 40);
        using var temp = RepoPaths.NewTempFolder();
        string modelPath = Path.Combine(temp.Path, "model.onnx"), e2ePath = Path.Combine(temp.Path, "model-e2e.onnx");
        OnnxExporter.Export(cnn, TestModels.Options(), modelPath);
        OnnxExporter.ExportEndToEnd(cnn, fe, TestModels.Options(), e2ePath);
        using OnnxModel model = OnnxModel.Load(modelPath);
        using OnnxModel e2e = OnnxModel.Load(e2ePath);

        double worst = 0, spread = 0;
        foreach (bool cut in new[] { false, true })
        {
            foreach (float[] take in takes)
            {
                float[] clip = cut ? take[..32000] : take;
                EmotionPrediction viaCSharp = model.Predict(Features(clip).Data)[0];
                EmotionPrediction viaGraph = e2e.Predict(clip)[0];
                for (int k = 0; k < model.ClassCount; k++)
                {
                    worst = Math.Max(worst, Math.Abs(viaCSharp.Probabilities[k] - viaGraph.Probabilities[k]));
                    spread = Math.Max(spread, Math.Abs(viaCSharp.Probabilities[k] - 1.0 / model.ClassCount));
                }
            }
        }
        output.WriteLine($"{normalisation}: max |e2e - (SerMlNet.Audio + model.onnx)| probability = {worst:E2} over 12 clips; largest distance from uniform = {spread:F3}");
        Assert.True(spread > 0.2, "the test network barely reacts to its input; the comparison would prove little");
        Assert.True(worst <= 1e-3, $"max probability difference {worst:E2} > 1e-3");
    }

    private static BandStatistics FitBands(LogMelExtractor extractor, float[][] takes, FixedLengthOptions fixedLength)
    {
        var acc = new BandStatistics.Accumulator(extractor.NMels);
        foreach (float[] take in takes)
        {
            acc.Add(FixedLength.Apply(extractor.ComputeDb(take), fixedLength));
        }
        return acc.ToStatistics();
    }

    private static float[] RunFrontEnd(FrontEndDescription fe, float[] signal, int batch)
    {
        using var temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "frontend.onnx");
        File.WriteAllBytes(path, OnnxExporter.BuildFrontEndModel(fe).ToByteArray());
        using var session = new InferenceSession(path);
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(signal, [batch, signal.Length / batch]);
        using OrtValue lengths = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat((long)(signal.Length / batch), batch).ToArray(), [batch]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["pcm", "lengths"], [input, lengths], ["log_mel"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
