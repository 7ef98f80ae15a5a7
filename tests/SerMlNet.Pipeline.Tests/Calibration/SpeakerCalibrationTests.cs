using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Pipeline.Calibration;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Stages;
using SerMlNet.Tests;

namespace SerMlNet.Pipeline.Tests.Calibration;

public sealed class SpeakerCalibrationTests
{
    /// <summary>The shipped fitted pipeline: trim, 128-band log-Mel, 300 frames, band normalisation.</summary>
    private static readonly Lazy<TransformerChain> Shipped = new(() => TransformerChain.Load(Path.Combine(RepoPaths.Root, "artifacts", "pipeline.json")));

    /// <summary>Six clips of actor 03 (female in RAVDESS), varied emotions and statements.</summary>
    private static readonly string[] Actor03 =
    [
        "Actor_03/03-01-01-01-01-01-03.wav",
        "Actor_03/03-01-02-02-02-01-03.wav",
        "Actor_03/03-01-04-01-01-02-03.wav",
        "Actor_03/03-01-05-02-02-02-03.wav",
        "Actor_03/03-01-06-01-02-01-03.wav",
        "Actor_03/03-01-08-02-01-01-03.wav",
    ];

    private static IEnumerable<Sample> Clips() => Actor03.Select(c => Sample.FromFile(Path.Combine(RepoPaths.Ravdess16k, c)));

    [Fact]
    public void Calibrated_pipeline_standardises_the_speakers_own_bands_to_zero_mean_and_unit_deviation()
    {
        SpeakerCalibration calibration = SpeakerCalibration.Fit(Shipped.Value, Clips(), "actor03");
        Assert.Equal(6, calibration.Clips);
        Assert.Equal(6L * 300, calibration.Statistics.Count);
        TransformerChain calibrated = calibration.Apply(Shipped.Value);

        BandStatistics after = BandStatistics.Fit(Clips().Select(c => calibrated.Transform(c, TransformContext.Plain).Features!));
        BandStatistics plain = BandStatistics.Fit(Clips().Select(c => Shipped.Value.Transform(c, TransformContext.Plain).Features!));
        for (int b = 0; b < after.Bands; b++)
        {
            Assert.InRange(after.Mean[b], -1e-4, 1e-4);
            Assert.InRange(after.Std[b], 1 - 1e-3, 1 + 1e-3);
        }
        // The training split's statistics leave this one speaker off-centre: the calibration changes something.
        Assert.Contains(Enumerable.Range(0, plain.Bands), b => Math.Abs(plain.Mean[b]) > 0.1);
        // Every other stage is the same object.
        for (int i = 0; i < calibrated.Count; i++)
        {
            if (calibrated[i] is not NormaliseTransformer)
            {
                Assert.Same(Shipped.Value[i], calibrated[i]);
            }
        }
    }

    [Fact]
    public void Calibration_round_trips_through_its_file_and_rejects_other_files_and_front_ends()
    {
        SpeakerCalibration calibration = SpeakerCalibration.Fit(Shipped.Value, Clips().Take(2), "actor03");
        using TempFolder folder = RepoPaths.NewTempFolder();
        string path = Path.Combine(folder.Path, "actor03.calibration.json");
        calibration.Save(path);
        SpeakerCalibration loaded = SpeakerCalibration.Load(path);
        Assert.Equal("actor03", loaded.Speaker);
        Assert.Equal(2, loaded.Clips);
        Assert.Equal(calibration.FrontEndHash, loaded.FrontEndHash);
        Assert.Equal(calibration.Statistics.Mean, loaded.Statistics.Mean);
        Assert.Equal(calibration.Statistics.Std, loaded.Statistics.Std);

        string notCalibration = Path.Combine(folder.Path, "pipeline.json");
        Shipped.Value.SaveTo(notCalibration);
        Assert.Throws<InvalidFileException>(() => SpeakerCalibration.Load(notCalibration));
        File.WriteAllText(notCalibration, "{ not json");
        Assert.Throws<InvalidFileException>(() => SpeakerCalibration.Load(notCalibration));

        // Another front end (a different trim threshold) refuses the calibration; so does a pipeline without band normalisation.
        string json = Shipped.Value.ToJson().Replace("\"topDb\": 60", "\"topDb\": 50", StringComparison.Ordinal);
        TransformerChain other = TransformerChain.FromJson(json);
        Assert.NotEqual(SpeakerCalibration.HashOfFrontEnd(Shipped.Value), SpeakerCalibration.HashOfFrontEnd(other));
        Assert.Throws<SchemaMismatchException>(() => loaded.Apply(other));
        var utterance = new TransformerChain(Shipped.Value.Select(s => s is NormaliseTransformer ? new NormaliseTransformer(NormalisationMode.Utterance, null) : s));
        Assert.Throws<SchemaMismatchException>(() => loaded.Apply(utterance));
        Assert.Throws<SchemaMismatchException>(() => SpeakerCalibration.Fit(utterance, Clips()));
        Assert.Throws<ArgumentException>(() => SpeakerCalibration.Fit(Shipped.Value, []));
    }
}
