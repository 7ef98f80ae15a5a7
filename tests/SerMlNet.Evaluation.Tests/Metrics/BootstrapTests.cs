using SerMlNet.Evaluation.Metrics;
using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.Evaluation.Tests.Metrics;

public class BootstrapTests
{
    [Fact]
    public void QuantileInterpolatesLikeNumpy()
    {
        double[] sorted = [1, 2, 3, 4];
        // numpy.quantile([1,2,3,4], q) with the default 'linear' method.
        Assert.Equal(1.075, Bootstrap.Quantile(sorted, 0.025), 12);
        Assert.Equal(3.925, Bootstrap.Quantile(sorted, 0.975), 12);
        Assert.Equal(2.5, Bootstrap.Quantile(sorted, 0.5), 12);
        Assert.Equal(new ConfidenceInterval(1.075, 3.925), Bootstrap.Percentile95([4, 1, 3, 2]));
    }

    [Fact]
    public void CountMetricsAgreeWithConfusionMatrix()
    {
        var random = new SeededRandom(123);
        for (int trial = 0; trial < 50; trial++)
        {
            int k = 2 + random.NextInt(7);
            int n = 1 + random.NextInt(60);
            var truth = new int[n];
            var predicted = new int[n];
            var counts = new int[k * k];
            for (int i = 0; i < n; i++)
            {
                truth[i] = random.NextInt(k);
                predicted[i] = random.NextBool(0.5) ? truth[i] : random.NextInt(k);
                counts[truth[i] * k + predicted[i]]++;
            }
            var matrix = ConfusionMatrix.From(k, truth, predicted);
            Assert.Equal(matrix.Accuracy, CountMetrics.Accuracy(counts, k, n), 12);
            Assert.Equal(matrix.MacroF1, CountMetrics.MacroF1(counts, k), 12);
        }
    }
}
