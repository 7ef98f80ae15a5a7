using System.Xml.Linq;
using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Tests;

namespace SerMlNet.Cli.Tests;

/// <summary><c>ser timeline</c> on a recording of RAVDESS clips joined with pauses, with the shipped model.</summary>
public sealed class TimelineCommandTests
{
    [Fact]
    public void Writes_one_self_contained_html_figure_and_the_csv_and_json()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        var samples = new List<float>();
        foreach (string clip in new[] { "Actor_03/03-01-05-01-01-01-03.wav", "Actor_04/03-01-03-02-02-01-04.wav", "Actor_09/03-01-08-01-01-02-09.wav" })
        {
            samples.AddRange(WavFile.Read(Path.Combine(RepoPaths.Ravdess16k, clip)).Samples);
            samples.AddRange(new float[16000]);
        }
        string wav = Path.Combine(folder.Path, "joined.wav");
        WavFile.Write(wav, new AudioSignal([.. samples], 16000));
        string html = Path.Combine(folder.Path, "timeline.html"), csv = Path.Combine(folder.Path, "t.csv"), json = Path.Combine(folder.Path, "t.json");
        string model = Path.Combine(RepoPaths.Root, "artifacts", "model.onnx");

        (int code, string stdout, string stderr) = SerProcess.Run("timeline", wav, "-o", html, "--csv", csv, "--json", json, "--model", model);
        Assert.True(code == 0, stderr);
        Assert.Contains("windows", stdout, StringComparison.Ordinal);
        Assert.Contains("real-time factor", stdout, StringComparison.Ordinal);

        string page = File.ReadAllText(html);
        XDocument document = XDocument.Parse(page[page.IndexOf("<html", StringComparison.Ordinal)..]);   // well-formed
        XNamespace svg = "http://www.w3.org/2000/svg";
        Assert.Single(document.Descendants("figure"));
        Assert.Single(document.Descendants(svg + "svg"));
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", page.Replace("http://www.w3.org/", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page, StringComparison.Ordinal);
        Assert.StartsWith("# sermlnet.timeline 1", File.ReadAllText(csv), StringComparison.Ordinal);
        Assert.Contains("\"format\": \"sermlnet.timeline\"", File.ReadAllText(json), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_one_line_and_exit_1()
    {
        (int code, _, string stderr) = SerProcess.Run("timeline", "/nonexistent/long.wav", "-o", "/tmp/never.html");
        Assert.Equal(1, code);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("/nonexistent/long.wav", stderr, StringComparison.Ordinal);
    }
}
