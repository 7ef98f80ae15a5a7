using System.Net.Http.Headers;
using SerMlNet.Tests;

namespace SerMlNet.Serving.Tests;

/// <summary>
/// One service for the test classes that share it: the shipped <c>artifacts/model.onnx</c> on a free loopback port,
/// the default body limit (50 MiB), a 2-s read timeout so the stall tests are quick.
/// </summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    private EmotionService? _service;

    /// <summary>The running service.</summary>
    public EmotionService Service => _service ?? throw new InvalidOperationException("not started");

    /// <summary>A client for the service (base address set).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The shipped model.</summary>
    public static string ModelPath => Path.Combine(RepoPaths.Root, "artifacts", "model.onnx");

    /// <summary>The read timeout of this service.</summary>
    public static TimeSpan ReadTimeout => TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _service = await EmotionService.StartAsync(new ServeOptions { ModelPath = ModelPath, Port = 0, ReadTimeout = ReadTimeout });
        Client = new HttpClient { BaseAddress = _service.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }

    /// <summary>A WAV body with <c>Content-Type: audio/wav</c>.</summary>
    /// <param name="bytes">The body.</param>
    /// <returns>The content.</returns>
    public static ByteArrayContent Wav(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        return content;
    }
}

/// <summary>The test classes that share <see cref="ServiceFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "service";
}
