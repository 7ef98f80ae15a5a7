using SerMlNet.Onnx.Tests.Recognition;
using SerMlNet.Tests;

namespace SerMlNet.Predict.Tests;

/// <summary>
/// ONNX Runtime 1.31's NuGet builds collect telemetry on Linux, keeping an event store under
/// ~/.cache/Microsoft/DeveloperTools/.onnxruntime; SerMlNet creates ONNX Runtime's environment with it off (see
/// OrtRuntime in SerMlNet.Onnx) unless the user sets ORT_DISABLE_TELEMETRY.
/// </summary>
public sealed class TelemetryTests(RecognitionModels models) : IClassFixture<RecognitionModels>
{
    [Fact]
    public void Onnx_runtime_telemetry_is_off_by_default()
    {
        using TempFolder home = RepoPaths.NewTempFolder();
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home.Path,
            ["XDG_CACHE_HOME"] = Path.Combine(home.Path, ".cache"),
            ["ORT_DISABLE_TELEMETRY"] = null,
        };
        string wav = Path.Combine(RepoPaths.Ravdess48kSamples, "03-01-02-01-01-02-01.wav");
        (int code, _, string stderr) = PredictProcess.Run(PredictProcess.Jit, null, environment, "--wav", wav, "--model", models.ModelPath);
        Assert.True(code == 0, stderr);

        // With ORT_DISABLE_TELEMETRY=0 (checked by hand, not here, so that tests send nothing) the same run leaves
        // .cache/Microsoft/DeveloperTools/.onnxruntime/{deviceid,onnxruntime.db} under that home folder.
        Assert.False(Directory.Exists(Path.Combine(home.Path, ".cache", "Microsoft")),
            $"ONNX Runtime wrote telemetry files under {home.Path}/.cache/Microsoft");
    }
}
