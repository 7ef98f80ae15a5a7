using Microsoft.Playwright;

namespace SerMlNet.Browser.Tests;

/// <summary>
/// One headless Chromium for the whole project, driven by Playwright's .NET client. The browser is Debian's
/// <c>chromium</c> (setup.sh installs it), launched by path: Playwright's own browser builds are never downloaded or
/// looked for. The Node driver Playwright talks to ships inside the NuGet package (copied to <c>.playwright/</c> in the
/// output folder), so nothing here needs the network.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Where Debian's package puts the browser; <c>SERMLNET_CHROMIUM</c> overrides it.</summary>
    public const string DefaultChromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The launched browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser is not launched");

    /// <summary>The executable that was launched.</summary>
    public string Executable { get; private set; } = DefaultChromium;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Executable = Environment.GetEnvironmentVariable("SERMLNET_CHROMIUM") is { Length: > 0 } env ? env : DefaultChromium;
        if (!File.Exists(Executable))
        {
            throw new FileNotFoundException(
                $"The browser checks need Chromium but '{Executable}' does not exist. Install Debian's package with " +
                "`sudo apt-get install chromium` (./setup.sh does this) or set SERMLNET_CHROMIUM to a Chromium executable. " +
                "Playwright's own browser download is not used.", Executable);
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Executable,
            Headless = true,
            // Debian's chromium as root (containers, CI) refuses to start sandboxed; the pages are local files.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update"],
            Timeout = 60_000,
        });
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
    }
}

/// <summary>The test classes that share <see cref="BrowserFixture"/>; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "browser";
}
