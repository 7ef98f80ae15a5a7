using System.Net;
using SerMlNet.Audio;

namespace SerMlNet.Serving;

/// <summary>
/// How <see cref="EmotionService"/> listens and what it accepts. Validated once, by <see cref="Validate"/> (which
/// <see cref="EmotionService.StartAsync"/> calls), every bad field reported together. Immutable; thread-safe.
/// </summary>
public sealed record ServeOptions
{
    /// <summary>Default <see cref="Port"/>: 5080.</summary>
    public const int DefaultPort = 5080;

    /// <summary>Default <see cref="MaxBodyBytes"/>: 50 MiB (52,428,800 bytes).</summary>
    public const long DefaultMaxBodyBytes = 50L * 1024 * 1024;

    /// <summary>The SerMlNet ONNX model to serve (<c>model.onnx</c> or <c>model-e2e.onnx</c>). Required.</summary>
    public required string ModelPath { get; init; }

    /// <summary>
    /// Address to listen on; default <c>127.0.0.1</c> (loopback only). <c>0.0.0.0</c> or <c>::</c> listen on every
    /// interface. Must parse as an IP address.
    /// </summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port in [0, 65535]; default <see cref="DefaultPort"/>. 0 lets the system pick a free port (see <see cref="EmotionService.BaseAddress"/>).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>
    /// Largest request body accepted, in bytes, in [1 KiB, 2 GiB]; default <see cref="DefaultMaxBodyBytes"/> (50 MiB,
    /// about 27 min of 16-kHz 16-bit mono audio). A larger body gets 413; on <c>/v1/stream</c> the limit counts every
    /// byte of the upload.
    /// </summary>
    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>
    /// Longest wait for the next bytes of a request body; default 10 s; in (0, 10 min]. An upload that stalls longer gets
    /// 408 (an upload slower than 240 bytes/s on average after this grace period gets it too).
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Requests decoded and scored at once, in [1, 1024]; default the number of logical cores. Others wait their turn
    /// (their bodies are still read meanwhile), so memory and CPU stay bounded under load.
    /// </summary>
    public int MaxConcurrentScoring { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// <c>/v1/stream</c> requests running at once, in [1, 1024]; default 16. Each scores its windows as its audio arrives
    /// (at most one window at a time), outside <see cref="MaxConcurrentScoring"/>, so a slow or stalled stream holds no
    /// scoring slot; one stream more than this gets 503.
    /// </summary>
    public int MaxConcurrentStreams { get; init; } = 16;

    /// <summary>
    /// Threads ONNX Runtime uses inside one network run, in [0, 1024]; default 1: requests run side by side (up to
    /// <see cref="MaxConcurrentScoring"/>), each on its own thread, which gives the most requests per second on few
    /// cores. 0 is ONNX Runtime's choice (one per physical core).
    /// </summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Receives one-line notes (start-up, requests that failed on the server's side); default null (silent).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Checks every field and reports all problems at once.</summary>
    /// <exception cref="OptionsValidationException">One or more fields are invalid.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(ServeOptions));
        errors.Require(!string.IsNullOrWhiteSpace(ModelPath), "ModelPath is required");
        errors.Require(IPAddress.TryParse(Host, out _), $"Host must be an IP address such as 127.0.0.1 or 0.0.0.0 (was '{Host}')");
        errors.Require(Port is >= 0 and <= 65535, $"Port must be in [0, 65535] (was {Port})");
        errors.Require(MaxBodyBytes is >= 1024 and <= int.MaxValue, $"MaxBodyBytes must be in [1024, {int.MaxValue}] (was {MaxBodyBytes})");
        errors.Require(ReadTimeout > TimeSpan.Zero && ReadTimeout <= TimeSpan.FromMinutes(10), $"ReadTimeout must be in (0, 10 min] (was {ReadTimeout})");
        errors.Require(MaxConcurrentScoring is >= 1 and <= 1024, $"MaxConcurrentScoring must be in [1, 1024] (was {MaxConcurrentScoring})");
        errors.Require(MaxConcurrentStreams is >= 1 and <= 1024, $"MaxConcurrentStreams must be in [1, 1024] (was {MaxConcurrentStreams})");
        errors.Require(IntraOpThreads is >= 0 and <= 1024, $"IntraOpThreads must be in [0, 1024] (was {IntraOpThreads})");
        errors.ThrowIfAny();
    }
}
