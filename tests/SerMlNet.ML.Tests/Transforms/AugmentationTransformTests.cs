using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.ML.Transforms;
using SerMlNet.Pipeline.Augmentation;

namespace SerMlNet.ML.Tests.Transforms;

public sealed class AugmentationTransformTests
{
    // Cheap augmentations that always act, so every draw > 0 differs from the original.
    private static readonly AugmentationOptions Always = new()
    {
        Seed = 7,
        TimeStretch = null,
        PitchShift = null,
        TimeShift = new TimeShiftOptions { Probability = 1 },
        Gain = new GainOptions { Probability = 1 },
        Noise = new NoiseOptions { Probability = 1 },
    };

    private static IDataView Augmented(MLContext ml, ClipRow[] clips, AugmentationOptions options) =>
        ml.Transforms.LoadAudio("Audio", "Path")
            .Append(ml.Transforms.TrimSilence("Audio"))
            .Append(ml.Transforms.ReplicateForAugmentation("Draw", copies: 2))
            .Append(ml.Transforms.AugmentAudio("Augmented", "Audio", "ClipId", "Draw", options))
            .Fit(ClipRows.View(ml, clips))
            .Transform(ClipRows.View(ml, clips));

    /// <summary>(clip id, draw) → augmented audio, read through a cursor set of <paramref name="cursors"/> (rows arrive in any order).</summary>
    private static Dictionary<(string, int), float[]> Read(IDataView view, int cursors)
    {
        var result = new System.Collections.Concurrent.ConcurrentDictionary<(string, int), float[]>();
        DataViewSchema.Column[] columns = [view.Schema["ClipId"], view.Schema["Draw"], view.Schema["Augmented"]];
        DataViewRowCursor[] set = view.GetRowCursorSet(columns, cursors);
        Parallel.ForEach(set, cursor =>
        {
            using (cursor)
            {
                var id = cursor.GetGetter<ReadOnlyMemory<char>>(columns[0]);
                var draw = cursor.GetGetter<int>(columns[1]);
                var audio = cursor.GetGetter<VBuffer<float>>(columns[2]);
                ReadOnlyMemory<char> i = default;
                int d = 0;
                VBuffer<float> a = default;
                while (cursor.MoveNext())
                {
                    id(ref i);
                    draw(ref d);
                    audio(ref a);
                    Assert.True(result.TryAdd((i.ToString(), d), a.DenseValues().ToArray()));
                }
            }
        });
        return new(result);
    }

    [Fact]
    public void Augmentation_is_deterministic_per_seed_clip_and_draw_and_leaves_draw_zero_untouched()
    {
        var ml = new MLContext(seed: 1);
        ClipRow[] clips = ClipRows.Ravdess16k(3);
        IDataView view = Augmented(ml, clips, Always);
        Assert.Equal(9, view.GetRowCount());

        Dictionary<(string, int), float[]> sequential = Read(view, 1);
        Dictionary<(string, int), float[]> parallel = Read(view, 2);
        List<float[]> originals = ClipRows.ReadVectors(view, "Audio");
        Assert.Equal(9, sequential.Count);
        for (int c = 0; c < clips.Length; c++)
        {
            Assert.Equal(originals[3 * c], sequential[(clips[c].ClipId, 0)]);
            for (int d = 0; d <= 2; d++)
            {
                Assert.Equal(sequential[(clips[c].ClipId, d)], parallel[(clips[c].ClipId, d)]);
            }
            Assert.NotEqual(sequential[(clips[c].ClipId, 0)], sequential[(clips[c].ClipId, 1)]);
            Assert.NotEqual(sequential[(clips[c].ClipId, 1)], sequential[(clips[c].ClipId, 2)]);
        }

        // Another seed gives other draws; draw 0 stays the original.
        Dictionary<(string, int), float[]> reseeded = Read(Augmented(ml, clips, new AugmentationOptions
        {
            Seed = 8, TimeStretch = null, PitchShift = null, TimeShift = Always.TimeShift, Gain = Always.Gain, Noise = Always.Noise,
        }), 1);
        Assert.Equal(sequential[(clips[0].ClipId, 0)], reseeded[(clips[0].ClipId, 0)]);
        Assert.NotEqual(sequential[(clips[0].ClipId, 1)], reseeded[(clips[0].ClipId, 1)]);
    }

    [Fact]
    public void Spec_augment_masks_are_deterministic_per_epoch_and_change_between_epochs()
    {
        var ml = new MLContext(seed: 1);
        ClipRow[] clips = ClipRows.Ravdess16k(2);
        IDataView data = ClipRows.View(ml, clips);
        var options = new SpecAugmentOptions { Probability = 1, MaskValue = -1000 };
        var prefix = ml.Transforms.LoadAudio("Audio", "Path")
            .Append(ml.Transforms.LogMel("LogMel", "Audio"))
            .Append(ml.Transforms.FixedLength("Fixed", "LogMel"))
            .Append(ml.Transforms.ReplicateForAugmentation("Draw", copies: 1));
        IDataView features = prefix.Fit(data).Transform(data);
        SpecAugmentingTransformer epoch0 = ml.Transforms.SpecAugment("Masked", "Fixed", options: options, seed: 3).Fit(features);

        List<float[]> first = ClipRows.ReadVectors(epoch0.Transform(features), "Masked");
        List<float[]> again = ClipRows.ReadVectors(epoch0.Transform(features), "Masked");
        List<float[]> next = ClipRows.ReadVectors(epoch0.ForEpoch(1).Transform(features), "Masked");
        List<float[]> plain = ClipRows.ReadVectors(features, "Fixed");
        Assert.Equal(first, again);
        Assert.NotEqual(first, next);
        Assert.All(first, v => Assert.Contains(-1000f, v));
        Assert.DoesNotContain(-1000f, plain[0]);
    }

    [Fact]
    public void Training_pipeline_fits_band_statistics_on_the_originals_only()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ClipRows.View(ml, ClipRows.Ravdess16k(3));
        // The training pipeline: augmentation between trimming and log-Mel, SpecAugment after normalisation.
        var training = ml.Transforms.Conversion.MapValueToKey("Label", "Emotion")
            .Append(ml.Transforms.LoadAudio("Audio", "Path"))
            .Append(ml.Transforms.TrimSilence("Audio"))
            .Append(ml.Transforms.ReplicateForAugmentation("Draw", copies: 2))
            .Append(ml.Transforms.AugmentAudio("Audio", options: Always))
            .Append(ml.Transforms.LogMel("LogMel", "Audio"))
            .Append(ml.Transforms.FixedLength("LogMel"))
            .Append(ml.Transforms.NormalizeBands("Features", "LogMel", drawColumnName: "Draw"))
            .Append(ml.Transforms.SpecAugment("Features"));
        var fitted = training.Fit(train);
        // The scoring front end: the same stages without the augmentations.
        var scoring = ml.Transforms.LoadAudio("Audio", "Path")
            .Append(ml.Transforms.TrimSilence("Audio"))
            .Append(ml.Transforms.LogMel("LogMel", "Audio"))
            .Append(ml.Transforms.FixedLength("LogMel"))
            .Append(ml.Transforms.NormalizeBands("Features", "LogMel"))
            .Fit(train);

        var trainingStatistics = ((IEnumerable<ITransformer>)fitted).OfType<BandNormalizingTransformer>().Single().Statistics;
        Assert.Equal(scoring.LastTransformer.Statistics.Mean, trainingStatistics.Mean);
        Assert.Equal(scoring.LastTransformer.Statistics.Std, trainingStatistics.Std);
        IDataView rows = fitted.Transform(train);
        Assert.Equal(9, ClipRows.ReadVectors(rows, "Features").Count);
        Assert.Equal([128, 300], ((VectorDataViewType)rows.Schema["Features"].Type).Dimensions.ToArray());
    }
}
