using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Features;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Onnx.Tests.Recognition;

public sealed class FrontEndFromPipelineTests(ITestOutputHelper output)
{
    /// <summary>Clips trimming to fewer frames than the window (padded), and longer ones (cropped), from unseen actors.</summary>
    private static readonly string[] Clips =
    [
        "Actor_03/03-01-05-01-01-01-03.wav",
        "Actor_10/03-01-06-02-02-02-10.wav",
        "Actor_15/03-01-02-02-01-02-15.wav",
        "Actor_18/03-01-08-02-01-01-18.wav",
    ];

    [Theory]
    [InlineData(NormalisationMode.Band)]
    [InlineData(NormalisationMode.Utterance)]
    public void End_to_end_model_on_raw_pcm_matches_the_pipeline_plus_model_onnx(NormalisationMode mode)
    {
        using var models = new RecognitionModels(mode);
        FrontEndDescription fe = FrontEndDescriptionFactory.FromPipeline(models.Chain);
        Assert.Equal(mode == NormalisationMode.Band ? FeatureNormalisation.PerBand : FeatureNormalisation.Utterance, fe.Normalisation);

        using OnnxModel model = OnnxModel.Load(models.ModelPath);
        using OnnxModel e2e = OnnxModel.Load(models.EndToEndPath);
        Assert.NotNull(fe.Trim);
        double worst = 0, worstFeature = 0;
        var answers = new List<IReadOnlyList<float>>();
        string frontEndPath = Path.Combine(models.Folder, "front-end.onnx");
        File.WriteAllBytes(frontEndPath, OnnxExporter.BuildFrontEndModel(fe).ToByteArray());
        using var frontEnd = new InferenceSession(frontEndPath);
        bool padded = false, cropped = false;
        foreach (string clip in Clips)
        {
            string path = RecognitionModels.Clip16k(clip);
            float[] features = models.Chain.ComputeFeatures(path).Data;
            // The graph trims: it takes the decoded, resampled, untrimmed audio.
            AudioSignal decoded = models.Chain.ReadAudio(path);
            float[] pcm = decoded.Samples;
            int frames = fe.GetFrameCount(models.Chain.TrimSilence(decoded, out _).Samples.Length);
            padded |= frames < fe.Frames;
            cropped |= frames > fe.Frames;
            IReadOnlyList<float> expected = model.Predict(features)[0].Probabilities;
            IReadOnlyList<float> actual = e2e.Predict(pcm)[0].Probabilities;
            double difference = expected.Zip(actual, (a, b) => Math.Abs((double)a - b)).Max();
            using OrtValue input = OrtValue.CreateTensorValueFromMemory(pcm, [1, pcm.Length]);
            using OrtValue length = OrtValue.CreateTensorValueFromMemory(new long[] { pcm.Length }, [1]);
            using var graphFeatures = frontEnd.Run(new RunOptions(), ["pcm", "lengths"], [input, length], ["log_mel"]);
            ReadOnlySpan<float> inGraph = graphFeatures[0].GetTensorDataAsSpan<float>();
            double featureDifference = 0;
            for (int i = 0; i < features.Length; i++)
            {
                featureDifference = Math.Max(featureDifference, Math.Abs(features[i] - inGraph[i]));
            }
            output.WriteLine($"{mode} {clip}: {frames} frames, max |graph - pipeline| feature = {featureDifference:E2}, max |e2e(pcm) - model.onnx(pipeline features)| probability = {difference:E2}; p = {string.Join(" ", expected.Select(v => v.ToString("F3")))}");
            worst = Math.Max(worst, difference);
            worstFeature = Math.Max(worstFeature, featureDifference);
            answers.Add(expected);
        }
        Assert.True(padded && cropped, "the clips should exercise both padding and cropping");
        // The network must react to its input, or equal probabilities would prove little.
        double clipToClip = Enumerable.Range(0, answers[0].Count).Max(k => answers.Max(a => a[k]) - answers.Min(a => a[k]));
        output.WriteLine($"largest clip-to-clip change of one class probability: {clipToClip:F3}");
        Assert.True(clipToClip > 0.1, $"the random network barely reacts to its input (clip-to-clip change {clipToClip:F3})");
        Assert.True(worstFeature <= 2e-3, $"max feature difference {worstFeature:E2} > 2e-3 (normalised units)");
        Assert.True(worst <= 1e-3, $"max probability difference {worst:E2} > 1e-3");
    }

    [Fact]
    public void The_description_carries_the_pipelines_parameters_and_fitted_statistics()
    {
        var logMel = new LogMelOptions
        {
            SampleRate = 22050, NFft = 512, HopLength = 256, WinLength = 400, NMels = 40, FMin = 50, FMax = 8000, Htk = true,
            Norm = MelNorm.None, PadMode = PadMode.Reflect, Power = 1, TopDb = null, Amin = 1e-8f,
        };
        var unnormalized = new FittedFrontEnd(
            22050,
            new SerMlNet.Audio.Trimming.TrimOptions { TopDb = 45, FrameLength = 1024, HopLength = 256 },
            logMel,
            new FixedLengthOptions { Frames = 120, Alignment = CropAlignment.Center },
            augmentation: new AugmentationOptions());
        BandStatistics statistics = BandStatistics.Fit(
            [unnormalized.ComputeUnnormalizedFeatures(new AudioSignal(TestModels.Signal(1, 22050), 22050)), unnormalized.ComputeUnnormalizedFeatures(new AudioSignal(TestModels.Signal(2, 30000), 22050))]);
        FittedFrontEnd frontEnd = unnormalized.WithNormalization(NormalisationMode.Band, statistics);
        FrontEndDescription fe = FrontEndDescriptionFactory.FromPipeline(frontEnd);

        Assert.Equal((22050, 512, 256, 400, PadMode.Reflect, 1f, 40, (float?)null, 1e-8f), (fe.SampleRate, fe.NFft, fe.HopLength, fe.WinLength, fe.PadMode, fe.Power, fe.NMels, fe.TopDb, fe.Amin));
        Assert.Equal((120, CropAlignment.Center, FeatureNormalisation.PerBand, 1e-8f), (fe.Frames, fe.CropAlignment, fe.Normalisation, fe.NormalisationEpsilon));
        Assert.Equal((45.0, 1024, 256), (fe.Trim!.TopDb, fe.Trim.FrameLength, fe.Trim.HopLength));
        Assert.Equal(MelFilterbank.Get(logMel.ToMelOptions()).ToMatrix().Data, fe.MelFilterbank);
        Assert.Equal(statistics.Mean.Select(v => (float)v), fe.BandMean!);
        Assert.Equal(statistics.Std.Select(v => (float)v), fe.BandStd!);
    }

    [Fact]
    public void A_front_end_without_trim_or_normalisation_is_described_without_them()
    {
        FrontEndDescription fe = FrontEndDescriptionFactory.FromPipeline(new FittedFrontEnd(16000, null, new LogMelOptions(), new FixedLengthOptions()));
        Assert.Null(fe.Trim);
        Assert.Equal(FeatureNormalisation.None, fe.Normalisation);
        Assert.Null(fe.BandMean);
        FrontEndDescription utterance = FrontEndDescriptionFactory.FromPipeline(
            new FittedFrontEnd(16000, null, new LogMelOptions(), new FixedLengthOptions(), NormalisationMode.Utterance));
        Assert.Equal(FeatureNormalisation.Utterance, utterance.Normalisation);
    }
}
