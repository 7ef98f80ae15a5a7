using System.Text.Json;
using SerMlNet.Onnx.Tests.Recognition;
using SerMlNet.Tests;

namespace SerMlNet.Predict.Tests;

/// <summary>
/// The Native AOT Predict (out/predict-aot/Predict, built by 'dotnet publish src/Predict -c Release') gives the JIT
/// build's answers and errors. When the executable is missing these tests fail, naming the command that builds it.
/// </summary>
public sealed class NativeAotPredictTests(RecognitionModels models) : IClassFixture<RecognitionModels>
{
    private static readonly string Stereo48k = Path.Combine(RepoPaths.Ravdess48kSamples, "03-01-02-01-01-02-01.wav");

    /// <summary>
    /// Feature code runs with other vector widths in the two builds (AVX-512 under the JIT, the AOT build's baseline
    /// instruction set), so float sums may differ in the last bits; probabilities agree far closer than this.
    /// </summary>
    private const double ProbabilityTolerance = 1e-5;

    [Fact]
    public void A_48k_stereo_file_gets_the_jit_builds_answer()
    {
        (int aotCode, string aotOut, string aotErr) = PredictProcess.Run(PredictProcess.Aot, null, "--wav", Stereo48k, "--model", models.ModelPath, "--json");
        Assert.True(aotCode == 0, aotErr);
        Assert.Equal(string.Empty, aotErr);
        (int jitCode, string jitOut, string jitErr) = PredictProcess.Run(PredictProcess.Jit, null, "--wav", Stereo48k, "--model", models.ModelPath, "--json");
        Assert.True(jitCode == 0, jitErr);

        using JsonDocument aot = JsonDocument.Parse(aotOut), jit = JsonDocument.Parse(jitOut);
        JsonElement a = aot.RootElement, j = jit.RootElement;
        foreach (string field in new[] { "format", "version", "model", "inputKind", "provider", "requestedProvider", "providerFallback", "labels", "windowSeconds", "hopSeconds", "errors" })
        {
            Assert.Equal(j.GetProperty(field).GetRawText(), a.GetProperty(field).GetRawText());
        }
        JsonElement ar = Assert.Single(a.GetProperty("results").EnumerateArray()), jr = Assert.Single(j.GetProperty("results").EnumerateArray());
        Assert.Equal(jr.GetProperty("source").GetString(), ar.GetProperty("source").GetString());
        Assert.Equal(jr.GetProperty("durationSeconds").GetDouble(), ar.GetProperty("durationSeconds").GetDouble(), 9);
        AssertSamePrediction(jr, ar);
        JsonElement[] aw = [.. ar.GetProperty("windows").EnumerateArray()], jw = [.. jr.GetProperty("windows").EnumerateArray()];
        Assert.Equal(jw.Length, aw.Length);
        for (int w = 0; w < jw.Length; w++)
        {
            Assert.Equal(jw[w].GetProperty("startSeconds").GetDouble(), aw[w].GetProperty("startSeconds").GetDouble(), 9);
            Assert.Equal(jw[w].GetProperty("endSeconds").GetDouble(), aw[w].GetProperty("endSeconds").GetDouble(), 9);
            AssertSamePrediction(jw[w], aw[w]);
        }

        // The text output too, line for line (percentages have one decimal).
        (aotCode, aotOut, aotErr) = PredictProcess.Run(PredictProcess.Aot, null, "--wav", Stereo48k, "--model", models.ModelPath);
        Assert.True(aotCode == 0, aotErr);
        (jitCode, jitOut, jitErr) = PredictProcess.Run(PredictProcess.Jit, null, "--wav", Stereo48k, "--model", models.ModelPath);
        Assert.True(jitCode == 0, jitErr);
        Assert.Equal(jitOut, aotOut);
    }

    [Fact]
    public void Errors_are_the_same_single_lines()
    {
        string corrupt = Path.Combine(models.Folder, "aot-corrupt.onnx");
        byte[] bytes = File.ReadAllBytes(models.ModelPath);
        File.WriteAllBytes(corrupt, bytes[..(bytes.Length / 3)]);
        string[][] cases =
        [
            ["--wav", "/nonexistent/clip.wav", "--model", models.ModelPath],
            ["--wav", Stereo48k, "--model", corrupt],
            ["--wav", Stereo48k, "--model", models.ModelPath, "--ep", "cuda"],
            ["--wav", Stereo48k, "--model", models.ModelPath, "--top", "0"],
            ["--model", models.ModelPath],
        ];
        foreach (string[] args in cases)
        {
            (int aotCode, string aotOut, string aotErr) = PredictProcess.Run(PredictProcess.Aot, null, args);
            (int jitCode, string jitOut, string jitErr) = PredictProcess.Run(PredictProcess.Jit, null, args);
            string name = string.Join(' ', args);
            if (jitCode == 0)
            {
                // Only '--ep cuda' on a machine that can run it.
                Assert.True(aotCode == 0, $"{name}: {aotErr}");
                continue;
            }
            Assert.True(aotCode == jitCode, $"{name}: exit {aotCode}, the JIT build exits {jitCode}");
            Assert.Equal(string.Empty, aotOut);
            // The CUDA message names the folder of libonnxruntime.so, which differs between the two builds.
            Assert.Equal(jitErr.Replace(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory), "<build>", StringComparison.Ordinal),
                aotErr.Replace(PredictProcess.AotFolder, "<build>", StringComparison.Ordinal));
            Assert.StartsWith("Predict: ", Assert.Single(aotErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        }
    }

    private static void AssertSamePrediction(JsonElement expected, JsonElement actual)
    {
        Assert.Equal(expected.GetProperty("label").GetString(), actual.GetProperty("label").GetString());
        Assert.Equal(expected.GetProperty("confidence").GetDouble(), actual.GetProperty("confidence").GetDouble(), ProbabilityTolerance);
        JsonElement[] e = [.. expected.GetProperty("probabilities").EnumerateArray()], a = [.. actual.GetProperty("probabilities").EnumerateArray()];
        Assert.Equal(e.Length, a.Length);
        for (int k = 0; k < e.Length; k++)
        {
            Assert.Equal(e[k].GetProperty("label").GetString(), a[k].GetProperty("label").GetString());
            Assert.Equal(e[k].GetProperty("probability").GetDouble(), a[k].GetProperty("probability").GetDouble(), ProbabilityTolerance);
        }
    }
}
