using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Calibration;
using SerMlNet.Pipeline.Features;
using SerMlNet.Tests;

namespace SerMlNet.Pipeline.Tests.Calibration;

public sealed class SpeakerCalibrationTests
{
    /// <summary>The shipped fitted pipeline: trim, 128-band log-Mel, 300 frames, band normalisation.</summary>
    private static readonly Lazy<FittedFrontEnd> Shipped = new(() => FittedFrontEnd.Load(Path.Combine(RepoPaths.Root, "artifacts", "pipeline.json")));

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

    private static IEnumerable<string> Clips() => Actor03.Select(c => Path.Combine(RepoPaths.Ravdess16k, c));

    [Fact]
    public void Calibrated_pipeline_standardises_the_speakers_own_bands_to_zero_mean_and_unit_deviation()
    {
        SpeakerCalibration calibration = SpeakerCalibration.Fit(Shipped.Value, Clips(), "actor03");
        Assert.Equal(6, calibration.Clips);
        Assert.Equal(6L * 300, calibration.Statistics.Count);
        FittedFrontEnd calibrated = calibration.Apply(Shipped.Value);

        BandStatistics after = BandStatistics.Fit(Clips().Select(c => calibrated.ComputeFeatures(c)));
        BandStatistics plain = BandStatistics.Fit(Clips().Select(c => Shipped.Value.ComputeFeatures(c)));
        for (int b = 0; b < after.Bands; b++)
        {
            Assert.InRange(after.Mean[b], -1e-4, 1e-4);
            Assert.InRange(after.Std[b], 1 - 1e-3, 1 + 1e-3);
        }
        // The training split's statistics leave this one speaker off-centre: the calibration changes something.
        Assert.Contains(Enumerable.Range(0, plain.Bands), b => Math.Abs(plain.Mean[b]) > 0.1);
        // Every other part is the same object.
        Assert.Same(Shipped.Value.Trim, calibrated.Trim);
        Assert.Same(Shipped.Value.LogMel, calibrated.LogMel);
        Assert.Same(Shipped.Value.FixedLength, calibrated.FixedLength);
        Assert.Same(Shipped.Value.Augmentation, calibrated.Augmentation);
        Assert.Same(calibration.Statistics, calibrated.Statistics);
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

        // The training-only augmentations do not count: the same front end with the previous job's augmentation (time
        // stretch, the options' defaults) or none at all takes the calibration as it is.
        foreach (FittedFrontEnd retrained in (FittedFrontEnd[])[Shipped.Value.WithAugmentation(new AugmentationOptions()), Shipped.Value.WithAugmentation(null)])
        {
            Assert.NotEqual(Shipped.Value.ComputeFeatureHash(), retrained.ComputeFeatureHash());
            Assert.Equal(calibration.FrontEndHash, SpeakerCalibration.HashOfFrontEnd(retrained));
            Assert.Equal(calibration.Statistics.Mean, loaded.Apply(retrained).Statistics!.Mean);
        }

        // Another front end (a different trim threshold) refuses the calibration; so does a pipeline without band normalisation.
        string json = Shipped.Value.ToJson().Replace("\"topDb\": 60", "\"topDb\": 50", StringComparison.Ordinal);
        FittedFrontEnd other = FittedFrontEnd.FromJson(json);
        Assert.NotEqual(SpeakerCalibration.HashOfFrontEnd(Shipped.Value), SpeakerCalibration.HashOfFrontEnd(other));
        Assert.Throws<SchemaMismatchException>(() => loaded.Apply(other));
        FittedFrontEnd utterance = Shipped.Value.WithNormalization(NormalisationMode.Utterance, null);
        Assert.Throws<SchemaMismatchException>(() => loaded.Apply(utterance));
        Assert.Throws<SchemaMismatchException>(() => SpeakerCalibration.Fit(utterance, Clips()));
        Assert.Throws<ArgumentException>(() => SpeakerCalibration.Fit(Shipped.Value, []));
    }
}
