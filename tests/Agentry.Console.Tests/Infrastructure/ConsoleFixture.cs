using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Agentry.Console.Tests.Infrastructure.ConsoleFixture))]
// One server and one browser serve every test; on two cores, tests in parallel only make each other slow.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]

namespace Agentry.Console.Tests.Infrastructure;

/// <summary>One real server and one headless Debian Chromium for the whole run (Playwright never downloads a browser here).</summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public ConsoleServer Server { get; private set; } = null!;

    /// <summary>Debian's Chromium, which test.sh installs with apt when missing.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Why browser tests cannot run here, or null when they can.</summary>
    public string? BrowserUnavailable { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Server = await ConsoleServer.StartAsync(TestContext.Current.CancellationToken);
        if (!File.Exists(ChromiumPath))
        {
            BrowserUnavailable = $"Chromium is not installed at {ChromiumPath} (test.sh installs it: apt-get install chromium).";
            return;
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
