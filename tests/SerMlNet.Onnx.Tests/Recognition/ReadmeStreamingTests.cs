using SerMlNet.Onnx.Recognition;
using SerMlNet.Onnx.Recognition.Timelines;

namespace SerMlNet.Onnx.Tests.Recognition;

/// <summary>The README's streaming snippet, as written there, on a file stream instead of standard input.</summary>
public sealed class ReadmeStreamingTests(RecognitionModels models) : IClassFixture<RecognitionModels>
{
    [Fact]
    public async Task The_readme_streaming_snippet_runs()
    {
        string folder = Path.Combine(models.Folder, "readme");
        string input = Path.Combine(folder, "input.wav");
        SerMlNet.Audio.Wav.WavFile.Write(input, WavStreams.JoinWithPauses(48000, 1.0,
            RecognitionModels.Clip16k("Actor_03/03-01-05-01-01-01-03.wav"), RecognitionModels.Clip16k("Actor_04/03-01-03-02-02-01-04.wav")));
        var console = new StringWriter();

        // --- README (Console.OpenStandardInput() -> File.OpenRead(input); the model and output paths in the test folder) ---
        using EmotionRecognizer recognizer = EmotionRecognizer.Open(models.ModelPath);
        await using Stream wav = File.OpenRead(input);
        var timeline = new TimelineBuilder(recognizer.Labels);
        await foreach (WindowResult window in recognizer.RecognizeStreamAsync(wav, new StreamRecognitionOptions { SourceName = "stdin" }))
        {
            console.WriteLine($"{window.StartSeconds,7:F2} - {window.EndSeconds,7:F2} s  {window.Prediction.Label} {window.Prediction.Confidence:P0}");
            timeline.Add(window);
        }
        Timeline result = timeline.Build("stdin");
        TimelineJson.Write(Path.Combine(folder, "timeline.json"), result);
        TimelineCsv.Write(Path.Combine(folder, "timeline.csv"), result);
        // --- end of README ---

        Assert.Equal(result.Entries.Count, console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(result.Entries.Count >= 4);
        Assert.True(File.Exists(Path.Combine(folder, "timeline.json")) && File.Exists(Path.Combine(folder, "timeline.csv")));
    }
}
