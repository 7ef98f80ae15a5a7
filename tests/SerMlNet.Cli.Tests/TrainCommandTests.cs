using System.Diagnostics;
using System.Text.Json.Nodes;
using SerMlNet.Tests;

namespace SerMlNet.Cli.Tests;

/// <summary>
/// <c>ser train</c> end to end on a small job (two actors, 64 Mel bands, 200 frames, a two-block CNN, 3 epochs of a few seconds): a
/// complete run folder, and a run killed (SIGKILL) in the middle of an epoch that resumes to the same curves (with
/// checkpoint averaging, so the kept epochs' files must survive the crash too).
/// </summary>
public sealed class TrainCommandTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    private static (string Job, string Manifest) SmallJob(string folder, int averageBestEpochs = 0)
    {
        JsonObject job = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "pipelines", "ravdess-cnn.json")))!.AsObject();
        job["name"] = "small";
        // A validation part, whatever the shipped job holds out: the kept epochs are chosen on validation macro-F1.
        job["data"]!["trainFraction"] = 0.8;
        job["data"]!["validationFraction"] = 0.1;
        job["frontEnd"]!["logMel"]!["nMels"] = 64;
        job["frontEnd"]!["fixedLength"]!["frames"] = 200;
        job["augmentation"]!["copies"] = 1;
        job["augmentation"]!["pitchShift"] = null;
        job["augmentation"]!["timeStretch"] = null;
        job["model"]!["inputMels"] = 64;
        job["model"]!["inputFrames"] = 200;
        job["model"]!["channels"] = new JsonArray(32, 64);
        job["model"]!["temporalChannels"] = 8;
        job["model"]!["temporalBlocks"] = 1;
        job["training"]!["epochs"] = 3;
        job["training"]!["batchSize"] = 8;
        job["training"]!["threads"] = 1;
        job["training"]!["averageBestEpochs"] = averageBestEpochs;
        job["training"]!.AsObject().Remove("ensembleSeeds"); // one network (the shipped job trains two): seed ensembles have their own test
        string jobPath = Path.Combine(folder, "small.json");
        File.WriteAllText(jobPath, job.ToJsonString());

        var lines = new List<string> { "path,label,speaker,gender,intensity" };
        string[] emotions = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"];
        foreach (string actor in (string[])["Actor_01", "Actor_02"])
        {
            foreach (string file in Directory.GetFiles(Path.Combine(RepoPaths.Ravdess16k, actor), "*.wav").Order(StringComparer.Ordinal))
            {
                string[] f = Path.GetFileNameWithoutExtension(file).Split('-');
                int a = int.Parse(f[6], System.Globalization.CultureInfo.InvariantCulture);
                lines.Add($"{file},{emotions[int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture) - 1]},actor{a:D2},{(a % 2 == 1 ? "male" : "female")},{(f[3] == "01" ? "normal" : "strong")}");
            }
        }
        string manifest = Path.Combine(folder, "manifest.csv");
        File.WriteAllLines(manifest, lines);
        return (jobPath, manifest);
    }

    private static string[] CurvesWithoutTime(string run) =>
        [.. File.ReadAllLines(Path.Combine(run, "curves.csv")).Select(l => l[..l.LastIndexOf(',')])];

    [Fact]
    public async Task A_run_killed_mid_epoch_resumes_to_the_same_curves()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        (string job, string manifest) = SmallJob(temp.Path, averageBestEpochs: 2);
        string cache = Path.Combine(temp.Path, "cache");
        string whole = Path.Combine(temp.Path, "whole");
        string broken = Path.Combine(temp.Path, "broken");

        (int code, string stdout, string stderr) = SerProcess.Run(Limit, "train", "-p", job, "-d", manifest, "-o", whole, "--cache", cache);
        Assert.True(code == 0, stderr);
        Assert.Contains("Test (", stdout, StringComparison.Ordinal);
        Assert.Matches(@"Kept weights: the mean of epochs \d, \d \(validation macro-F1 \d\.\d{3}\)", stdout);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(whole, "epochs"), "epoch-*.ckpt").Length);
        foreach (string file in (string[])["job.json", "manifest.csv", "splits.json", "pipeline.json", "prepare.json", "curves.csv", "best.ckpt", "last.ckpt", "metrics.json", "predictions.csv"])
        {
            Assert.True(File.Exists(Path.Combine(whole, file)), $"{file} missing");
        }

        // A shell starts the run, waits for the first epoch's checkpoint (the run is then inside epoch 2) and kills it
        // with SIGKILL: no clean-up code runs, as in a real crash.
        string checkpoint = Path.Combine(broken, "last.ckpt");
        string script = $"dotnet '{Path.Combine(AppContext.BaseDirectory, "ser.dll")}' train -p '{job}' -d '{manifest}' -o '{broken}' --cache '{cache}' > /dev/null 2>&1 & pid=$!; " +
            $"for i in $(seq 1 2400); do [ -f '{checkpoint}' ] && break; sleep 0.05; done; kill -9 $pid; wait $pid; echo exit=$?";
        using (Process shell = Process.Start(new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true })!)
        {
            string result = await shell.StandardOutput.ReadToEndAsync();
            await shell.WaitForExitAsync();
            Assert.Contains("exit=137", result, StringComparison.Ordinal);
        }
        Assert.True(CurvesWithoutTime(broken).Length == 2, $"the killed run finished {CurvesWithoutTime(broken).Length - 1} epochs (expected 1)");

        (code, stdout, stderr) = SerProcess.Run(Limit, "train", "-p", job, "-d", manifest, "-o", broken, "--cache", cache);
        Assert.True(code == 0, stderr);
        Assert.Contains("resumed after epoch 1", stdout, StringComparison.Ordinal);
        Assert.Contains("Kept weights: the mean of epochs", stdout, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "best.ckpt")), File.ReadAllBytes(Path.Combine(broken, "best.ckpt")));
        Assert.Equal(CurvesWithoutTime(whole), CurvesWithoutTime(broken));
        Assert.Equal(File.ReadAllText(Path.Combine(whole, "predictions.csv")), File.ReadAllText(Path.Combine(broken, "predictions.csv")));
    }

    [Fact]
    public void A_seed_ensemble_job_trains_each_network_in_turn_and_exports_them_as_one_model()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        (string job, string manifest) = SmallJob(temp.Path, averageBestEpochs: 0);
        JsonObject definition = JsonNode.Parse(File.ReadAllText(job))!.AsObject();
        definition["training"]!["epochs"] = 1;
        definition["training"]!["ensembleSeeds"] = new JsonArray(7);
        File.WriteAllText(job, definition.ToJsonString());
        string run = Path.Combine(temp.Path, "run");

        (int code, string stdout, string stderr) = SerProcess.Run(Limit, "train", "-p", job, "-d", manifest, "-o", run, "--cache", Path.Combine(temp.Path, "cache"));
        Assert.True(code == 0, stderr);
        Assert.Contains("network 1/2 (seed 42) · epoch 1/1", stdout, StringComparison.Ordinal);
        Assert.Contains("network 2/2 (seed 7) · epoch 1/1", stdout, StringComparison.Ordinal);
        Assert.Contains("A seed ensemble of 2 networks (seeds 42, 7;", string.Join(' ', stdout.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "members", "seed7", "best.ckpt")));

        string model = Path.Combine(temp.Path, "model.onnx");
        (code, stdout, stderr) = SerProcess.Run(Limit, "export", "-r", run, "-o", model, "--no-zip");
        Assert.True(code == 0, stderr);
        // The console wraps long lines at its width.
        Assert.Contains("(a seed ensemble of 2 networks)", string.Join(' ', stdout.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.True(File.Exists(model));
    }

    [Fact]
    public void Bad_job_or_data_is_one_line_and_a_non_zero_exit()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        (int code, _, string stderr) = SerProcess.Run("train", "-p", Path.Combine(temp.Path, "missing.json"), "-d", RepoPaths.Ravdess16k, "-o", temp.Path);
        Assert.Equal(1, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);

        (code, _, stderr) = SerProcess.Run("train", "-d", "/nonexistent", "-o", temp.Path, "-p", Path.Combine(RepoPaths.Root, "pipelines", "ravdess-cnn.json"));
        Assert.Equal(1, code);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}
