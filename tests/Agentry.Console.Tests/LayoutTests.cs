using Agentry.Console.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Agentry.Console.Tests;

public sealed class LayoutTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task Layout_DarkThemeAndKeyboardShortcuts_SwitchThemeAndNavigate()
    {
        await OpenSignedInAsync("/agents");
        await Page.GetByLabel("Theme").SelectOptionAsync("dark");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await ScreenshotAsync("dark");

        await Page.Locator("main").ClickAsync(new() { Position = new Position { X = 5, Y = 5 } });
        await Page.Keyboard.PressAsync("g");
        await Page.Keyboard.PressAsync("r");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Runs" })).ToBeVisibleAsync();
        Page.Url.ShouldEndWith("/runs");

        // Tabs follow the arrow keys.
        await Page.Keyboard.PressAsync("g");
        await Page.Keyboard.PressAsync("a");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Research brief" }).ClickAsync();
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Run" }).FocusAsync();
        await Page.Keyboard.PressAsync("ArrowRight");
        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = "Configuration" })).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = "Configuration" })).ToBeFocusedAsync();
        await Expect(Page.GetByText("Goal prompt")).ToBeVisibleAsync();
        await FinishAsync();
    }
}

public sealed class PhoneLayoutTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    protected override BrowserNewContextOptions ContextOptions()
    {
        var options = base.ContextOptions();
        options.ViewportSize = new ViewportSize { Width = 390, Height = 844 };
        options.IsMobile = true;
        options.HasTouch = true;
        return options;
    }

    [Fact]
    public async Task Layout_OnAPhone_HidesTheNavigationBehindAMenu()
    {
        await Page.GotoAsync($"/agents#key={ConsoleServer.AdminKey}");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Agents" })).ToBeVisibleAsync();
        var nav = Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(nav).ToBeHiddenAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await Expect(nav).ToBeVisibleAsync();
        await nav.GetByRole(AriaRole.Link, new() { Name = "Runs" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Runs" })).ToBeVisibleAsync();
        await FinishAsync();
    }
}
