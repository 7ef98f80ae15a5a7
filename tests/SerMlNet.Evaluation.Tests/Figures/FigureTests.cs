using System.Xml.Linq;
using ScottPlot;
using SerMlNet.Audio;
using SerMlNet.Audio.Trimming;
using SerMlNet.Evaluation.Figures;
using SerMlNet.Evaluation.Reporting;
using SerMlNet.Evaluation.Tests.Reporting;

namespace SerMlNet.Evaluation.Tests.Figures;

/// <summary>
/// Every figure of the report and the notebook, built from synthetic data: its inline SVG parses as XML, carries the
/// title and axis texts, and its PNG is a non-blank image of the asked size.
/// </summary>
public class FigureTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly Lazy<ReportInput> Input = new(() => SyntheticReport.Build(resamples: 200));

    /// <summary>Name → (figure, texts it must show).</summary>
    private static readonly Dictionary<string, (Func<Plot> Build, string[] Texts)> Cases = new()
    {
        ["loss"] = (() => TrainingFigures.Loss(Input.Value.Curves), ["Loss", "Epoch", "Cross-entropy loss", "Train", "Validation", "best epoch"]),
        ["accuracy"] = (() => TrainingFigures.Accuracy(Input.Value.Curves), ["Accuracy", "Epoch", "Train", "Validation"]),
        ["macro-f1"] = (() => TrainingFigures.MacroF1(Input.Value.Curves), ["Validation macro-F1", "Macro-F1", "Epoch"]),
        ["confusion"] = (() => EvaluationFigures.Confusion(Input.Value.Evaluation), ["Confusion matrix (row-normalised)", "Predicted emotion", "True emotion", "angry", "neutral"]),
        ["per-class-f1"] = (() => EvaluationFigures.PerClassF1(Input.Value.Evaluation), ["F1 per emotion", "F1", "macro-F1"]),
        ["gender-groups"] = (() => EvaluationFigures.GenderGroups(Input.Value.Evaluation.ByGender), ["Male vs female speakers", "Accuracy", "Macro-F1", "Male (n=", "Female (n="]),
        ["gender-gap"] = (() => EvaluationFigures.GenderGap(Input.Value.Evaluation.ByGender.Gap!), ["Gap (male − female)", "Male − female", "no gap"]),
        ["intensity"] = (() => EvaluationFigures.Intensity(Input.Value.Evaluation.ByIntensity), ["Scores by emotional intensity", "normal (n=", "strong (n="]),
        ["f0-clips"] = (() => PitchFigures.ClipF0Bins(Input.Value.Evaluation.ByF0!), ["By clip median F0", "Clip median F0 bin", "Hz"]),
        ["f0-speakers"] = (() => PitchFigures.SpeakerF0Bins(Input.Value.Evaluation.ByF0!), ["By speaker median F0", "Speaker median F0 bin"]),
        ["pitch-shift"] = (() => PitchFigures.PitchShift(Input.Value.Evaluation.PitchShift!, PitchShiftScore.Accuracy), ["Robustness to pitch shifts: accuracy", "Pitch shift (semitones)", "Overall", "Male", "Female", "unshifted"]),
        ["pitch-shift-f1"] = (() => PitchFigures.PitchShift(Input.Value.Evaluation.PitchShift!, PitchShiftScore.MacroF1), ["Robustness to pitch shifts: macro-F1", "Macro-F1 (95 % bootstrap interval)"]),
        ["spectrogram"] = (() => ExplorationFigures.Spectrograms(Input.Value.Exploration!.HighArousal!, Input.Value.Exploration!.LowArousal!)[1], ["sad, strong — actor01, statement 1", "Time (s)", "Mel band", "dB"]),
        ["band-energy"] = (() => ExplorationFigures.BandEnergy(Input.Value.Exploration!.BandEnergy!), ["Mean energy per Mel band by emotion", "Mean energy (dB)", "angry ("]),
        ["classes"] = (() => ExplorationFigures.Classes(Input.Value.Exploration!.Classes!), ["Clips per emotion by speaker gender", "Clips", "Male", "Female"]),
        ["durations"] = (() => ExplorationFigures.Durations(Input.Value.Exploration!.Durations!), ["Clip durations before and after trimming", "Duration (s)", "Before trimming (median", "After trimming (median"]),
        ["waveform"] = (() => ExplorationFigures.Waveform(Tone(), new TrimInterval(4000, 12000), "angry (strong), actor01", "03-01-05-02-01-01-01", 60),
            ["angry (strong), actor01", "Time (s)", "Amplitude", "kept by trimming (top_db 60)", "03-01-05-02-01-01-01"]),
        ["probabilities"] = (() => PredictionFigures.Probabilities(["angry", "calm", "sad"], [0.7f, 0.2f, 0.1f], "clip.wav: predicted angry"), ["clip.wav: predicted angry", "Probability", "calm", "0.70"]),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void FigureSvgParsesAndShowsItsTexts(string name)
    {
        var (build, texts) = Cases[name];
        string svg = FigureExport.ToInlineSvg(build(), 600, 420, $"t-{name}", $"title of {name}");

        XElement root = XElement.Parse(svg);
        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("0 0 600 420", (string?)root.Attribute("viewBox"));
        Assert.Equal($"title of {name}", root.Element(Svg + "title")?.Value);
        string[] shown = [.. root.Descendants(Svg + "text").Select(t => t.Value.Trim())];
        foreach (string text in texts)
        {
            Assert.True(shown.Any(s => s.Contains(text, StringComparison.Ordinal)), $"'{text}' not among the texts of {name}: {string.Join(" | ", shown)}");
        }
        Assert.True(root.Descendants().Count(e => e.Name.LocalName is "path" or "rect" or "image") > 5, $"{name} draws almost nothing");
        Assert.All(root.Descendants().Attributes("id"), id => Assert.StartsWith($"t-{name}-", id.Value));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void FigurePngIsANonBlankImageOfTheAskedSize(string name)
    {
        PngReader png = PngReader.Decode(FigureExport.ToPng(Cases[name].Build(), 480, 320));
        Assert.Equal((480, 320), (png.Width, png.Height));
        var colours = new HashSet<int>();
        int ink = 0;
        for (int y = 0; y < png.Height; y++)
        {
            for (int x = 0; x < png.Width; x++)
            {
                var (r, g, b) = png.Rgb(x, y);
                colours.Add((r << 16) | (g << 8) | b);
                ink += 0.2126 * r + 0.7152 * g + 0.0722 * b < 200 ? 1 : 0;
            }
        }
        Assert.True(colours.Count > 20, $"{name}: only {colours.Count} colours");
        Assert.True(ink > png.Width * png.Height / 100, $"{name}: only {ink} dark pixels");
    }

    [Fact]
    public void InlineSvgIsDeterministicAndItsIdsAreRenumberedPerFigure()
    {
        // ScottPlot numbers clip paths from a process-wide counter; the export renumbers them per figure.
        Plot Build() => TrainingFigures.Loss(Input.Value.Curves);
        string first = FigureExport.ToInlineSvg(Build(), 400, 300, "a");
        Assert.Equal(first, FigureExport.ToInlineSvg(Build(), 400, 300, "a"));
        XElement root = XElement.Parse(first);
        string[] ids = [.. root.Descendants().Attributes("id").Select(a => a.Value)];
        Assert.NotEmpty(ids);
        Assert.Equal(Enumerable.Range(1, ids.Length).Select(i => $"a-{i}"), ids);
        // Every url(#…) reference points at an id of the same figure.
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(first, @"url\(#([^)]+)\)"))
        {
            Assert.Contains(m.Groups[1].Value, ids);
        }
    }

    [Fact]
    public void SavePngWritesTheFileAndBadArgumentsAreRejected()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sermlnet-fig-{Guid.NewGuid():N}", "loss.png");
        try
        {
            FigureExport.SavePng(TrainingFigures.Loss(Input.Value.Curves), path, 300, 200);
            Assert.Equal((300, 200), (PngReader.Decode(File.ReadAllBytes(path)).Width, PngReader.Decode(File.ReadAllBytes(path)).Height));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
        Plot plot = TrainingFigures.Loss(Input.Value.Curves);
        Assert.Throws<ArgumentException>(() => FigureExport.ToInlineSvg(plot, 400, 300, "bad id"));
        Assert.Throws<ArgumentOutOfRangeException>(() => FigureExport.ToPng(plot, 0, 300));
        Assert.Throws<ArgumentException>(() => TrainingFigures.Loss([]));
        Assert.Throws<ArgumentException>(() => PredictionFigures.Probabilities(["a", "b"], [1f], "t"));
        Assert.Throws<ArgumentException>(() => ExplorationFigures.Spectrograms());
    }

    [Fact]
    public void ReportWriteWithAPngFolderWritesEveryPanelOfThePageAsAPng()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"sermlnet-report-{Guid.NewGuid():N}");
        try
        {
            string page = Path.Combine(folder, "report.html");
            IReadOnlyList<string> files = ReportBuilder.Write(page, Input.Value, Path.Combine(folder, "png"));
            string html = File.ReadAllText(page);
            Assert.Equal(ReportBuilder.Build(Input.Value), html);
            // One PNG per inline SVG (each numbers its ids from -1), named after the SVG's id prefix, each a decodable image of the panel's size.
            string[] svgPrefixes = [.. System.Text.RegularExpressions.Regex.Matches(html, "id=\"(fig-[a-z0-9-]+)-svg-1\"").Select(m => m.Groups[1].Value)];
            Assert.Equal(17, files.Count);
            Assert.Equal(svgPrefixes, files.Select(f => Path.GetFileNameWithoutExtension(f)));
            Assert.Contains(Path.Combine(folder, "png", "fig-gender-gap.png"), files);
            foreach (string file in files)
            {
                PngReader png = PngReader.Decode(File.ReadAllBytes(file));
                Assert.True(png.Width >= 400 && png.Height >= 300, $"{file}: {png.Width}×{png.Height}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void BestEpochIsTheFirstHighestFiniteValidationMacroF1()
    {
        CurveRow Row(int epoch, double f1) => new(epoch, 1, 1, 0.5, 0.5, f1, 1e-3, 1);
        Assert.Equal(2, TrainingFigures.BestEpoch([Row(1, 0.3), Row(2, 0.6), Row(3, double.NaN), Row(4, 0.6)])!.Epoch);
        Assert.Null(TrainingFigures.BestEpoch([Row(1, double.NaN)]));
    }

    private static AudioSignal Tone()
    {
        var samples = new float[16000];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(0.5 * Math.Sin(2 * Math.PI * 220 * i / 16000.0) * (i is > 4000 and < 12000 ? 1 : 0.02));
        }
        return new AudioSignal(samples, 16000);
    }
}
