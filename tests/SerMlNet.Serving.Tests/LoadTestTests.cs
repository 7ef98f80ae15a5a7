using SerMlNet.Audio;
using SerMlNet.Serving.Load;

namespace SerMlNet.Serving.Tests;

[Collection(ServiceCollection.Name)]
public sealed class LoadTestTests(ServiceFixture fixture)
{
    [Fact]
    public async Task A_short_load_run_has_no_errors_and_ordered_percentiles()
    {
        byte[] wav = Clips.WavImage(Audio.Wav.WavFile.Read(Clips.Surprised16k).Samples.AsSpan(0, 48000), 16000);
        int progressCalls = 0;
        LoadTestResult result = await LoadTest.RunAsync(new LoadTestOptions
        {
            Endpoint = new Uri(fixture.Service.BaseAddress, "v1/recognize"),
            Body = wav,
            Requests = 60,
            Connections = 3,
            WarmUpRequests = 5,
            ProgressEvery = 20,
            Progress = (_, _) => progressCalls++,
        });
        Assert.Equal(60, result.Requests);
        Assert.Equal(0, result.Errors);
        Assert.False(result.TimedOut);
        Assert.Equal(3, progressCalls);
        Assert.True(result.P50Ms <= result.P90Ms && result.P90Ms <= result.P99Ms && result.P99Ms <= result.MaxMs);
        Assert.True(result.RequestsPerSecond > 0);
    }

    [Fact]
    public async Task Refused_requests_count_as_errors()
    {
        LoadTestResult result = await LoadTest.RunAsync(new LoadTestOptions
        {
            Endpoint = new Uri(fixture.Service.BaseAddress, "v1/recognize"),
            Body = "not a wav"u8.ToArray(),
            Requests = 10,
            Connections = 2,
            WarmUpRequests = 0,
        });
        Assert.Equal(10, result.Errors);
        Assert.Equal("HTTP 400", result.ErrorSamples[0]);
    }

    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        double[] sorted = [.. Enumerable.Range(1, 100).Select(i => (double)i)];
        Assert.Equal(50, LoadTest.Percentile(sorted, 0.50));
        Assert.Equal(99, LoadTest.Percentile(sorted, 0.99));
        Assert.Equal(1, LoadTest.Percentile(sorted, 0));
        Assert.Equal(100, LoadTest.Percentile(sorted, 1));
    }

    [Fact]
    public void Bad_options_are_reported_together()
    {
        var options = new LoadTestOptions { Endpoint = new Uri("ftp://x/"), Body = ReadOnlyMemory<byte>.Empty, Requests = 0, Connections = 0 };
        OptionsValidationException e = Assert.Throws<OptionsValidationException>(options.Validate);
        Assert.Equal(4, e.Errors.Count);
    }

    [Fact]
    public void The_resident_memory_of_this_process_is_read_from_proc()
    {
        int self = Environment.ProcessId;
        long? rss = ProcessMemory.ResidentBytes(self);
        long? peak = ProcessMemory.PeakResidentBytes(self);
        Assert.NotNull(rss);
        Assert.InRange(rss.Value, 10L << 20, 64L << 30);
        Assert.True(peak >= rss);
        Assert.Null(ProcessMemory.ResidentBytes(int.MaxValue));
    }
}
