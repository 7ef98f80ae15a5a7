using SerMlNet.Evaluation.Reporting;

namespace SerMlNet.Evaluation.Tests.Reporting;

/// <summary>Which epochs a run keeps (checkpoint averaging's choice) and the sentence the report and notebook print.</summary>
public class KeptEpochsTests
{
    private static CurveRow Row(int epoch, double f1) => new(epoch, 1, 1, 0.5, 0.5, f1, 1e-3, 1);

    private static readonly CurveRow[] Curves = [Row(1, 0.40), Row(2, 0.60), Row(3, 0.55), Row(4, 0.60), Row(5, 0.58)];

    [Fact]
    public void TheBestEpochsAreTakenTiesGoToTheEarlierAndWithoutValidationTheLast()
    {
        Assert.Equal([2], KeptEpochs.Select(Curves, 1));
        Assert.Equal([2, 4], KeptEpochs.Select(Curves, 2));
        Assert.Equal([2, 4, 5], KeptEpochs.Select(Curves, 3));
        Assert.Equal([1, 2, 3, 4, 5], KeptEpochs.Select(Curves, 9));
        CurveRow[] blind = [Row(1, double.NaN), Row(2, double.NaN), Row(3, double.NaN)];
        Assert.Equal([2, 3], KeptEpochs.Select(blind, 2));
        Assert.Empty(KeptEpochs.Select([], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => KeptEpochs.Select(Curves, 0));
    }

    [Fact]
    public void TheSentenceNamesTheAveragedEpochsOrTheBestOne()
    {
        Assert.Equal("the mean of epochs 2, 4 and 5 (the 3 of best validation macro-F1)", KeptEpochs.Describe(Curves, 3));
        Assert.Equal("epoch 2's (the best validation macro-F1)", KeptEpochs.Describe(Curves, 0));
        Assert.Equal("epoch 2's (the best validation macro-F1)", KeptEpochs.Describe(Curves, 1));
        CurveRow[] blind = [Row(1, double.NaN), Row(2, double.NaN), Row(3, double.NaN)];
        Assert.Equal("the mean of epochs 2 and 3 (the last 2: no validation figure)", KeptEpochs.Describe(blind, 2));
        Assert.Equal("epoch 3's (the last: no validation figure)", KeptEpochs.Describe(blind, 0));
        Assert.True(KeptEpochs.WithoutValidation(blind));
        Assert.False(KeptEpochs.WithoutValidation(Curves));
        Assert.Throws<ArgumentException>(() => KeptEpochs.Describe([], 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => KeptEpochs.Describe(Curves, -1));
    }
}
