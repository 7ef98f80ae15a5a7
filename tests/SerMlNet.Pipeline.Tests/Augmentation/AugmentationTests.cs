using SerMlNet.Audio;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Randomness;
using SerMlNet.Pipeline.Tests.Composition;
using Xunit.Abstractions;

namespace SerMlNet.Pipeline.Tests.Augmentation;

public class AugmentationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(NoiseColour.White, 5.0)]
    [InlineData(NoiseColour.White, 20.0)]
    [InlineData(NoiseColour.Pink, 10.0)]
    [InlineData(NoiseColour.Pink, 30.0)]
    public void NoiseLandsWithinHalfADecibelOfTheRequestedSnr(NoiseColour colour, double snrDb)
    {
        AudioSignal speech = TestSignals.Speech();
        float[] noisy = (float[])speech.Samples.Clone();
        AddNoiseStage.Apply(noisy, snrDb, colour, new SeededRandom(3));
        double signal = 0, noise = 0;
        for (int i = 0; i < noisy.Length; i++)
        {
            signal += (double)speech.Samples[i] * speech.Samples[i];
            double n = noisy[i] - speech.Samples[i];
            noise += n * n;
        }
        double measured = 10 * Math.Log10(signal / noise);
        output.WriteLine($"{colour} noise at {snrDb} dB requested: measured SNR {measured:F3} dB");
        Assert.InRange(measured, snrDb - 0.5, snrDb + 0.5);
    }

    [Fact]
    public void PinkNoiseFallsAboutThreeDecibelsPerOctave()
    {
        var noise = new double[1 << 16];
        AddNoiseStage.Generate(noise, NoiseColour.Pink, new SeededRandom(1));
        // Power in two octave bands, by a naive DFT over a few bins per band.
        double Band(double lo, double hi)
        {
            double sum = 0;
            int count = 0;
            for (double f = lo; f < hi; f += (hi - lo) / 16)
            {
                double re = 0, im = 0;
                for (int i = 0; i < noise.Length; i++)
                {
                    double phase = 2 * Math.PI * f * i / 16000;
                    re += noise[i] * Math.Cos(phase);
                    im -= noise[i] * Math.Sin(phase);
                }
                sum += re * re + im * im;
                count++;
            }
            return sum / count;
        }
        double slope = 10 * Math.Log10(Band(1000, 2000) / Band(500, 1000));
        output.WriteLine($"pink noise: {slope:F2} dB per octave (500-1000 Hz to 1000-2000 Hz)");
        Assert.InRange(slope, -4.5, -1.5);
    }

    [Fact]
    public void PitchShiftOfTwoSemitonesMoves440HzTo493Point9Hz()
    {
        var stage = new PitchShiftStage(new PitchShiftOptions { Probability = 1, MinSemitones = 2, MaxSemitones = 2 });
        AudioSignal tone = TestSignals.Tone(440, 2);
        AudioSignal shifted = stage.Transform(Sample.FromAudio(tone), TransformContext.ForDraw(1, "tone", 1)).Audio!;
        Assert.Equal(tone.Samples.Length, shifted.Samples.Length);
        double expected = 440 * Math.Pow(2, 2.0 / 12);
        double measured = DominantFrequency(shifted.Samples.AsSpan(8000, 16000), 16000);
        output.WriteLine($"440 Hz shifted +2 semitones: {measured:F2} Hz (expected {expected:F2} Hz, {100 * (measured / expected - 1):+0.000;-0.000} %)");
        Assert.InRange(measured, expected * 0.99, expected * 1.01);
    }

    [Fact]
    public void TimeStretchAtRate1Point25ShortensByOneOver1Point25()
    {
        var stage = new TimeStretchStage(new TimeStretchOptions { Probability = 1, MinRate = 1.25, MaxRate = 1.25 });
        AudioSignal speech = TestSignals.Speech();
        AudioSignal stretched = stage.Transform(Sample.FromAudio(speech), TransformContext.ForDraw(1, "s", 1)).Audio!;
        double ratio = (double)stretched.Samples.Length / speech.Samples.Length;
        output.WriteLine($"time stretch at rate 1.25: length ratio {ratio:F5} (expected {1 / 1.25:F5})");
        Assert.InRange(ratio, 1 / 1.25 * 0.99, 1 / 1.25 * 1.01);
        AudioSignal tone = TestSignals.Tone(440, 2);
        AudioSignal stretchedTone = stage.Transform(Sample.FromAudio(tone), TransformContext.ForDraw(1, "t", 1)).Audio!;
        double pitch = DominantFrequency(stretchedTone.Samples.AsSpan(4000, 16000), 16000);
        output.WriteLine($"time stretch at rate 1.25 keeps a 440 Hz tone at {pitch:F2} Hz");
        Assert.InRange(pitch, 440 * 0.99, 440 * 1.01);
    }

    [Fact]
    public void TimeShiftKeepsLengthAndMovesContent()
    {
        float[] x = [1, 2, 3, 4, 5];
        Assert.Equal([0, 0, 1, 2, 3], TimeShiftStage.Shift(x, 2));
        Assert.Equal([3, 4, 5, 0, 0], TimeShiftStage.Shift(x, -2));
        Assert.Equal([0, 0, 0, 0, 0], TimeShiftStage.Shift(x, 7));
    }

    [Fact]
    public void DrawsAreDeterministicPerSeedClipAndDraw()
    {
        var stage = new AddNoiseStage(new NoiseOptions { Probability = 1 });
        Sample input = Sample.FromAudio(TestSignals.Speech());
        float[] a = stage.Transform(input, TransformContext.ForDraw(7, "clip-a", 1)).Audio!.Samples;
        float[] b = stage.Transform(input, TransformContext.ForDraw(7, "clip-a", 1)).Audio!.Samples;
        float[] c = stage.Transform(input, TransformContext.ForDraw(7, "clip-a", 2)).Audio!.Samples;
        float[] d = stage.Transform(input, TransformContext.ForDraw(7, "clip-b", 1)).Audio!.Samples;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(a, d);
    }

    [Fact]
    public void PlainContextNeverAugments()
    {
        Sample input = Sample.FromAudio(TestSignals.Speech());
        ITransformer[] stages =
        [
            new AddNoiseStage(new NoiseOptions { Probability = 1 }),
            new GainStage(new GainOptions { Probability = 1 }),
            new TimeShiftStage(new TimeShiftOptions { Probability = 1 }),
        ];
        foreach (ITransformer stage in stages)
        {
            Assert.Same(input, stage.Transform(input, TransformContext.Plain));
        }
        Assert.Throws<InvalidOperationException>(() => TransformContext.Plain.Random);
        Assert.Throws<ArgumentOutOfRangeException>(() => TransformContext.ForDraw(1, "x", 0));
    }

    private static double DominantFrequency(ReadOnlySpan<float> x, int sampleRate)
    {
        // The peak of a DFT scan in 0.5 Hz steps between 300 and 700 Hz.
        double best = 0, bestPower = -1;
        for (double f = 300; f <= 700; f += 0.5)
        {
            double re = 0, im = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double phase = 2 * Math.PI * f * i / sampleRate;
                re += x[i] * Math.Cos(phase);
                im -= x[i] * Math.Sin(phase);
            }
            double power = re * re + im * im;
            if (power > bestPower)
            {
                bestPower = power;
                best = f;
            }
        }
        return best;
    }
}
