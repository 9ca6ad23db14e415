using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Agentry.Console.Tests.Infrastructure;

/// <summary>
/// A test that drives the console in a fresh browser context. It records console errors, page errors, failed requests
/// and error answers; <see cref="FinishAsync"/> saves a screenshot (a file under TestResults/screenshots and a test
/// attachment) and fails the test on any problem the test did not expect.
/// </summary>
public abstract partial class ConsoleTest(ConsoleFixture fixture) : IAsyncLifetime
{
    private readonly List<string> _problems = [];
    private readonly List<(int Status, string PathPart)> _expectedErrors = [];
    private readonly List<string> _expectedFailures = ["net::ERR_ABORTED"];
    private IBrowserContext? _context;
    private bool _finished;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected ConsoleServer Server => fixture.Server;

    protected IPage Page { get; private set; } = null!;

    /// <summary>Where screenshots go.</summary>
    protected static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public virtual async ValueTask InitializeAsync()
    {
        Assert.SkipWhen(fixture.BrowserUnavailable is not null, fixture.BrowserUnavailable ?? string.Empty);
        _context = await fixture.Browser.NewContextAsync(ContextOptions());
        await _context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = Server.Address.ToString().TrimEnd('/') });
        Page = await _context.NewPageAsync();
        Page.SetDefaultTimeout(20_000);
        Assertions.SetDefaultExpectTimeout(20_000);
        Page.Console += (_, message) =>
        {
            if (message.Type == "error" && !IsExpectedConsoleError(message.Text))
            {
                Record($"console error: {message.Text}");
            }
        };
        Page.PageError += (_, error) => Record($"page error: {error}");
        Page.RequestFailed += (_, request) =>
        {
            // The console aborts its own requests when a page unmounts (open event streams, superseded loads).
            if (!_expectedFailures.Contains(request.Failure ?? string.Empty))
            {
                Record($"request failed: {request.Method} {request.Url}: {request.Failure}");
            }
        };
        Page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !_expectedErrors.Any(e => e.Status == response.Status && response.Url.Contains(e.PathPart, StringComparison.Ordinal)))
            {
                Record($"error answer: {response.Status} {response.Request.Method} {response.Url}");
            }
        };
    }

    /// <summary>Browser context options; a test can change the viewport.</summary>
    protected virtual BrowserNewContextOptions ContextOptions() => new()
    {
        BaseURL = Server.Address.ToString(),
        ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
    };

    /// <summary>Allows an error answer the test provokes on purpose (and the console error Chromium logs for it).</summary>
    protected void ExpectErrorAnswer(int status, string pathPart) => _expectedErrors.Add((status, pathPart));

    /// <summary>Allows requests to fail with this network error (a test that cuts the connection on purpose).</summary>
    protected void ExpectRequestFailure(string errorText) => _expectedFailures.Add(errorText);

    /// <summary>Opens a console page signed in with the admin key, through the link the server prints.</summary>
    protected async Task OpenSignedInAsync(string path)
    {
        await Page.GotoAsync($"{path}#key={ConsoleServer.AdminKey}");
        await Assertions.Expect(Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToBeVisibleAsync();
    }

    /// <summary>Saves the screenshot and fails on unexpected problems. Call last in every test.</summary>
    protected async Task FinishAsync()
    {
        _finished = true;
        await SaveScreenshotAsync();
        lock (_problems)
        {
            _problems.ShouldBeEmpty();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_finished && _context is not null)
        {
            // The test failed before the end: keep a picture of where it stood.
            await SaveScreenshotAsync();
        }

        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Saves a screenshot of a step on the way (the final one is taken by <see cref="FinishAsync"/>).</summary>
    protected Task ScreenshotAsync(string step) => SaveScreenshotAsync("-" + step);

    private async Task SaveScreenshotAsync(string suffix = "")
    {
        var name = UnsafeFileCharacters().Replace((TestContext.Current.Test?.TestDisplayName ?? "screenshot") + suffix, "_");
        if (name.Length > 140)
        {
            name = name[^140..];
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        try
        {
            var bytes = await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            TestContext.Current.AddAttachment(name + ".png", bytes, "image/png");
        }
        catch (PlaywrightException)
        {
            // The page is gone (the browser crashed); the test's own failure says why.
        }
    }

    private bool IsExpectedConsoleError(string text) =>
        _expectedErrors.Any(e => text.Contains($"status of {e.Status}", StringComparison.Ordinal));

    private void Record(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }

    [GeneratedRegex("[^A-Za-z0-9_.-]+")]
    private static partial Regex UnsafeFileCharacters();
}
