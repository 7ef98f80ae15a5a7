using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Stages;
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
        int logMel = models.Chain.Select(s => s.StageType).ToList().IndexOf(LogMelStage.TypeName);
        int trim = models.Chain.Select(s => s.StageType).ToList().IndexOf(TrimStage.TypeName);
        var beforeLogMel = new TransformerChain(models.Chain.Take(logMel));
        // The graph trims: it takes the decoded, resampled, untrimmed audio.
        var beforeTrim = new TransformerChain(models.Chain.Take(trim));
        double worst = 0, worstFeature = 0;
        var answers = new List<IReadOnlyList<float>>();
        string frontEndPath = Path.Combine(models.Folder, "front-end.onnx");
        File.WriteAllBytes(frontEndPath, OnnxExporter.BuildFrontEndModel(fe).ToByteArray());
        using var frontEnd = new InferenceSession(frontEndPath);
        bool padded = false, cropped = false;
        foreach (string clip in Clips)
        {
            string path = RecognitionModels.Clip16k(clip);
            float[] features = models.Chain.TransformFile(path).Features!.Data;
            float[] pcm = beforeTrim.Transform(Sample.FromFile(path), TransformContext.Plain).Audio!.Samples;
            int frames = fe.GetFrameCount(beforeLogMel.Transform(Sample.FromFile(path), TransformContext.Plain).Audio!.Samples.Length);
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
        TransformerChain chain = new EstimatorChain()
            .Append(new LoadAudioStage(new LoadAudioOptions { SampleRate = 22050 }))
            .Append(new TrimStage(new SerMlNet.Audio.Trimming.TrimOptions { TopDb = 45, FrameLength = 1024, HopLength = 256 }))
            .Append(new GainStage(new GainOptions()))
            .Append(new LogMelStage(new LogMelOptions
            {
                SampleRate = 22050, NFft = 512, HopLength = 256, WinLength = 400, NMels = 40, FMin = 50, FMax = 8000, Htk = true,
                Norm = MelNorm.None, PadMode = PadMode.Reflect, Power = 1, TopDb = null, Amin = 1e-8f,
            }))
            .Append(new SpecAugmentStage(new SpecAugmentOptions()))
            .Append(new FixedLengthStage(new FixedLengthOptions { Frames = 120, Alignment = CropAlignment.Center }))
            .Append(new NormaliseEstimator(new NormaliseOptions()))
            .Append(new SpecAugmentStage(new SpecAugmentOptions()))
            .Fit([Sample.FromAudio(new AudioSignal(TestModels.Signal(1, 22050), 22050)), Sample.FromAudio(new AudioSignal(TestModels.Signal(2, 30000), 22050))]);
        FrontEndDescription fe = FrontEndDescriptionFactory.FromPipeline(chain);

        Assert.Equal((22050, 512, 256, 400, PadMode.Reflect, 1f, 40, (float?)null, 1e-8f), (fe.SampleRate, fe.NFft, fe.HopLength, fe.WinLength, fe.PadMode, fe.Power, fe.NMels, fe.TopDb, fe.Amin));
        Assert.Equal((120, CropAlignment.Center, FeatureNormalisation.PerBand, 1e-8f), (fe.Frames, fe.CropAlignment, fe.Normalisation, fe.NormalisationEpsilon));
        Assert.Equal((45.0, 1024, 256), (fe.Trim!.TopDb, fe.Trim.FrameLength, fe.Trim.HopLength));
        var logMel = (LogMelStage)chain[3];
        Assert.Equal(MelFilterbank.Get(logMel.Options.ToMelOptions()).ToMatrix().Data, fe.MelFilterbank);
        BandStatistics statistics = ((NormaliseTransformer)chain[6]).Statistics!;
        Assert.Equal(statistics.Mean.Select(v => (float)v), fe.BandMean!);
        Assert.Equal(statistics.Std.Select(v => (float)v), fe.BandStd!);
    }

    [Fact]
    public void Pipelines_the_graph_cannot_compute_are_refused_with_every_reason()
    {
        var noFixedLength = new TransformerChain([new LogMelStage(new LogMelOptions())]);
        var e = Assert.Throws<OnnxValidationException>(() => FrontEndDescriptionFactory.FromPipeline(noFixedLength));
        Assert.Contains("no 'fixedLength' stage after 'logMel'", e.Message, StringComparison.Ordinal);

        var noLogMel = new TransformerChain([new TrimStage(new SerMlNet.Audio.Trimming.TrimOptions())]);
        e = Assert.Throws<OnnxValidationException>(() => FrontEndDescriptionFactory.FromPipeline(noLogMel));
        Assert.Contains("no 'logMel' stage (stages: trim)", e.Message, StringComparison.Ordinal);

        var misordered = new TransformerChain(
        [
            new LogMelStage(new LogMelOptions()),
            new NormaliseTransformer(NormalisationMode.Utterance, null),
            new TrimStage(new SerMlNet.Audio.Trimming.TrimOptions()),
            new FixedLengthStage(new FixedLengthOptions()),
        ]);
        e = Assert.Throws<OnnxValidationException>(() => FrontEndDescriptionFactory.FromPipeline(misordered));
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains("stage 1 'normalise' must come once, after 'fixedLength'", e.Errors[0], StringComparison.Ordinal);
        Assert.Contains("stage 2 'trim' after 'logMel' has no in-graph equivalent", e.Errors[1], StringComparison.Ordinal);

        var twoTrims = new TransformerChain(
        [
            new TrimStage(new SerMlNet.Audio.Trimming.TrimOptions()),
            new LoadAudioStage(new LoadAudioOptions()),
            new TrimStage(new SerMlNet.Audio.Trimming.TrimOptions()),
            new LogMelStage(new LogMelOptions()),
            new FixedLengthStage(new FixedLengthOptions()),
        ]);
        e = Assert.Throws<OnnxValidationException>(() => FrontEndDescriptionFactory.FromPipeline(twoTrims));
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains("stage 1 'loadAudio' between 'trim' and 'logMel' has no in-graph equivalent", e.Errors[0], StringComparison.Ordinal);
        Assert.Contains("stage 2 is a second 'trim' stage", e.Errors[1], StringComparison.Ordinal);
    }
}
