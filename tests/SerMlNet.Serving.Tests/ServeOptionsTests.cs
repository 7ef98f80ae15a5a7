using SerMlNet.Audio;

namespace SerMlNet.Serving.Tests;

public sealed class ServeOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_documented()
    {
        var options = new ServeOptions { ModelPath = "m.onnx" };
        options.Validate();
        Assert.Equal(5080, options.Port);
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(50L * 1024 * 1024, options.MaxBodyBytes);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ReadTimeout);
        Assert.Equal(Environment.ProcessorCount, options.MaxConcurrentScoring);
        Assert.Equal(16, options.MaxConcurrentStreams);
        Assert.Equal(1, options.IntraOpThreads);
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var options = new ServeOptions
        {
            ModelPath = " ",
            Host = "localhost:80",
            Port = 70000,
            MaxBodyBytes = 10,
            ReadTimeout = TimeSpan.Zero,
            MaxConcurrentScoring = 0,
            MaxConcurrentStreams = 2000,
            IntraOpThreads = -1,
        };
        OptionsValidationException e = Assert.Throws<OptionsValidationException>(options.Validate);
        Assert.Equal(nameof(ServeOptions), e.OptionsType);
        Assert.Equal(8, e.Errors.Count);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task A_missing_model_fails_the_start_with_the_projects_exception()
    {
        await Assert.ThrowsAsync<Onnx.ModelFileNotFoundException>(() =>
            EmotionService.StartAsync(new ServeOptions { ModelPath = "/nonexistent/model.onnx", Port = 0 }));
    }
}
