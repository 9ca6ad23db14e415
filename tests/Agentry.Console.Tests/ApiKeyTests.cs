using Agentry.Console.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Agentry.Console.Tests;

public sealed class ApiKeyTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task ApiKeys_CreateThenRevoke_ShowsTheSecretOnceAndRemovesTheKey()
    {
        await OpenSignedInAsync("/api-keys");
        await Page.GetByLabel("Name").FillAsync("CI pipeline");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();

        await Expect(Page.GetByTestId("new-key")).ToContainTextAsync("agentry_");
        var row = Page.Locator("tr", new() { HasText = "CI pipeline" });
        await Expect(row).ToContainTextAsync("runs:read");

        Page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await FinishAsync();
    }
}
