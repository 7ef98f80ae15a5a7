using SerMlNet.Audio.Normalisation;
using SerMlNet.Tests;

namespace SerMlNet.Audio.Tests.Normalisation;

public sealed class NormalisationTests
{
    private static FeatureMatrix Ramp(int rows, int cols) =>
        new(rows, cols, Enumerable.Range(0, rows * cols).Select(i => (float)i).ToArray());

    [Fact]
    public void Fixed_length_pads_with_the_matrix_minimum()
    {
        var m = new FeatureMatrix(2, 2, [-10f, -3f, -80f, 0f]);
        FeatureMatrix f = FixedLength.Apply(m, new FixedLengthOptions { Frames = 4 });
        Assert.Equal([-10f, -3f, -80f, -80f, -80f, 0f, -80f, -80f], f.Data);
    }

    [Theory]
    [InlineData(CropAlignment.Start, new float[] { 0, 1, 5, 6 })]
    [InlineData(CropAlignment.Center, new float[] { 1, 2, 6, 7 })]
    [InlineData(CropAlignment.End, new float[] { 3, 4, 8, 9 })]
    public void Fixed_length_crops_by_alignment(CropAlignment alignment, float[] expected)
    {
        FeatureMatrix f = FixedLength.Apply(Ramp(2, 5), new FixedLengthOptions { Frames = 2, Alignment = alignment });
        Assert.Equal(expected, f.Data);
    }

    [Fact]
    public void Fixed_length_defaults_to_300_frames_from_the_start()
    {
        var o = new FixedLengthOptions();
        Assert.Equal(300, o.Frames);
        Assert.Equal(CropAlignment.Start, o.Alignment);
        Assert.Throws<OptionsValidationException>(() => new FixedLengthOptions { Frames = 0 }.Validate());
    }

    [Fact]
    public void Zscore_gives_zero_mean_unit_std()
    {
        FeatureMatrix z = ZScore.Apply(Ramp(3, 7));
        double mean = z.Data.Average(v => (double)v);
        double std = Math.Sqrt(z.Data.Average(v => (v - mean) * (v - mean)));
        Assert.Equal(0, mean, 6);
        Assert.Equal(1, std, 6);
        Assert.All(ZScore.Apply(new FeatureMatrix(2, 2, [5f, 5f, 5f, 5f])).Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Band_statistics_streamed_equal_batch_statistics()
    {
        var rng = new Random(3);
        FeatureMatrix[] parts = Enumerable.Range(0, 5).Select(i =>
            new FeatureMatrix(4, 10 + i, Enumerable.Range(0, 4 * (10 + i)).Select(_ => (float)(rng.NextDouble() * 50 - 80)).ToArray())).ToArray();
        var acc = new BandStatistics.Accumulator(4);
        var accA = new BandStatistics.Accumulator(4);
        var accB = new BandStatistics.Accumulator(4);
        for (int i = 0; i < parts.Length; i++)
        {
            acc.Add(parts[i]);
            (i % 2 == 0 ? accA : accB).Add(parts[i]);
        }
        accA.Merge(accB);
        BandStatistics s = acc.ToStatistics();
        BandStatistics merged = accA.ToStatistics();
        for (int b = 0; b < 4; b++)
        {
            double[] all = parts.SelectMany(p => p.Row(b).ToArray()).Select(v => (double)v).ToArray();
            double mean = all.Average();
            double std = Math.Sqrt(all.Average(v => (v - mean) * (v - mean)));
            Assert.Equal(mean, s.Mean[b], 9);
            Assert.Equal(std, s.Std[b], 9);
            Assert.Equal(mean, merged.Mean[b], 9);
            Assert.Equal(std, merged.Std[b], 9);
        }
        Assert.Equal(parts.Sum(p => p.Columns), s.Count);
        BandStatistics fitted = BandStatistics.Fit(parts);
        Assert.Equal(s.Mean, fitted.Mean);
        BandStatistics.Accumulator clone = acc.Clone();
        clone.Add(parts[0]);
        Assert.Equal(s.Count, acc.Count);
        Assert.Equal(s.Count + parts[0].Columns, clone.Count);
        Assert.Throws<ArgumentException>(() => s.Apply(new FeatureMatrix(3, 2)));

        FeatureMatrix normalised = s.Apply(parts[0]);
        Assert.Equal((float)((parts[0][2, 3] - s.Mean[2]) / (s.Std[2] + BandStatistics.Epsilon)), normalised[2, 3], 5);
    }

    [Fact]
    public void Band_statistics_save_and_load_round_trip()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string path = Path.Combine(folder.Path, "stats.json");
        var s = new BandStatistics([1.5, -2.25], [0.5, 3.0], 42);
        s.Save(path);
        Assert.Contains(BandStatistics.FormatName, File.ReadAllText(path), StringComparison.Ordinal);
        BandStatistics back = BandStatistics.Load(path);
        Assert.Equal(s.Mean, back.Mean);
        Assert.Equal(s.Std, back.Std);
        Assert.Equal(42, back.Count);
        File.WriteAllText(path, "{\"format\":\"other\",\"version\":1}");
        Assert.Throws<InvalidFileException>(() => BandStatistics.Load(path));
    }

    [Fact]
    public void Empty_accumulator_cannot_produce_statistics() =>
        Assert.Throws<InvalidOperationException>(() => new BandStatistics.Accumulator(3).ToStatistics());
}
