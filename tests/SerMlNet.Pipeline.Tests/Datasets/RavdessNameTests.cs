using SerMlNet.Pipeline.Datasets;

namespace SerMlNet.Pipeline.Tests.Datasets;

public class RavdessNameTests
{
    [Fact]
    public void ParsesEveryField()
    {
        RavdessName name = RavdessName.Parse("Actor_07/03-01-05-02-01-02-07.wav");
        Assert.Equal(3, name.Modality);
        Assert.Equal(1, name.VocalChannel);
        Assert.Equal("angry", name.Emotion);
        Assert.Equal(2, name.Intensity);
        Assert.Equal(1, name.Statement);
        Assert.Equal(2, name.Repetition);
        Assert.Equal(7, name.Actor);
        Assert.Equal(Gender.Male, name.Gender);
        Assert.Equal("actor07", name.Speaker);
        Assert.Equal(Gender.Female, RavdessName.Parse("03-01-01-01-01-01-12.wav").Gender);
    }

    [Theory]
    [InlineData("03-01-05-02-01-02.wav", "7 two-digit fields")]
    [InlineData("03-01-09-01-01-01-01.wav", "emotion 09")]
    [InlineData("03-01-01-02-01-01-01.wav", "neutral")]
    [InlineData("03-01-05-01-01-01-25.wav", "actor 25")]
    [InlineData("03-01-5-01-01-01-01.wav", "not two digits")]
    [InlineData("03-01-05-01-01-01-01.mp3", ".wav")]
    [InlineData("hello.wav", "7 two-digit fields")]
    public void RejectsMalformedNamesWithTheReason(string fileName, string reason)
    {
        var ex = Assert.Throws<DatasetException>(() => RavdessName.Parse(fileName));
        Assert.Contains(fileName, ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}
