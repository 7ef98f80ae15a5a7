using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Trimming;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Stages;

namespace SerMlNet.Pipeline.Tests.Composition;

public class StageTests
{
    private static readonly SampleSchema Audio16k = new(SampleKind.Audio, 16000);
    private static readonly SampleSchema Mel = new(SampleKind.Features, 16000, 128, null);
    private static readonly SampleSchema Mel300 = new(SampleKind.Features, 16000, 128, 300);

    private static Sample[] AudioInputs() => [Sample.FromAudio(TestSignals.Speech()), Sample.FromAudio(TestSignals.Tone(440, 1.3))];

    private static Sample[] FeatureInputs() =>
        [.. AudioInputs().Select(s => Sample.FromFeatures(new LogMelExtractor(new LogMelOptions()).ComputeDb(s.Audio!.Samples)))];

    private static Sample[] FixedFeatureInputs() =>
        [.. FeatureInputs().Select(s => s.With(FixedLength.Apply(s.Features!, new FixedLengthOptions())))];

    [Fact]
    public void LoadAudioDecodesAndResamples()
    {
        string original48k = Path.Combine(SerMlNet.Tests.RepoPaths.Ravdess48kSamples, "03-01-02-01-01-02-01.wav");
        Sample[] inputs =
        [
            Sample.FromClip(TestSignals.Clip()),
            Sample.FromFile(original48k),
            Sample.FromAudio(TestSignals.Tone(440, 1, 48000)),
            Sample.FromAudio(TestSignals.Tone(440, 1, 16000)),
        ];
        ITransformer stage = StageHarness.Check(new LoadAudioStage(new LoadAudioOptions()), SampleSchema.Source, inputs, FeatureInputs()[0]);
        Sample from48k = stage.Transform(inputs[1], TransformContext.Plain);
        Assert.Equal(16000, from48k.Audio!.SampleRate);
        Assert.Equal(172972 / 3, from48k.Audio.Samples.Length, 1.0);
        Assert.Same(inputs[3], stage.Transform(inputs[3], TransformContext.Plain));
    }

    [Fact]
    public void LoadAudioReportsABadFileWithItsPath()
    {
        using var temp = SerMlNet.Tests.RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "broken.wav");
        File.WriteAllText(path, "not a wav");
        var stage = new LoadAudioStage(new LoadAudioOptions());
        var ex = Assert.Throws<SerMlNet.Audio.Wav.WavFormatException>(() => stage.Transform(Sample.FromFile(path), TransformContext.Plain));
        Assert.Contains("broken.wav", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trim() => StageHarness.Check(new TrimStage(new TrimOptions()), Audio16k, AudioInputs(), FeatureInputs()[0]);

    [Fact]
    public void LogMel() => StageHarness.Check(new LogMelStage(new LogMelOptions()), Audio16k, AudioInputs(), FeatureInputs()[0]);

    [Fact]
    public void FixedLengthPadsAndCrops() => StageHarness.Check(new FixedLengthStage(new FixedLengthOptions { Frames = 120 }), Mel, FeatureInputs(), AudioInputs()[0]);

    [Fact]
    public void NormaliseBand()
    {
        ITransformer fitted = StageHarness.Check(new NormaliseEstimator(new NormaliseOptions()), Mel300, FixedFeatureInputs(), AudioInputs()[0]);
        Assert.Equal(StageTraits.Fitted, fitted.Traits);
    }

    [Fact]
    public void NormaliseUtterance() =>
        StageHarness.Check(new NormaliseEstimator(new NormaliseOptions { Mode = NormalisationMode.Utterance }), Mel300, FixedFeatureInputs(), AudioInputs()[0]);

    [Fact]
    public void AddNoise() => StageHarness.Check(new AddNoiseStage(new NoiseOptions { Probability = 1 }), Audio16k, AudioInputs(), FeatureInputs()[0]);

    [Fact]
    public void PitchShift() => StageHarness.Check(new PitchShiftStage(new PitchShiftOptions { Probability = 1 }), Audio16k, AudioInputs(), FeatureInputs()[0]);

    [Fact]
    public void TimeStretch() => StageHarness.Check(new TimeStretchStage(new TimeStretchOptions { Probability = 1 }), Audio16k, AudioInputs(), FeatureInputs()[0]);

    [Fact]
    public void Gain() => StageHarness.Check(new GainStage(new GainOptions { Probability = 1 }), Audio16k, AudioInputs(), FeatureInputs()[0]);

    [Fact]
    public void TimeShift() => StageHarness.Check(new TimeShiftStage(new TimeShiftOptions { Probability = 1 }), Audio16k, AudioInputs(), FeatureInputs()[0]);

    [Fact]
    public void SpecAugment() => StageHarness.Check(new SpecAugmentStage(new SpecAugmentOptions { Probability = 1 }), Mel300, FixedFeatureInputs(), AudioInputs()[0]);

    [Fact]
    public void LogMelRejectsAudioAtAnotherRate()
    {
        var stage = new LogMelStage(new LogMelOptions());
        var ex = Assert.Throws<SchemaMismatchException>(() => stage.GetOutputSchema(new SampleSchema(SampleKind.Audio, 48000)));
        Assert.Contains("48000", ex.Message, StringComparison.Ordinal);
        Assert.Throws<SchemaMismatchException>(() => stage.Transform(Sample.FromAudio(TestSignals.Tone(440, 1, 48000)), TransformContext.Plain));
    }

    [Fact]
    public void BadOptionsAreRejectedWithEveryField()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new AddNoiseStage(new NoiseOptions { Probability = 2, MinSnrDb = 30, MaxSnrDb = 10, Colours = [] }));
        Assert.Equal(3, ex.Errors.Count);
    }
}
