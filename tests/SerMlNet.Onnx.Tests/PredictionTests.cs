using SerMlNet.Tests;

namespace SerMlNet.Onnx.Tests;

public sealed class PredictionTests
{
    [Fact]
    public void Predictor_reuses_its_buffers_and_matches_Predict_in_batches()
    {
        using var temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "model.onnx");
        CnnDescription cnn = TestModels.SerCnnLike(seed: 8, headScale: 20);
        OnnxExporter.Export(cnn, TestModels.Options(), path);
        using OnnxModel model = OnnxModel.Load(path, new OnnxModelOptions { IntraOpThreads = 1, AllowThreadSpinning = false });
        int per = model.ValuesPerExample!.Value;
        float[] batch = TestModels.Uniform(new Random(4), 4 * per, 2.0);

        IReadOnlyList<EmotionPrediction> expected = model.Predict(batch, 4);
        using EmotionPredictor predictor = model.CreatePredictor(maxBatchSize: 4);
        ReadOnlySpan<float> all = predictor.Run(batch, 4);
        Assert.Equal(4 * 8, all.Length);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i].Probabilities, all.Slice(i * 8, 8).ToArray());
            Assert.Equal(expected[i].Logits, predictor.Logits.Slice(i * 8, 8).ToArray());
            Assert.Equal(expected[i].ClassIndex, predictor.GetPrediction(i).ClassIndex);
        }
        // A batch of one is the same as the first example of the batch: the batch axis really is independent.
        ReadOnlySpan<float> single = predictor.Run(batch.AsMemory(0, per));
        Assert.Equal(expected[0].Probabilities, single.ToArray());
        Assert.Equal(1, predictor.LastBatchSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => predictor.Run(new float[5 * per], 5));
    }

    [Fact]
    public void Prediction_reports_the_top_classes_in_order()
    {
        using var temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "model.onnx");
        OnnxExporter.Export(TestModels.SerCnnLike(seed: 9, headScale: 20), TestModels.Options(), path);
        using OnnxModel model = OnnxModel.Load(path);
        EmotionPrediction p = model.Predict(TestModels.Uniform(new Random(6), model.ValuesPerExample!.Value, 2.0))[0];
        Assert.Equal(1.0, p.Probabilities.Sum(), 5);
        Assert.Equal(p.Probabilities.Max(), p.Confidence);
        Assert.Equal(TestModels.Emotions[p.ClassIndex], p.Label);
        IReadOnlyList<ClassScore> top = p.Top(3);
        Assert.Equal(3, top.Count);
        Assert.Equal(p.ClassIndex, top[0].ClassIndex);
        Assert.True(top[0].Probability >= top[1].Probability && top[1].Probability >= top[2].Probability);
        Assert.Equal(8, p.Top(100).Count);
    }
}
