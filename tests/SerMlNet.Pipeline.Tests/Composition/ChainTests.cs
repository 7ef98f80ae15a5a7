using System.Text.Json.Nodes;
using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Trimming;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Stages;
using SerMlNet.Tests;

namespace SerMlNet.Pipeline.Tests.Composition;

public class ChainTests
{
    private static EstimatorChain FrontEnd() => new EstimatorChain()
        .Append(new TrimStage(new TrimOptions()))
        .Append(new AddNoiseStage(new NoiseOptions { Probability = 1 }))
        .Append(new LogMelStage(new LogMelOptions()))
        .Append(new FixedLengthStage(new FixedLengthOptions()))
        .Append(new NormaliseEstimator(new NormaliseOptions()))
        .Append(new SpecAugmentStage(new SpecAugmentOptions()));

    private static Sample[] Inputs() =>
    [
        Sample.FromAudio(TestSignals.Speech()),
        Sample.FromAudio(WavFile.Read(TestSignals.ClipPath("Actor_08", "03-01-05-01-02-01-08.wav"))),
        Sample.FromAudio(TestSignals.Tone(300, 2)),
    ];

    [Fact]
    public void ChainSaysItsOutputShapeBeforeDataFlows()
    {
        Assert.Equal(new SampleSchema(SampleKind.Features, 16000, 128, 300), FrontEnd().GetOutputSchema(new SampleSchema(SampleKind.Audio, 16000)));
    }

    [Fact]
    public void ChainThatCannotComposeFailsBeforeDataFlows()
    {
        EstimatorChain bad = new EstimatorChain().Append(new TrimStage(new TrimOptions())).Append(new FixedLengthStage(new FixedLengthOptions()));
        var ex = Assert.Throws<SchemaMismatchException>(() => bad.GetOutputSchema(new SampleSchema(SampleKind.Audio, 16000)));
        Assert.Contains("fixedLength", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FittedChainNormalisesWithTrainingStatisticsAndRoundTripsThroughAFile()
    {
        Sample[] inputs = Inputs();
        TransformerChain fitted = FrontEnd().Fit(inputs);
        var normalise = Assert.IsType<NormaliseTransformer>(fitted[4]);
        Assert.Equal(3 * 300, normalise.Statistics!.Count);

        using TempFolder temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "pipeline.json");
        fitted.SaveTo(path);
        TransformerChain loaded = TransformerChain.Load(path);
        Assert.Equal(fitted.ComputeHash(), loaded.ComputeHash());
        foreach (Sample input in inputs)
        {
            StageHarness.AssertSame(fitted.Transform(input, TransformContext.Plain), loaded.Transform(input, TransformContext.Plain));
            StageHarness.AssertSame(fitted.Transform(input, TransformContext.ForDraw(1, "x", 2)), loaded.Transform(input, TransformContext.ForDraw(1, "x", 2)));
        }

        // Plain context: augmentation stages are identity, so the output is the plain front end.
        Sample plain = fitted.Transform(inputs[0], TransformContext.Plain);
        var withoutAugmentation = new TransformerChain([fitted[0], fitted[2], fitted[3], fitted[4]]);
        StageHarness.AssertSame(withoutAugmentation.Transform(inputs[0], TransformContext.Plain), plain);
        Sample augmented = fitted.Transform(inputs[0], TransformContext.ForDraw(1, "x", 2));
        Assert.NotEqual(plain.Features!.Data, augmented.Features!.Data);
    }

    [Fact]
    public void CacheablePrefixStopsAtTheFirstFittedOrOnlineStage()
    {
        TransformerChain fitted = FrontEnd().Fit(Inputs());
        (TransformerChain cacheable, TransformerChain rest) = fitted.SplitBefore(StageTraits.Fitted | StageTraits.Online);
        Assert.Equal(["trim", "addNoise", "logMel", "fixedLength"], cacheable.Select(s => s.StageType));
        Assert.Equal(["normalise", "specAugment"], rest.Select(s => s.StageType));
    }

    [Fact]
    public void UserStagesPlugInThroughOneInterfaceAndTheRegistry()
    {
        StageRegistry.Register(Invert.TypeName, _ => new Invert());
        TransformerChain chain = new EstimatorChain().Append(new TrimStage(new TrimOptions())).Append(new Invert()).Fit([]);
        TransformerChain loaded = TransformerChain.FromJson(chain.ToJson());
        AudioSignal tone = TestSignals.Tone(100, 0.5);
        Sample output = loaded.Transform(Sample.FromAudio(tone), TransformContext.Plain);
        Assert.Equal(-tone.Samples[10], output.Audio!.Samples[10]);
    }

    [Theory]
    [InlineData("""{"format":"other","version":1,"stages":[]}""", "expected 'sermlnet-pipeline'")]
    [InlineData("""{"format":"sermlnet-pipeline","version":1,"stages":[{"type":"nope"}]}""", "stages[0].type: unknown stage 'nope'")]
    [InlineData("""{"format":"sermlnet-pipeline","version":1,"stages":[{"type":"trim","topDb":-5}]}""", "TopDb must be a positive")]
    [InlineData("""{"format":"sermlnet-pipeline","version":1,"stages":[{"type":"trim","topdB":5}]}""", "topdB")]
    [InlineData("""{"format":"sermlnet-pipeline","version":1,"stages":[{"type":"logMel","nMels":"many"}]}""", "nMels")]
    [InlineData("{", "not valid pipeline JSON")]
    public void BadPipelineJsonNamesTheField(string json, string expected)
    {
        var ex = Assert.Throws<PipelineFormatException>(() => TransformerChain.FromJson(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private sealed class Invert : ITransformer
    {
        public const string TypeName = "test.invert";

        public string StageType => TypeName;

        public SampleSchema GetOutputSchema(SampleSchema input)
        {
            input.Require(SampleKind.Audio, TypeName);
            return input;
        }

        public Sample Transform(Sample input, TransformContext context)
        {
            AudioSignal audio = input.RequireAudio(TypeName);
            return input.With(new AudioSignal([.. audio.Samples.Select(s => -s)], audio.SampleRate));
        }

        public JsonObject Save() => [];
    }
}
