using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Trimming;
using SerMlNet.Audio.Wav;
using SerMlNet.ML.Transforms;

namespace SerMlNet.ML.Tests.Transforms;

public sealed class AudioCatalogTests
{
    private static IEstimator<ITransformer> FrontEnd(MLContext ml) =>
        ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 16000)
            .Append(ml.Transforms.TrimSilence("Audio"))
            .Append(ml.Transforms.LogMel("LogMel", "Audio"))
            .Append(ml.Transforms.FixedLength("Fixed", "LogMel"))
            .Append(ml.Transforms.NormalizeBands("Features", "Fixed"));

    [Fact]
    public void Pipeline_reports_its_output_schema_before_data_flows()
    {
        var ml = new MLContext(seed: 1);
        SchemaShape shape = FrontEnd(ml).GetOutputSchema(ClipRows.Shape(ml));
        SchemaShape.Column features = shape.Single(c => c.Name == "Features");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, features.Kind);
        Assert.Equal(NumberDataViewType.Single, features.ItemType);
        Assert.Equal(SchemaShape.Column.VectorKind.VariableVector, shape.Single(c => c.Name == "Audio").Kind);

        // The stateless stages fitted and applied to paths that do not exist: the schema is known, no file is read.
        IDataView missing = ClipRows.View(ml, [new ClipRow { Path = Path.Combine(Path.GetTempPath(), "sermlnet-missing-clip.wav"), ClipId = "a", Emotion = "01" }]);
        var stateless = ml.Transforms.LoadAudio("Audio", "Path")
            .Append(ml.Transforms.TrimSilence("Audio"))
            .Append(ml.Transforms.LogMel("LogMel", "Audio"))
            .Append(ml.Transforms.FixedLength("Fixed", "LogMel"));
        IDataView output = stateless.Fit(missing).Transform(missing);
        var type = Assert.IsType<VectorDataViewType>(output.Schema["Fixed"].Type);
        Assert.Equal([128, 300], type.Dimensions.ToArray());
        Assert.Equal(16000, AudioAnnotations.GetSampleRate(output.Schema["Audio"]));
        Assert.Equal(128, AudioAnnotations.GetMelBands(output.Schema["LogMel"]));
        Assert.Throws<FileNotFoundException>(() => ClipRows.ReadVectors(output, "Fixed"));
    }

    [Fact]
    public void Chain_with_ml_net_map_value_to_key_runs()
    {
        var ml = new MLContext(seed: 1);
        ClipRow[] clips = ClipRows.Ravdess16k(8);
        IDataView data = ClipRows.View(ml, clips);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Emotion")
            .Append(FrontEnd(ml))
            .Append(ml.Transforms.CopyColumns("Input", "Features"));
        IDataView output = pipeline.Fit(data).Transform(data);

        Assert.IsType<KeyDataViewType>(output.Schema["Label"].Type);
        Assert.Equal([128, 300], ((VectorDataViewType)output.Schema["Input"].Type).Dimensions.ToArray());
        uint[] labels = [.. output.GetColumn<uint>("Label")];
        string[] emotions = [.. output.GetColumn<string>("Emotion")];
        Assert.Equal(clips.Select(c => c.Emotion), emotions);
        // Equal emotions map to equal keys, different ones to different keys.
        for (int i = 0; i < labels.Length; i++)
        {
            for (int j = 0; j < labels.Length; j++)
            {
                Assert.Equal(emotions[i] == emotions[j], labels[i] == labels[j]);
            }
        }
        List<float[]> inputs = ClipRows.ReadVectors(output, "Input");
        Assert.Equal(8, inputs.Count);
        Assert.All(inputs, v => Assert.Equal(128 * 300, v.Length));
    }

    [Fact]
    public void Features_equal_the_library_computation_bit_for_bit()
    {
        var ml = new MLContext(seed: 1);
        ClipRow[] clips = [.. ClipRows.Ravdess16k(3), .. ClipRows.Ravdess48k().Take(2)];
        IDataView data = ClipRows.View(ml, clips);
        ITransformer model = FrontEnd(ml).Fit(data);
        IDataView output = model.Transform(data);
        List<float[]> fixedLength = ClipRows.ReadVectors(output, "Fixed");
        List<float[]> features = ClipRows.ReadVectors(output, "Features");

        // The `ser features` computation (FeaturesCommand.ProcessFile): decode, resample, trim, log-Mel, fixed length.
        var extractor = new LogMelExtractor(new LogMelOptions());
        var expected = new List<FeatureMatrix>();
        foreach (ClipRow clip in clips)
        {
            AudioSignal signal = WavFile.Read(clip.Path);
            float[] samples = signal.SampleRate == 16000 ? signal.Samples : new Resampler(signal.SampleRate, 16000).Process(signal.Samples);
            TrimInterval kept = SilenceTrimmer.FindInterval(samples, new TrimOptions());
            expected.Add(FixedLength.Apply(extractor.ComputeDb(samples.AsSpan(kept.Start, kept.Length)), new FixedLengthOptions()));
        }
        BandStatistics statistics = BandStatistics.Fit(expected);
        var normaliser = Assert.IsType<BandNormalizingTransformer>(((IEnumerable<ITransformer>)model).Last());
        Assert.Equal(statistics.Mean, normaliser.Statistics.Mean);
        Assert.Equal(statistics.Std, normaliser.Statistics.Std);
        for (int i = 0; i < clips.Length; i++)
        {
            Assert.Equal(expected[i].Data, fixedLength[i]);
            Assert.Equal(statistics.Apply(expected[i]).Data, features[i]);
        }
    }

    [Fact]
    public void Band_normalisation_is_fitted_on_the_training_view_only()
    {
        var ml = new MLContext(seed: 1);
        ClipRow[] all = ClipRows.Ravdess16k(6);
        IDataView train = ClipRows.View(ml, all[..3]);
        IDataView test = ClipRows.View(ml, all[3..]);
        var prefix = ml.Transforms.LoadAudio("Audio", "Path").Append(ml.Transforms.LogMel("LogMel", "Audio")).Append(ml.Transforms.FixedLength("Fixed", "LogMel"));
        ITransformer front = prefix.Fit(train);
        BandNormalizingTransformer fitted = ml.Transforms.NormalizeBands("Features", "Fixed").Fit(front.Transform(train));

        List<float[]> trainFixed = ClipRows.ReadVectors(front.Transform(train), "Fixed");
        List<float[]> testFixed = ClipRows.ReadVectors(front.Transform(test), "Fixed");
        BandStatistics trainOnly = BandStatistics.Fit(trainFixed.Select(v => new FeatureMatrix(128, 300, v)));
        BandStatistics both = BandStatistics.Fit([.. trainFixed.Concat(testFixed).Select(v => new FeatureMatrix(128, 300, v))]);
        Assert.Equal(3 * 300, fitted.Statistics.Count);
        Assert.Equal(trainOnly.Mean, fitted.Statistics.Mean);
        Assert.NotEqual(both.Mean, fitted.Statistics.Mean);

        // The test view is normalised with the training statistics, not its own.
        List<float[]> testFeatures = ClipRows.ReadVectors(fitted.Transform(front.Transform(test)), "Features");
        for (int i = 0; i < testFixed.Count; i++)
        {
            Assert.Equal(trainOnly.Apply(new FeatureMatrix(128, 300, testFixed[i])).Data, testFeatures[i]);
        }
    }

    public sealed class FeaturesRow
    {
        [VectorType(128, 300)]
        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void Prediction_engine_computes_one_clip_like_the_view()
    {
        var ml = new MLContext(seed: 1);
        ClipRow[] clips = ClipRows.Ravdess16k(3);
        IDataView data = ClipRows.View(ml, clips);
        ITransformer model = FrontEnd(ml).Fit(data);
        Assert.True(model.IsRowToRowMapper);
        List<float[]> expected = ClipRows.ReadVectors(model.Transform(data), "Features");
        var engine = ml.Model.CreatePredictionEngine<ClipRow, FeaturesRow>(model);
        for (int i = clips.Length - 1; i >= 0; i--)
        {
            Assert.Equal(expected[i], engine.Predict(clips[i]).Features);
        }
    }
}
