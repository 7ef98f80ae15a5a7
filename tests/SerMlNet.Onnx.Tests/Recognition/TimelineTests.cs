using System.Text.Json;
using SerMlNet.Audio;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Onnx.Recognition.Timelines;

namespace SerMlNet.Onnx.Tests.Recognition;

public sealed class TimelineTests(RecognitionModels models) : IClassFixture<RecognitionModels>
{
    private static readonly string[] Labels = ["a", "b", "c"];

    [Fact]
    public void Each_window_is_smoothed_over_its_neighbours_and_equal_labels_merge_into_segments_that_tile_the_recording()
    {
        // Raw labels a a b a c c: the lone b is outvoted by its neighbours once smoothed over one window on each side.
        float[][] raw = [[0.8f, 0.1f, 0.1f], [0.7f, 0.2f, 0.1f], [0.3f, 0.6f, 0.1f], [0.6f, 0.3f, 0.1f], [0.1f, 0.1f, 0.8f], [0.1f, 0.2f, 0.7f]];
        var builder = new TimelineBuilder(Labels);
        for (int w = 0; w < raw.Length; w++)
        {
            builder.Add(Window(w, raw[w]));
        }
        Timeline timeline = builder.Build("rec.wav", 11.0);
        Assert.Equal(["a", "a", "a", "a", "c", "c"], timeline.Entries.Select(e => e.Label));
        Assert.Equal("b", timeline.Entries[2].RawLabel);
        Assert.Equal((0.7f + 0.3f + 0.6f) / 3, timeline.Entries[2].Probabilities[0], 6);
        Assert.Equal((0.8f + 0.7f) / 2, timeline.Entries[0].Probabilities[0], 6);   // fewer neighbours at the ends
        Assert.Equal(2, timeline.Segments.Count);
        Assert.Equal(0, timeline.Segments[0].StartSeconds);
        Assert.Equal(timeline.Segments[0].EndSeconds, timeline.Segments[1].StartSeconds);
        Assert.Equal((Centre(3) + Centre(4)) / 2, timeline.Segments[0].EndSeconds, 9);
        Assert.Equal(11.0, timeline.Segments[1].EndSeconds);
        Assert.Equal((4, 2), (timeline.Segments[0].Windows, timeline.Segments[1].Windows));
        // Overall: the plain mean of the windows, as for a file.
        Assert.Equal(raw.Average(p => (double)p[0]), timeline.Overall.Probabilities[0], 5);

        // Radius 0: the raw labels.
        var plain = new TimelineBuilder(Labels, new TimelineOptions { SmoothingRadius = 0 });
        for (int w = 0; w < raw.Length; w++)
        {
            plain.Add(Window(w, raw[w]));
        }
        Assert.Equal(["a", "a", "b", "a", "c", "c"], plain.Build("rec.wav").Entries.Select(e => e.Label));
        Assert.Throws<OptionsValidationException>(() => new TimelineBuilder(Labels, new TimelineOptions { SmoothingRadius = -1 }));
    }

    [Fact]
    public void Csv_and_json_carry_the_format_and_every_window_and_are_written_atomically()
    {
        var builder = new TimelineBuilder(Labels);
        builder.Add(Window(0, [0.5f, 0.25f, 0.25f]));
        builder.Add(Window(1, [0.2f, 0.7f, 0.1f]));
        Timeline timeline = builder.Build("a,b.wav");
        string folder = Path.Combine(models.Folder, "timeline-out");
        string csvPath = Path.Combine(folder, "t.csv"), jsonPath = Path.Combine(folder, "t.json");
        TimelineCsv.Write(csvPath, timeline);
        TimelineJson.Write(jsonPath, timeline);
        Assert.Equal(2, Directory.GetFiles(folder).Length);   // no temporary file left behind

        string[] lines = File.ReadAllLines(csvPath);
        Assert.Equal("# sermlnet.timeline 1", lines[0]);
        Assert.Equal("index,start_seconds,end_seconds,label,confidence,raw_label,raw_confidence,p_a,p_b,p_c", lines[1]);
        Assert.Equal(4, lines.Length);
        string[] first = lines[2].Split(',');
        Assert.Equal(["0", "0", "2.99"], first[..3]);
        Assert.Equal(timeline.Entries[0].Label, first[3]);
        Assert.Equal(timeline.Entries[0].Probabilities[1], float.Parse(first[8], System.Globalization.CultureInfo.InvariantCulture));

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        JsonElement root = json.RootElement;
        Assert.Equal("sermlnet.timeline", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("a,b.wav", root.GetProperty("source").GetString());
        Assert.Equal(2, root.GetProperty("windows").GetArrayLength());
        Assert.Equal(timeline.Segments.Count, root.GetProperty("segments").GetArrayLength());
        Assert.Equal(timeline.Overall.Label, root.GetProperty("overall").GetProperty("label").GetString());
    }

    [Fact]
    public async Task A_file_timeline_has_the_streams_windows()
    {
        AudioSignal signal = WavStreams.JoinWithPauses(16000, 0.7, RecognitionModels.Clip16k("Actor_03/03-01-05-01-01-01-03.wav"), RecognitionModels.Clip16k("Actor_04/03-01-03-02-02-01-04.wav"));
        string path = Path.Combine(models.Folder, "timeline.wav");
        SerMlNet.Audio.Wav.WavFile.Write(path, signal);
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(models.ModelPath);
        var progress = new List<(int Done, int Total)>();
        Timeline timeline = TimelineRecognition.RecognizeFile(recognizer, path, progress: new SyncProgress(progress.Add));
        var stream = new List<WindowResult>();
        await using (FileStream file = File.OpenRead(path))
        {
            await foreach (WindowResult w in recognizer.RecognizeStreamAsync(file))
            {
                stream.Add(w);
            }
        }
        Assert.Equal(stream.Count, timeline.Entries.Count);
        Assert.Equal(stream.Select(w => w.Prediction.Label), timeline.Entries.Select(w => w.RawLabel));
        Assert.Equal(path, timeline.Source);
        Assert.Equal(signal.DurationSeconds, timeline.DurationSeconds, 9);
        Assert.Equal(stream.Count, progress.Count);
        Assert.All(progress, p => Assert.Equal((int)Math.Ceiling(signal.DurationSeconds), p.Total));
    }

    private static double Centre(int w) => w * 1.495 + 2.99 / 2;

    private static WindowResult Window(int index, float[] probabilities) =>
        new(index, index * 1.495, index * 1.495 + 2.99, new EmotionPrediction(Labels, probabilities, new float[probabilities.Length]));

    private sealed class SyncProgress(Action<(int Done, int Total)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }
}
