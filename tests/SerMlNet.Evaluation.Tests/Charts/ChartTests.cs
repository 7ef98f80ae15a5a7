using System.Xml.Linq;
using SerMlNet.Audio;
using SerMlNet.Evaluation.Charts;
using SerMlNet.Evaluation.Exploration;
using SerMlNet.Evaluation.Imaging;
using SerMlNet.Evaluation.Tests.Imaging;

namespace SerMlNet.Evaluation.Tests.Charts;

public class ChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private const string Nasty = "a<b & \"c\" 'd' >e\u0001";

    /// <summary>Parses as XML and checks the common contract: SVG root, viewBox, role, title/desc referenced by aria-labelledby.</summary>
    private static XElement Parse(string svg, string expectedTitle)
    {
        XElement root = XElement.Parse(svg);
        Assert.Equal(Svg + "svg", root.Name);
        string[] viewBox = ((string?)root.Attribute("viewBox"))!.Split(' ');
        Assert.Equal(4, viewBox.Length);
        Assert.True(double.Parse(viewBox[2]) > 100 && double.Parse(viewBox[3]) > 100);
        Assert.Equal("img", (string?)root.Attribute("role"));
        XElement title = root.Element(Svg + "title")!;
        Assert.Equal(expectedTitle, title.Value);
        string[] labelledBy = ((string?)root.Attribute("aria-labelledby"))!.Split(' ');
        Assert.Equal((string?)title.Attribute("id"), labelledBy[0]);
        Assert.Equal((string?)root.Element(Svg + "desc")!.Attribute("id"), labelledBy[1]);
        return root;
    }

    private static List<string> Texts(XElement root) => root.Descendants(Svg + "text").Select(t => t.Value).ToList();

    [Fact]
    public void XmlEscapeHandlesMarkupQuotesAndForbiddenCharacters()
    {
        Assert.Equal("a&lt;b &amp; &quot;c&quot; &#39;d&#39; &gt;e", Xml.Escape(Nasty));
        Assert.Equal("emoji 😀 ok", Xml.Escape("emoji 😀 ok"));
        Assert.Equal("lone ", Xml.Escape("lone \ud800"));
        Assert.Equal(string.Empty, Xml.Escape(null));
    }

    [Fact]
    public void LineChartDrawsEachSeriesWithLegendAxesAndGapsAtNaN()
    {
        string svg = LineChart.Render(new LineChartSpec
        {
            Title = "Loss " + Nasty,
            XLabel = "Epoch",
            YLabel = "Loss",
            IntegerX = true,
            Series =
            [
                new LineSeries("train " + Nasty, [1, 2, 3, 4, 5], [2.0, 1.5, double.NaN, 1.0, 0.8]) { Dashed = true },
                new LineSeries("validation", [1, 2, 3, 4, 5], [2.2, 1.8, 1.4, 1.3, 1.25]),
            ],
            Marker = (4, "best epoch 4"),
        });
        // The forbidden control character is dropped; the rest round-trips through XML escaping.
        XElement root = Parse(svg, "Loss a<b & \"c\" 'd' >e");
        // The NaN splits the first series into two polylines.
        Assert.Equal(3, root.Descendants(Svg + "polyline").Count());
        Assert.Equal(9, root.Descendants(Svg + "circle").Count());
        List<string> texts = Texts(root);
        Assert.Contains("train a<b & \"c\" 'd' >e", texts);
        Assert.Contains("validation", texts);
        Assert.Contains("Epoch", texts);
        Assert.Contains("best epoch 4", texts);
        // Integer x ticks: 1 to 5, never 1.5.
        var xTicks = root.Descendants(Svg + "text").Where(t => (string?)t.Attribute("text-anchor") == "middle" && (string?)t.Attribute("font-size") == "11").Select(t => t.Value).ToList();
        Assert.Equal(["1", "2", "3", "4", "5"], xTicks);
    }

    [Fact]
    public void HeatMapHasOneCellPerEntryAColourBarAndReadableInk()
    {
        string[] labels = ["neutral", "calm", "angry"];
        double[][] values = [[0.9, 0.1, 0], [0.2, 0.8, 0], [0, double.NaN, 1]];
        string svg = HeatMap.Render(new HeatMapSpec { Title = "Confusion", RowLabels = labels, ColumnLabels = labels, Values = values, ColorMap = ColorMap.Blues });
        XElement root = Parse(svg, "Confusion");
        var cells = root.Descendants(Svg + "rect").Where(r => r.Element(Svg + "title") is not null).ToList();
        Assert.Equal(9, cells.Count);
        Assert.Equal(ColorMap.Blues.Hex(0.9), (string?)cells[0].Attribute("fill"));
        Assert.Equal("#dddddd", (string?)cells[7].Attribute("fill"));
        Assert.Single(root.Descendants(Svg + "linearGradient"));
        List<string> texts = Texts(root);
        Assert.Contains("0.90", texts);
        Assert.Contains("Predicted class", texts);
        Assert.Contains("True class", texts);
        // Dark cells get white text, light cells dark text.
        XElement dark = root.Descendants(Svg + "text").First(t => t.Value == "1.00" && (string?)t.Attribute("text-anchor") == "middle");
        Assert.Equal("#ffffff", (string?)dark.Attribute("fill"));
        XElement light = root.Descendants(Svg + "text").First(t => t.Value == "0.10");
        Assert.Equal("#111111", (string?)light.Attribute("fill"));
        Assert.Throws<ArgumentException>(() => HeatMap.Render(new HeatMapSpec { Title = "x", RowLabels = labels, ColumnLabels = labels, Values = [[1, 2]] }));
    }

    [Theory]
    [InlineData(BarOrientation.Horizontal)]
    [InlineData(BarOrientation.Vertical)]
    public void BarChartDrawsOneBarPerFiniteValue(BarOrientation orientation)
    {
        string svg = BarChart.Render(new BarChartSpec
        {
            Title = "F1",
            Categories = ["neutral", "calm", "happy"],
            Series = [new BarSeries("male", [0.5, 0.7, double.NaN]), new BarSeries("female", [0.6, 0.2, 0.9])],
            ValueLabel = "F1",
            ValueMax = 1,
            Orientation = orientation,
            Reference = (0.55, "macro"),
        });
        XElement root = Parse(svg, "F1");
        var bars = root.Descendants(Svg + "rect").Where(r => r.Element(Svg + "title") is not null).ToList();
        Assert.Equal(5, bars.Count);
        double Length(XElement bar) => double.Parse((string)bar.Attribute(orientation == BarOrientation.Horizontal ? "width" : "height")!);
        // Lengths are proportional to the values on a 0–1 axis.
        Assert.Equal(0.5 / 0.6, Length(bars[0]) / Length(bars[1]), 2);
        Assert.Equal(0.9 / 0.6, Length(bars[4]) / Length(bars[1]), 2);
        List<string> texts = Texts(root);
        Assert.Contains("0.70", texts);
        Assert.Contains("macro", texts);
        Assert.Contains("female", texts);
    }

    [Fact]
    public void IntervalChartDrawsWhiskersPointsAndTheReferenceLine()
    {
        string svg = IntervalChart.Render(new IntervalChartSpec
        {
            Title = "Gap",
            Categories = ["Accuracy", "Macro-F1"],
            Series = [new IntervalSeries("male − female", [new IntervalValue(0.04, -0.05, 0.12), new IntervalValue(-0.02, -0.1, 0.07)])],
            ValueLabel = "Difference",
            Reference = (0, "no gap"),
            ValueFormat = "+0.000;−0.000;0.000",
        });
        XElement root = Parse(svg, "Gap");
        Assert.Equal(3, root.Descendants(Svg + "circle").Count()); // 2 points + 1 legend marker
        List<string> texts = Texts(root);
        Assert.Contains("+0.040 [−0.050, +0.120]", texts);
        Assert.Contains("no gap", texts);
        Assert.Contains("−0.10", texts); // tick labels use a true minus sign
    }

    [Fact]
    public void HistogramDrawsNonEmptyBinsOfEverySeries()
    {
        string svg = Histogram.Render(new HistogramSpec
        {
            Title = "Durations",
            BinStart = 1,
            BinWidth = 0.5,
            Series = [new HistogramSeries("before", [0, 3, 5, 1]), new HistogramSeries("after", [2, 4, 0, 0])],
            XLabel = "Duration (s)",
        });
        XElement root = Parse(svg, "Durations");
        var bars = root.Descendants(Svg + "rect").Where(r => r.Element(Svg + "title") is not null).ToList();
        Assert.Equal(5, bars.Count);
        Assert.Contains("before: 5 in [2, 2.5)", bars.Select(b => b.Element(Svg + "title")!.Value));
        Assert.Throws<ArgumentException>(() => Histogram.Render(new HistogramSpec
        {
            Title = "x", BinStart = 0, BinWidth = 0, XLabel = "s", Series = [new HistogramSeries("a", [1])],
        }));
    }

    [Fact]
    public void SpectrogramEmbedsADecodablePngWithLowBandsAtTheBottom()
    {
        // 4 bands × 6 frames; band b is louder the higher it is, so the top image row must be the brightest.
        var data = new float[4 * 6];
        for (int b = 0; b < 4; b++)
        {
            for (int t = 0; t < 6; t++)
            {
                data[b * 6 + t] = -60 + 20 * b;
            }
        }
        var matrix = new FeatureMatrix(4, 6, data);
        string svg = SpectrogramChart.Render(new SpectrogramSpec
        {
            Title = "Spectrograms",
            Panels = [new SpectrogramPanel("angry", matrix, 0.01), new SpectrogramPanel("sad", new FeatureMatrix(4, 3, new float[12]), 0.01)],
            ColorMap = ColorMap.Magma,
            DynamicRangeDb = 60,
        });
        XElement root = Parse(svg, "Spectrograms");
        var images = root.Descendants(Svg + "image").ToList();
        Assert.Equal(2, images.Count);
        string href = (string)images[0].Attribute("href")!;
        Assert.StartsWith("data:image/png;base64,", href);
        PngReader png = PngReader.Decode(Convert.FromBase64String(href["data:image/png;base64,".Length..]));
        Assert.Equal(6, png.Width);
        Assert.Equal(4, png.Height);
        Assert.Equal(ColorMap.Magma.Map(1), png.Rgb(0, 0));       // band 3 at 0 dB = the maximum
        Assert.Equal(ColorMap.Magma.Map(0), png.Rgb(5, 3));       // band 0 at −60 dB = max − range
        // The shorter panel's image is half as wide: both share one time axis.
        Assert.Equal(double.Parse((string)images[0].Attribute("width")!) / 2, double.Parse((string)images[1].Attribute("width")!), 1);
        List<string> texts = Texts(root);
        Assert.Contains("Time (s)", texts);
        Assert.Contains("Mel band", texts);
        Assert.Contains("dB", texts);
    }

    [Fact]
    public void ChartsRejectEmptyInput()
    {
        Assert.Throws<ArgumentException>(() => LineChart.Render(new LineChartSpec { Title = "t", XLabel = "x", YLabel = "y", Series = [] }));
        Assert.Throws<ArgumentException>(() => LineChart.Render(new LineChartSpec { Title = "t", XLabel = "x", YLabel = "y", Series = [new LineSeries("a", [1, 2], [1])] }));
        Assert.Throws<ArgumentException>(() => BarChart.Render(new BarChartSpec { Title = "t", ValueLabel = "v", Categories = ["a"], Series = [new BarSeries("s", [1, 2])] }));
        Assert.Throws<ArgumentException>(() => IntervalChart.Render(new IntervalChartSpec { Title = "t", ValueLabel = "v", Categories = [], Series = [] }));
        Assert.Throws<ArgumentException>(() => SpectrogramChart.Render(new SpectrogramSpec { Title = "t", Panels = [] }));
        var nan = new FeatureMatrix(2, 2, [float.NaN, float.NaN, float.NaN, float.NaN]);
        Assert.Throws<ArgumentException>(() => SpectrogramChart.Render(new SpectrogramSpec { Title = "t", Panels = [new SpectrogramPanel("a", nan, 0.01)] }));
    }
}
