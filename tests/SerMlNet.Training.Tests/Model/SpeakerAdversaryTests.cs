using SerMlNet.Training.Engine;
using SerMlNet.Training.Model;
using static TorchSharp.torch;

namespace SerMlNet.Training.Tests.Model;

public sealed class SpeakerAdversaryTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(2.0)]
    public void GradientReversalIsTheIdentityForwardAndMinusLambdaBackward(double lambda)
    {
        using var scope = NewDisposeScope();
        Tensor x = tensor(new float[] { 0.5f, -1.25f, 3f }).requires_grad_(true);
        Tensor upstream = tensor(new float[] { 1f, -2f, 0.25f });
        Tensor y = SpeakerAdversary.ReverseGradient(x, lambda);
        Assert.Equal(x.detach().data<float>().ToArray(), y.detach().data<float>().ToArray());
        y.mul(upstream).sum().backward();
        float[] expected = [.. upstream.data<float>().ToArray().Select(g => (float)(-lambda * g))];
        float[] gradient = x.grad!.data<float>().ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], gradient[i], 5);
        }
    }

    [Fact]
    public void TheHeadReadsTheCnnEmbeddingAndTheCnnForwardIsUnchanged()
    {
        TorchEngine.ManualSeed(4);
        using var scope = NewDisposeScope();
        using var cnn = new SerCnn(new SerCnnOptions { InputMels = 32, InputFrames = 40, Channels = [4, 8], TemporalChannels = 12, TemporalBlocks = 1 });
        cnn.eval();
        Assert.Equal(12, cnn.EmbeddingSize);
        Tensor x = randn(3, 1, 32, 40);
        (Tensor logits, Tensor embedding) = cnn.ForwardWithEmbedding(x);
        Assert.Equal([3L, 12L], embedding.shape);
        Assert.Equal(cnn.forward(x).data<float>().ToArray(), logits.data<float>().ToArray());

        using var head = new SpeakerAdversary(cnn.EmbeddingSize, 16, 5) { ReversalWeight = 0.5 };
        Assert.Equal([3L, 5L], head.forward(embedding).shape);
        Assert.Equal(5, head.Speakers);
        Assert.Equal(["hidden.bias", "hidden.weight", "output.bias", "output.weight"], head.state_dict().Keys.Order(StringComparer.Ordinal));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpeakerAdversary(12, 16, 1));
    }

    [Fact]
    public void AttentiveStatisticsPoolingDoublesTheEmbeddingIntoWeightedMeansAndDeviations()
    {
        TorchEngine.ManualSeed(6);
        using var scope = NewDisposeScope();
        using var cnn = new SerCnn(new SerCnnOptions { InputMels = 32, InputFrames = 40, Channels = [4, 8], TemporalChannels = 12, TemporalBlocks = 1, AttentionChannels = 7 });
        cnn.eval();
        Assert.Equal(24, cnn.EmbeddingSize);
        Assert.Contains("pool.projection.weight", cnn.state_dict().Keys);
        Assert.Contains("pool.score.bias", cnn.state_dict().Keys);
        (Tensor logits, Tensor embedding) = cnn.ForwardWithEmbedding(randn(3, 1, 32, 40));
        Assert.Equal([3L, 8L], logits.shape);
        Assert.Equal([3L, 24L], embedding.shape);

        // With a constant score the weights are uniform: the mean and the (population) standard deviation over positions.
        using var pooling = new AttentiveStatisticsPooling(3, 4);
        using (no_grad())
        {
            pooling.Score.weight!.zero_();
        }
        Tensor map = randn(2, 3, 1, 10);
        Tensor pooled = pooling.forward(map);
        Tensor values = map.flatten(2);
        Tensor expected = cat([values.mean([2]), values.std([2], unbiased: false)], 1);
        Assert.True(pooled.allclose(expected, rtol: 1e-4, atol: 1e-5), "uniform attention must give mean and standard deviation");
        Assert.Throws<SerMlNet.Audio.OptionsValidationException>(() => new SerCnn(new SerCnnOptions { AttentionChannels = -1 }));
    }
}
