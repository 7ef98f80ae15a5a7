using System.Runtime.InteropServices;
using SerMlNet.Audio.Io;
using SerMlNet.Tests;

namespace SerMlNet.Cli.Tests;

/// <summary>Runs the built <c>ser</c> (ser.dll beside the tests) as a separate process.</summary>
public sealed class FeaturesCommandTests
{
    private static string Actor01Stereo => Path.Combine(RepoPaths.Ravdess16k, "Actor_01", "03-01-02-01-01-02-01.wav");

    private static (int Code, string Out, string Err) Ser(params string[] args) => SerProcess.Run(args);

    private static float[] Golden(string relative)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(RepoPaths.Golden, relative));
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    [Fact]
    public void Default_log_mel_of_a_file_matches_librosa_golden()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string output = Path.Combine(folder.Path, "a.npy");
        (int code, string stdout, string stderr) = Ser("features", Actor01Stereo, "-o", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("wrote", stdout, StringComparison.Ordinal);
        (int[] shape, float[] data) = NpyFile.Read(output);
        Assert.Equal([128, 209], shape); // trimmed to [14848, 48128) -> 1 + 33280 / 160 frames
        float[] expected = Golden("melspec_constant/melspec_constant_ravdess16k_actor01_03-01-02-01-01-02-01_log_mel_db.f32");
        double max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs(expected[i] - data[i]));
        }
        Assert.True(max <= 0.05, $"max abs diff {max} dB");
    }

    [Fact]
    public void Reflect_padding_option_matches_librosa_golden()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string output = Path.Combine(folder.Path, "r.npy");
        (int code, _, string stderr) = Ser("features", Actor01Stereo, "-o", output, "--pad-mode", "reflect", "--trim-db", "60");
        Assert.True(code == 0, stderr);
        float[] expected = Golden("melspec_reflect/melspec_reflect_ravdess16k_actor01_03-01-02-01-01-02-01_log_mel_db.f32");
        float[] data = NpyFile.Read(output).Data;
        Assert.Equal(expected.Length, data.Length);
        Assert.True(expected.Zip(data).Max(p => Math.Abs(p.First - p.Second)) <= 0.05);
    }

    [Fact]
    public void Power_stage_without_trimming_has_fft_bins_and_all_frames()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string output = Path.Combine(folder.Path, "p.npy");
        (int code, _, string stderr) = Ser("features", Actor01Stereo, "-o", output, "--stage", "power", "--no-trim");
        Assert.True(code == 0, stderr);
        (int[] shape, float[] data) = NpyFile.Read(output);
        Assert.Equal([513, 1 + 57657 / 160], shape);
        float[] expected = Golden("stft_power/stft_power_ravdess16k_actor01_03-01-02-01-01-02-01.f32");
        float peak = expected.Max();
        Assert.True(expected.Zip(data).Max(p => Math.Abs(p.First - p.Second)) <= 1e-6 * peak);
    }

    [Fact]
    public void Fixed_frames_and_zscore_are_applied_when_asked()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string output = Path.Combine(folder.Path, "z.npy");
        (int code, _, string stderr) = Ser("features", Actor01Stereo, "-o", output, "--frames", "300", "--zscore", "--n-mels", "64");
        Assert.True(code == 0, stderr);
        (int[] shape, float[] data) = NpyFile.Read(output);
        Assert.Equal([64, 300], shape);
        double mean = data.Average(v => (double)v);
        Assert.InRange(mean, -1e-4, 1e-4);
    }

    [Fact]
    public void Folder_input_is_mirrored_and_other_rates_are_resampled()
    {
        using TempFolder input = RepoPaths.NewTempFolder();
        using TempFolder output = RepoPaths.NewTempFolder();
        Directory.CreateDirectory(Path.Combine(input.Path, "Actor_01"));
        Directory.CreateDirectory(Path.Combine(input.Path, "orig", "48k"));
        File.Copy(Actor01Stereo, Path.Combine(input.Path, "Actor_01", "a.wav"));
        File.Copy(Path.Combine(RepoPaths.Ravdess16k, "Actor_08", "03-01-05-01-02-01-08.wav"), Path.Combine(input.Path, "Actor_01", "b.WAV"));
        File.Copy(Path.Combine(RepoPaths.Ravdess48kSamples, "03-01-05-02-01-01-03.wav"), Path.Combine(input.Path, "orig", "48k", "c.wav"));
        File.WriteAllText(Path.Combine(input.Path, "notes.txt"), "not audio, not a .wav: ignored");
        (int code, string stdout, string stderr) = Ser("features", input.Path, "-o", output.Path);
        Assert.True(code == 0, stderr);
        Assert.Contains("wrote 3 of 3 files", stdout, StringComparison.Ordinal);
        Assert.Equal([128, 209], NpyFile.Read(Path.Combine(output.Path, "Actor_01", "a.npy")).Shape);
        Assert.Equal(128, NpyFile.Read(Path.Combine(output.Path, "Actor_01", "b.npy")).Shape[0]);
        (int[] shape, float[] data) = NpyFile.Read(Path.Combine(output.Path, "orig", "48k", "c.npy"));
        Assert.Equal(128, shape[0]);
        // 211411 samples at 48 kHz = 70470 at 16 kHz before trimming: at most 1 + 70470 / 160 frames.
        Assert.InRange(shape[1], 100, 1 + 70470 / 160);
        Assert.InRange(data.Max(), -1e-3f, 1e-3f);
        Assert.Empty(Directory.GetFiles(output.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Non_wav_input_fails_with_one_line_naming_file_and_reason()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string bad = Path.Combine(folder.Path, "bad.wav");
        File.WriteAllText(bad, "this is text");
        (int code, string stdout, string stderr) = Ser("features", bad, "-o", Path.Combine(folder.Path, "x.npy"));
        Assert.Equal(1, code);
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(bad, lines[0], StringComparison.Ordinal);
        Assert.Contains("not a WAV file", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, "x.npy")));
    }

    [Fact]
    public void A_bad_file_in_a_folder_fails_the_run_but_the_others_are_written()
    {
        using TempFolder input = RepoPaths.NewTempFolder();
        using TempFolder output = RepoPaths.NewTempFolder();
        File.Copy(Actor01Stereo, Path.Combine(input.Path, "good.wav"));
        File.WriteAllBytes(Path.Combine(input.Path, "truncated.wav"), File.ReadAllBytes(Actor01Stereo)[..30]);
        (int code, _, string stderr) = Ser("features", input.Path, "-o", output.Path);
        Assert.Equal(1, code);
        Assert.Contains("truncated.wav", stderr, StringComparison.Ordinal);
        Assert.Contains("1 of 2 files failed", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output.Path, "good.npy")));
    }

    [Fact]
    public void Missing_input_fails()
    {
        (int code, _, string stderr) = Ser("features", "/nonexistent/input.wav", "-o", "/tmp/never.npy");
        Assert.Equal(1, code);
        Assert.Contains("/nonexistent/input.wav", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--norm", "bogus")]
    [InlineData("--stage", "cepstrum")]
    [InlineData("--n-mels", "0")]
    [InlineData("--frames", "0")]
    [InlineData("--no-trim", "--trim-db", "30")]
    public void Bad_options_are_usage_errors(params string[] options)
    {
        string[] args = ["features", Actor01Stereo, "-o", "/tmp/never.npy", .. options];
        (int code, _, string stderr) = Ser(args);
        Assert.Equal(2, code);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
