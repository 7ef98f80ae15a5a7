using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio;
using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Wav;
using SerMlNet.ML.Transforms;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.ML.Tests.Transforms;

// Measures the managed heap: alone, so other classes' allocations do not move it.
[Collection("Transforms memory")]
public sealed class StreamingTests(ITestOutputHelper output)
{
    [Fact]
    public void Cursor_over_1200_clips_holds_at_most_a_batch_of_audio()
    {
        var ml = new MLContext(seed: 1);
        ClipRow[] clips = ClipRows.Ravdess16k(1200);
        Assert.Equal(1200, clips.Length);
        IDataView data = ClipRows.View(ml, clips);
        IDataView audio = ml.Transforms.LoadAudio("Audio", "Path").Append(ml.Transforms.TrimSilence("Trimmed", "Audio")).Fit(data).Transform(data);
        DataViewSchema.Column trimmed = audio.Schema["Trimmed"];

        foreach (int cursors in new[] { 1, 2 })
        {
            long baseline = GC.GetTotalMemory(forceFullCollection: true);
            long peak = 0, samples = 0, rows = 0;
            object gate = new();
            DataViewRowCursor[] set = audio.GetRowCursorSet([trimmed], cursors);
            Assert.Equal(cursors, set.Length);
            Parallel.ForEach(set, cursor =>
            {
                using (cursor)
                {
                    var getter = cursor.GetGetter<VBuffer<float>>(trimmed);
                    VBuffer<float> value = default;
                    while (cursor.MoveNext())
                    {
                        getter(ref value);
                        lock (gate)
                        {
                            samples += value.Length;
                            if (++rows % 150 == 0)
                            {
                                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                            }
                        }
                    }
                }
            });
            double allAudioMb = samples * 4.0 / (1 << 20);
            output.WriteLine($"{cursors} cursor(s): {rows} clips, {allAudioMb:F0} MB of trimmed audio in all; live heap at most {peak / (double)(1 << 20):F1} MB above the start");
            Assert.Equal(1200, rows);
            // One clip is at most ~0.4 MB of samples (a few copies per cursor and stage): far below the 1,200 clips' total.
            Assert.True(peak < 16L << 20, $"live heap grew by {peak / (double)(1 << 20):F1} MB");
            Assert.True(allAudioMb > 100, $"{allAudioMb:F0} MB");
        }
    }
}

[CollectionDefinition("Transforms memory", DisableParallelization = true)]
public sealed class TransformsMemoryCollection
{
}

public sealed class TransformErrorTests
{
    [Fact]
    public void Log_mel_on_a_text_column_is_rejected_before_data_flows()
    {
        var ml = new MLContext(seed: 1);
        var estimator = ml.Transforms.LogMel("LogMel", "Path");
        var ex = Assert.Throws<AudioColumnException>(() => estimator.GetOutputSchema(ClipRows.Shape(ml)));
        Assert.Equal("LogMel: column 'Path' must be audio (a float vector), but is String", ex.Message);
        IDataView data = ClipRows.View(ml, ClipRows.Ravdess16k(1));
        Assert.Throws<AudioColumnException>(() => estimator.Fit(data));
    }

    [Fact]
    public void Missing_input_column_is_rejected()
    {
        var ml = new MLContext(seed: 1);
        var ex = Assert.Throws<AudioColumnException>(() => ml.Transforms.TrimSilence("Audio").GetOutputSchema(ClipRows.Shape(ml)));
        Assert.Contains("'Audio'", ex.Message);
        Assert.Throws<AudioColumnException>(() => ml.Transforms.LoadAudio("Audio", "Nope").Fit(ClipRows.View(ml, ClipRows.Ravdess16k(1))));
    }

    [Fact]
    public void Log_mel_at_another_sample_rate_is_rejected_before_data_flows()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ClipRows.View(ml, [new ClipRow { Path = "/nonexistent.wav" }]);
        var pipeline = ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 48000).Append(ml.Transforms.LogMel("LogMel", "Audio", new LogMelOptions { SampleRate = 16000 }));
        var ex = Assert.Throws<AudioColumnException>(() => pipeline.Fit(data));
        Assert.Contains("48000 Hz", ex.Message);
    }

    [Fact]
    public void Features_without_mel_bands_and_bad_options_are_rejected()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ClipRows.View(ml, [new ClipRow { Path = "/nonexistent.wav" }]);
        // Raw audio has no Mel bands to pad frames of.
        var fixedOnAudio = ml.Transforms.LoadAudio("Audio", "Path").Append(ml.Transforms.FixedLength("Fixed", "Audio"));
        Assert.Throws<AudioColumnException>(() => fixedOnAudio.Fit(data));
        var options = Assert.Throws<OptionsValidationException>(() => ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 10));
        Assert.Contains("SampleRate", options.Message);
        Assert.Throws<OptionsValidationException>(() => ml.Transforms.LogMel("LogMel", "Audio", new LogMelOptions { NMels = 0 }));
    }

    [Fact]
    public void Saving_an_audio_pipeline_raises_a_typed_exception()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ClipRows.View(ml, [new ClipRow { Path = "/nonexistent.wav" }]);
        ITransformer model = ml.Transforms.LoadAudio("Audio", "Path").Fit(data);
        using var stream = new MemoryStream();
        Exception ex = Record.Exception(() => ml.Model.Save(model, data.Schema, stream));
        var typed = ex as TransformerSaveException ?? ex?.InnerException as TransformerSaveException;
        Assert.NotNull(typed);
        Assert.Contains("model.zip", typed.Message);
    }

    [Fact]
    public void A_digitally_silent_clip_is_kept_whole_and_gives_finite_features()
    {
        // librosa.effects.trim semantics: every frame of digital silence is as loud as the loudest, so nothing is cut.
        using TempFolder folder = RepoPaths.NewTempFolder();
        string path = Path.Combine(folder.Path, "silence.wav");
        WavFile.Write(path, new AudioSignal(new float[16000], 16000));
        var ml = new MLContext(seed: 1);
        IDataView data = ClipRows.View(ml, [new ClipRow { Path = path }]);
        IDataView output = ml.Transforms.LoadAudio("Audio", "Path").Append(ml.Transforms.TrimSilence("Audio"))
            .Append(ml.Transforms.LogMel("LogMel", "Audio")).Append(ml.Transforms.FixedLength("Fixed", "LogMel"))
            .Fit(data).Transform(data);
        Assert.Equal(16000, ClipRows.ReadVectors(output, "Audio")[0].Length);
        float[] features = ClipRows.ReadVectors(output, "Fixed")[0];
        Assert.Equal(128 * 300, features.Length);
        Assert.All(features, v => Assert.True(float.IsFinite(v)));
    }
}
