using Agentry.Console.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Agentry.Console.Tests;

public sealed class AgentTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task Agent_CreatedWithAnInvalidSchemaThenFixedPublishedAndEdited_ShowsErrorsBadgesAndTheRevisionDiff()
    {
        ExpectErrorAnswer(422, "/v1/agents");
        await OpenSignedInAsync("/agents");
        await Page.GetByRole(AriaRole.Link, new() { Name = "New agent" }).First.ClickAsync();
        await Page.Locator("#agent-name").FillAsync("Editor test agent");
        await Page.Locator("#agent-inputSchema").FillAsync("""{"type": "objekt"}""");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create agent" }).ClickAsync();

        // The server's 422 lands under the schema field, naming where in the schema.
        var schemaError = Page.Locator("[data-error-for='inputSchema']");
        await Expect(schemaError).ToBeVisibleAsync();
        await Expect(schemaError).ToContainTextAsync("/inputSchema");
        await ScreenshotAsync("schema-error");

        await Page.Locator("#agent-inputSchema").FillAsync("""{"type": "object", "properties": {"topic": {"type": "string"}}, "required": ["topic"]}""");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create agent" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Editor test agent" })).ToBeVisibleAsync();
        await Expect(Page.Locator(".page-header .badge")).ToHaveTextAsync("Unpublished");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Publish latest" }).ClickAsync();
        await Expect(Page.Locator(".page-header .badge")).ToHaveTextAsync("Published");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Page.Locator("#agent-goalPrompt").FillAsync("Write a two-line brief on {{topic}}.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(Page.Locator(".page-header .badge")).ToHaveTextAsync("Unpublished changes");

        await Page.GetByRole(AriaRole.Tab, new() { Name = "Revisions" }).ClickAsync();
        var diff = Page.GetByTestId("revision-diff");
        await Expect(diff.Locator(".diff-changed .diff-from")).ToContainTextAsync("Research {{topic}}");
        await Expect(diff.Locator(".diff-changed .diff-to")).ToContainTextAsync("Write a two-line brief on {{topic}}.");
        await Expect(Page.Locator("tbody tr")).ToHaveCountAsync(2);
        await FinishAsync();
    }
}
