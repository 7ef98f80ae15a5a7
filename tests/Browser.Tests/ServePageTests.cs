using Microsoft.Playwright;
using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Serving;
using SerMlNet.Tests;
using Xunit.Abstractions;

namespace SerMlNet.Browser.Tests;

/// <summary>
/// The page of <c>ser serve</c> in Debian's Chromium, against a real <see cref="EmotionService"/> on loopback with the
/// shipped model. Chromium's fake capture device plays a RAVDESS clip as the microphone
/// (<c>--use-file-for-fake-audio-capture</c>, looped), the page records it, posts a window every hop and draws the
/// timeline; a dropped WAV file goes to <c>/v1/stream</c>. No request may leave the service, no console error or warning
/// may appear. Screenshots stay in <c>bin/…/browser-check/serve/</c>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ServePageTests(ITestOutputHelper output)
{
    /// <summary>The fake microphone: a 48 kHz, 16-bit mono RAVDESS original, emotion code 05 (angry), which the shipped model names correctly.</summary>
    private static string AngryClip => Path.Combine(RepoPaths.Ravdess48kSamples, "03-01-05-02-01-01-03.wav");

    private static string Screenshots => Path.Combine(AppContext.BaseDirectory, "browser-check", "serve");

    [Fact]
    public async Task TheMicrophoneTimelineFillsWithTheClipsEmotion()
    {
        await using EmotionService service = await StartServiceAsync();
        await using Session session = await Session.OpenAsync(service, output, "microphone",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", $"--use-file-for-fake-audio-capture={AngryClip}");
        IPage page = session.Page;

        await page.ClickAsync("#mic");
        const int Windows = 6;
        await page.WaitForFunctionAsync($"() => Number(document.body.dataset.windows) >= {Windows}", null, new() { Timeout = 90_000, PollingInterval = 250 });
        string label = (await page.GetAttributeAsync("#running-label", "data-label"))!;
        string[] windowLabels = [.. await page.Locator("#timeline .window:not(.pending)").EvaluateAllAsync<string[]>("cols => cols.map(c => c.dataset.label)")];
        string detail = await page.InnerTextAsync("#running-detail");
        output.WriteLine($"running label {label} ({detail}); windows: {string.Join(", ", windowLabels)}");
        await session.ScreenshotAsync("microphone.png");
        await page.ClickAsync("#mic");

        Assert.Equal("angry", label);
        Assert.True(windowLabels.Length >= Windows, $"{windowLabels.Length} windows drawn");
        Assert.True(windowLabels.Count(l => l == "angry") * 2 > windowLabels.Length, $"windows: {string.Join(", ", windowLabels)}");
        Assert.Contains("Stopped after", await page.InnerTextAsync("#status"), StringComparison.Ordinal);
        session.AssertClean();
    }

    [Fact]
    public async Task ADroppedWavFileIsStreamedWindowByWindow()
    {
        await using EmotionService service = await StartServiceAsync();
        await using Session session = await Session.OpenAsync(service, output, "dropped-file");
        IPage page = session.Page;

        // Ten seconds of actor 01's angry clips at 16 kHz, dropped on the page as a file.
        var samples = new List<float>();
        foreach (string file in Directory.GetFiles(Path.Combine(RepoPaths.Ravdess16k, "Actor_01"), "03-01-05-*.wav").Order(StringComparer.Ordinal))
        {
            samples.AddRange(WavFile.Read(file).Samples);
            if (samples.Count >= 10 * 16000)
            {
                break;
            }
        }
        using var wav = new MemoryStream();
        WavFile.Write(wav, samples.ToArray(), 16000, WavSampleFormat.Pcm16);
        IJSHandle transfer = await page.EvaluateHandleAsync(
            "b64 => { const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0)); const dt = new DataTransfer(); dt.items.add(new File([bytes], 'actor01-angry.wav', { type: 'audio/wav' })); return dt; }",
            Convert.ToBase64String(wav.ToArray()));
        await page.DispatchEventAsync("#drop", "drop", new Dictionary<string, object> { ["dataTransfer"] = transfer });
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.includes('scored')", null, new() { Timeout = 60_000 });

        double seconds = samples.Count / 16000.0;
        int expected = (int)Math.Floor((seconds - 2.99) / 1.5) + 2;   // every hop, plus the last aligned to the end
        string status = await page.InnerTextAsync("#status");
        string label = (await page.GetAttributeAsync("#running-label", "data-label"))!;
        int drawn = await page.Locator("#timeline .window:not(.pending)").CountAsync();
        output.WriteLine($"{status} running label {label}, {drawn} windows for {seconds:F2} s");
        await session.ScreenshotAsync("dropped-file.png");

        Assert.Equal("angry", label);
        Assert.Equal(expected, drawn);
        Assert.StartsWith($"actor01-angry.wav: {expected} windows scored: angry ", status, StringComparison.Ordinal);
        session.AssertClean();
    }

    private static Task<EmotionService> StartServiceAsync() =>
        EmotionService.StartAsync(new ServeOptions { ModelPath = Path.Combine(RepoPaths.Root, "artifacts", "model.onnx"), Port = 0 });

    /// <summary>A Chromium with its own arguments, one page on the service, every request and console message watched.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private readonly IPlaywright _playwright;
        private readonly IBrowser _browser;
        private readonly IBrowserContext _context;
        private readonly List<string> _problems = [];
        private readonly List<string> _log = [];
        private readonly ITestOutputHelper _output;
        private readonly string _name;

        private Session(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page, ITestOutputHelper output, string name)
        {
            _name = name;
            _playwright = playwright;
            _browser = browser;
            _context = context;
            Page = page;
            _output = output;
        }

        public IPage Page { get; }

        public static async Task<Session> OpenAsync(EmotionService service, ITestOutputHelper output, string name, params string[] chromiumArgs)
        {
            string executable = Environment.GetEnvironmentVariable("SERMLNET_CHROMIUM") is { Length: > 0 } env ? env : BrowserFixture.DefaultChromium;
            Assert.True(File.Exists(executable), $"Chromium is missing at {executable}: install Debian's chromium (./setup.sh does) or set SERMLNET_CHROMIUM");
            IPlaywright playwright = await Playwright.CreateAsync();
            IBrowser browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = executable,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", .. chromiumArgs],
                Timeout = 60_000,
            });
            string origin = service.BaseAddress.GetLeftPart(UriPartial.Authority);
            IBrowserContext context = await browser.NewContextAsync(new()
            {
                ViewportSize = new() { Width = 1280, Height = 900 },
                DeviceScaleFactor = 1,
                Permissions = ["microphone"],
            });
            IPage page = await context.NewPageAsync();
            var session = new Session(playwright, browser, context, page, output, name);
            // Only the service may be asked for anything; a request elsewhere is aborted before it is sent, and fails the test.
            await context.RouteAsync("**/*", async route =>
            {
                string url = route.Request.Url;
                if (url.StartsWith(origin + "/", StringComparison.Ordinal) || url.StartsWith("blob:" + origin + "/", StringComparison.Ordinal))
                {
                    await route.ContinueAsync();
                    return;
                }
                session.Problem($"request outside the service (blocked): {url}");
                await route.AbortAsync("blockedbyclient");
            });
            page.Console += (_, message) =>
            {
                session.Log($"console.{message.Type}: {message.Text}");
                if (message.Type is "error" or "warning")
                {
                    session.Problem($"console {message.Type}: {message.Text}");
                }
            };
            page.PageError += (_, error) => session.Problem($"uncaught script error: {error}");
            page.Request += (_, request) => session.Log($"{request.Method} {request.Url}");
            await page.GotoAsync(origin + "/", new() { WaitUntil = WaitUntilState.Load, Timeout = 30_000 });
            await page.WaitForFunctionAsync("() => document.body.dataset.ready === 'true'", null, new() { Timeout = 30_000 });
            return session;
        }

        public async Task ScreenshotAsync(string name)
        {
            Directory.CreateDirectory(Screenshots);
            string path = Path.Combine(Screenshots, name);
            await Page.ScreenshotAsync(new() { Path = path, FullPage = true, Timeout = 30_000 });
            _output.WriteLine($"screenshot: {path}");
        }

        public void AssertClean()
        {
            lock (_log)
            {
                Assert.True(_problems.Count == 0, string.Join("\n", _problems));
            }
        }

        public async ValueTask DisposeAsync()
        {
            lock (_log)
            {
                Directory.CreateDirectory(Screenshots);
                File.WriteAllLines(Path.Combine(Screenshots, $"{_name}.log.txt"), _log);
                _output.WriteLine(string.Join("\n", _log.TakeLast(40)));
            }
            await _context.CloseAsync();
            await _browser.CloseAsync();
            _playwright.Dispose();
        }

        private void Problem(string text)
        {
            lock (_log)
            {
                _problems.Add(text);
                _log.Add("PROBLEM " + text);
            }
        }

        private void Log(string text)
        {
            lock (_log)
            {
                _log.Add(text);
            }
        }
    }
}
