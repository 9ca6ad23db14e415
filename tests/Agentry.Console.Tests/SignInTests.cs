using Agentry.Console.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Agentry.Console.Tests;

public sealed class SignInTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task SignIn_ThroughTheLinkTheServerPrints_ShowsAgentsAndDropsTheKeyFromTheAddress()
    {
        await OpenSignedInAsync("/");

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Agents" })).ToBeVisibleAsync();
        // The sample agents seeded on first start.
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Research brief" })).ToBeVisibleAsync();
        Page.Url.ShouldNotContain("key=");
        await FinishAsync();
    }

    [Fact]
    public async Task SignIn_WithAWrongKeyThenTheRightOne_ShowsTheErrorThenSignsIn()
    {
        ExpectErrorAnswer(401, "/v1/runs");
        await Page.GotoAsync("/runs");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();

        await Page.GetByLabel("API key").FillAsync("agentry_not_a_real_key_000000000");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not know this API key");

        await Page.GetByLabel("API key").FillAsync(ConsoleServer.AdminKey);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Runs" })).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await FinishAsync();
    }
}
