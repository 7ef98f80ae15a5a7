using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Tests;
using SerMlNet.Training.Jobs;
using SerMlNet.Training.Model;
using SerMlNet.Training.Runs;

namespace SerMlNet.Training.Tests.Jobs;

/// <summary>A tiny job for library-level runs: four actors × four clips, two folds, one epoch, a one-block CNN on 16 × 20 features.</summary>
internal static class TinyJobs
{
    /// <summary>The job.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="trainingSeed">The training seed (initialisation, shuffling).</param>
    /// <param name="perSpeaker">Whether each speaker is normalised with its own statistics.</param>
    public static JobDefinition Job(string name, int trainingSeed = 3, bool perSpeaker = false) => new()
    {
        Name = name,
        Data = new DataOptions { Folds = 2, ValidationSpeakers = 1, Seed = 42 },
        FrontEnd = new FrontEndOptions
        {
            LogMel = new LogMelOptions { NMels = 16 },
            FixedLength = new FixedLengthOptions { Frames = 20 },
            Normalise = new SerMlNet.Pipeline.Features.NormaliseOptions { PerSpeaker = perSpeaker },
        },
        Augmentation = null,
        Model = new SerCnnOptions { InputMels = 16, InputFrames = 20, Channels = [4], Dropout = 0, ClassCount = 4 },
        Training = new TrainerOptions { Epochs = 1, BatchSize = 8, Threads = 1, Seed = trainingSeed },
    };

    /// <summary>Writes a manifest of four clips (four emotions) of each of actors 1–4, with speaker and gender.</summary>
    /// <param name="folder">Where <c>manifest.csv</c> goes.</param>
    /// <returns>Its path.</returns>
    public static string Manifest(string folder)
    {
        string[] emotions = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"];
        var lines = new List<string> { "path,label,speaker,gender" };
        for (int actor = 1; actor <= 4; actor++)
        {
            string[] files = Directory.GetFiles(Path.Combine(RepoPaths.Ravdess16k, $"Actor_{actor:D2}"), "*.wav").Order(StringComparer.Ordinal).ToArray();
            foreach (string file in files.GroupBy(f => Path.GetFileName(f).Split('-')[2]).Where(g => g.Key is "01" or "03" or "04" or "05").Select(g => g.First()))
            {
                int emotion = int.Parse(Path.GetFileName(file).Split('-')[2], System.Globalization.CultureInfo.InvariantCulture);
                lines.Add($"{file},{emotions[emotion - 1]},actor{actor:D2},{(actor % 2 == 1 ? "male" : "female")}");
            }
        }
        string path = Path.Combine(folder, "manifest.csv");
        File.WriteAllLines(path, lines);
        return path;
    }
}
