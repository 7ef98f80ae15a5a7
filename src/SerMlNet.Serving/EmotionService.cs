using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SerMlNet.Onnx;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Serving.Endpoints;
using SerMlNet.Serving.Http;

namespace SerMlNet.Serving;

/// <summary>
/// The HTTP scoring service: an ASP.NET Core minimal API (Kestrel) over one <see cref="EmotionRecognizer"/> on ONNX
/// Runtime. Endpoints:
/// <list type="table">
/// <item><term><c>POST /v1/recognize</c></term><description>a WAV body (any rate, mono or stereo, <c>Content-Type:
/// audio/wav</c>) → the Predict JSON document (<see cref="Onnx.Recognition.Json.PredictJson"/>, format <c>sermlnet.predict</c> v1);
/// query <c>top=K</c> lists the K most probable classes, <c>source=name</c> names the input (default <c>request</c>).</description></item>
/// <item><term><c>POST /v1/stream</c></term><description>a WAV body, possibly chunked and unbounded (streaming header) →
/// <c>application/x-ndjson</c> in the lines of <c>Predict --stream</c> (<see cref="Onnx.Recognition.Json.PredictStreamJson"/>): one per
/// window as soon as its audio has arrived, then a summary.</description></item>
/// <item><term><c>GET /healthz</c></term><description>status, model, labels, window and hop.</description></item>
/// <item><term><c>GET /</c></term><description>the page: microphone or dropped WAV in, live emotion timeline out.</description></item>
/// </list>
/// Refused requests get a 4xx with one line of JSON, <c>{"error":"..."}</c> (<see cref="ErrorJson"/>): 400 not a WAV
/// or a corrupt one, 408 a stalled upload, 413 a body over <see cref="ServeOptions.MaxBodyBytes"/>, 415 a wrong
/// <c>Content-Type</c>; 503 when every stream slot is taken. Bodies are read into pooled memory, never to disk; decoding and scoring run at most
/// <see cref="ServeOptions.MaxConcurrentScoring"/> at a time. Thread-safe; dispose it to stop listening and free the
/// session.
/// </summary>
public sealed class EmotionService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ScoringGate _gate;
    private readonly ScoringGate _streams;
    private int _disposed;

    private EmotionService(WebApplication app, EmotionRecognizer recognizer, ScoringGate gate, ScoringGate streams, ServeOptions options, Uri baseAddress)
    {
        _app = app;
        Recognizer = recognizer;
        _gate = gate;
        _streams = streams;
        Options = options;
        BaseAddress = baseAddress;
    }

    /// <summary>The options the service runs with.</summary>
    public ServeOptions Options { get; }

    /// <summary>The recognizer that scores every request. Owned by the service.</summary>
    public EmotionRecognizer Recognizer { get; }

    /// <summary>Where the service listens, e.g. <c>http://127.0.0.1:5080/</c> (the real port when <see cref="ServeOptions.Port"/> is 0).</summary>
    public Uri BaseAddress { get; }

    /// <summary>Opens the model and starts listening; returns once requests are accepted.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running service.</returns>
    /// <exception cref="Audio.OptionsValidationException">A field of <paramref name="options"/> is invalid.</exception>
    /// <exception cref="OnnxModelException">The model cannot be opened (missing, not a SerMlNet model).</exception>
    /// <exception cref="IOException">The address cannot be bound (the port is taken, say).</exception>
    public static async Task<EmotionService> StartAsync(ServeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        EmotionRecognizer recognizer = EmotionRecognizer.Open(options.ModelPath, new OnnxModelOptions
        {
            IntraOpThreads = options.IntraOpThreads,
            // Idle pool threads sleep: on a few cores, spinning steals the cores the next request's front end needs.
            AllowThreadSpinning = false,
        });
        WebApplication? app = null;
        try
        {
            var gate = new ScoringGate(options.MaxConcurrentScoring);
            var streams = new ScoringGate(options.MaxConcurrentStreams);
            app = Build(options, new ServiceContext(recognizer, gate, streams, options));
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new IOException($"cannot listen on {options.Host}:{options.Port}: {e.Message}", e);
            }
            string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            var service = new EmotionService(app, recognizer, gate, streams, options, new Uri(address.EndsWith('/') ? address : address + "/"));
            options.Log?.Invoke($"listening on {service.BaseAddress} (model {recognizer.Model.ModelPath}, body limit {options.MaxBodyBytes} bytes, read timeout {options.ReadTimeout.TotalSeconds:0.###} s, {options.MaxConcurrentScoring} scoring at once)");
            return service;
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }
            recognizer.Dispose();
            throw;
        }
    }

    /// <summary>Waits until the service stops: <see cref="StopAsync"/>, the host's shutdown (Ctrl+C, SIGTERM) or the token.</summary>
    /// <param name="cancellationToken">Stops waiting (and the service).</param>
    /// <returns>A task that completes when the service has stopped.</returns>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops listening; requests under way are given a few seconds to finish.</summary>
    /// <param name="cancellationToken">Cuts the grace period short.</param>
    /// <returns>A task that completes when the server has stopped.</returns>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Stops the service and frees the ONNX Runtime session.</summary>
    /// <returns>A task that completes when everything is freed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _gate.Dispose();
            _streams.Dispose();
            Recognizer.Dispose();
        }
    }

    private static WebApplication Build(ServeOptions options, ServiceContext context)
    {
        // The slim builder: no IIS or HTTPS set-up.
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        // Nothing read from files or the environment (no appsettings.json, no file watcher, no ASPNETCORE_URLS): the
        // options above are the whole configuration.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
            // The body limit is enforced per request (GuardedBodyStream) so that its reply is the service's JSON.
            kestrel.Limits.MaxRequestBodySize = null;
            // A complete stall is caught by ReadTimeout first; this catches a trickle (under 240 bytes/s on average).
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(240, options.ReadTimeout + TimeSpan.FromSeconds(1));
        });
        WebApplication app = builder.Build();
        // Empty 4xx/5xx replies of the framework itself (404 no such path, 405 wrong method) get the JSON error line too.
        app.UseStatusCodePages(async status =>
        {
            HttpContext http = status.HttpContext;
            string message = http.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"no endpoint at {http.Request.Path}; see GET / , GET /healthz, POST /v1/recognize, POST /v1/stream",
                StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on {http.Request.Path}",
                int code => $"HTTP {code}",
            };
            http.Response.ContentType = ErrorJson.ContentType;
            await http.Response.Body.WriteAsync(ErrorJson.Encode(message), http.RequestAborted).ConfigureAwait(false);
        });
        app.MapGet("/", PageEndpoint.Handle);
        app.MapGet("/healthz", http => HealthEndpoint.Handle(http, context));
        app.MapPost("/v1/recognize", http => RequestErrors.Guard(http, context, () => RecognizeEndpoint.Handle(http, context)));
        app.MapPost("/v1/stream", http => RequestErrors.Guard(http, context, () => StreamEndpoint.Handle(http, context)));
        return app;
    }
}
