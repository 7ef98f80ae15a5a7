using SerMlNet.Evaluation.Metrics;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Tests;

namespace SerMlNet.Evaluation.Tests.Metrics;

public class PredictionsCsvTests
{
    [Fact]
    public void WritesTheDocumentedColumnsAndRoundTrips()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string path = Path.Combine(folder.Path, "predictions.csv");
        List<Prediction> predictions = Synthetic.Predictions(20, 0.7, 0.6);
        predictions.Add(new Prediction("odd, \"quoted\" id.wav", 3, 4, [0.01f, 0.02f, 0.03f, 0.1f, 0.7f, 0.05f, 0.04f, 0.05f], null, null));
        PredictionsCsv.Write(path, Synthetic.Labels, predictions);

        string[] lines = File.ReadAllLines(path);
        Assert.Equal(
            "clip_id,true,predicted,confidence,p_neutral,p_calm,p_happy,p_sad,p_angry,p_fearful,p_disgust,p_surprised,gender,intensity",
            lines[0]);
        Assert.Equal(22, lines.Length);
        Prediction first = predictions[0];
        Assert.StartsWith($"{first.ClipId},{Synthetic.Labels[first.TrueClass]},{Synthetic.Labels[first.PredictedClass]},0.6,", lines[1]);
        Assert.EndsWith(",female,normal", lines[1]);
        Assert.EndsWith(",,", lines[^1]);

        var (labels, read) = PredictionsCsv.Read(path);
        Assert.Equal(Synthetic.Labels, labels);
        Assert.Equal(predictions.Count, read.Count);
        for (int i = 0; i < predictions.Count; i++)
        {
            Assert.Equal(predictions[i].ClipId, read[i].ClipId);
            Assert.Equal(predictions[i].TrueClass, read[i].TrueClass);
            Assert.Equal(predictions[i].PredictedClass, read[i].PredictedClass);
            Assert.Equal(predictions[i].Probabilities, read[i].Probabilities);
            Assert.Equal(predictions[i].Gender, read[i].Gender);
            Assert.Equal(predictions[i].Intensity, read[i].Intensity);
        }
        Assert.Equal(Gender.Male, read[1].Gender);
    }

    [Fact]
    public void RejectsPredictionsThatDoNotFitTheLabels()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string path = Path.Combine(folder.Path, "p.csv");
        Assert.Throws<ArgumentException>(() => PredictionsCsv.Write(path, ["a", "b"], [Synthetic.Make("x", 0, 2, 3)]));
        Assert.False(File.Exists(path));
        File.WriteAllText(path, "clip_id,true,predicted,confidence,p_a,p_b,gender,intensity\nx,a,c,0.5,0.5,0.5,,\n");
        var e = Assert.Throws<InvalidFileException>(() => PredictionsCsv.Read(path));
        Assert.Contains("row 2", e.Message);
    }
}
