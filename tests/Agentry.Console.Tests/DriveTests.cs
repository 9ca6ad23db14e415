using System.Text;
using System.Text.Json.Nodes;
using Agentry.Console.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Agentry.Console.Tests;

public sealed class DriveTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    private const string Document = """
        # Tidal power

        Tidal power turns the energy of tides into electricity. Tidal stream generators work like underwater wind
        turbines, and tidal barrages hold water behind a dam across an estuary.

        ## Output

        The Sihwa Lake station in South Korea has a capacity of 254 MW, the largest tidal power station in the world.
        """;

    [Fact]
    public async Task Drive_UploadedFileCitedByARun_ShowsReadyThenTheCitationLeadsToItsSource()
    {
        await OpenSignedInAsync("/drives");
        await Page.GetByLabel("New drive").FillAsync("Energy notes");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create drive" }).ClickAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Energy notes" }).ClickAsync();
        var driveId = Page.Url.Split('/')[^1];

        await Page.GetByLabel("File").SetInputFilesAsync(new FilePayload { Name = "tidal.md", MimeType = "text/markdown", Buffer = Encoding.UTF8.GetBytes(Document) });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        var row = Page.Locator("tr[data-item-path='/tidal.md']");
        await Expect(row).ToHaveAttributeAsync("data-status", "ready");
        await ScreenshotAsync("drive");

        var agent = ConsoleServer.Agent("Drive reader", ConsoleServer.TopicSchema());
        agent["drives"] = new JsonArray(new JsonObject { ["driveId"] = driveId });
        var agentId = await Server.CreateAgentAsync(agent, Ct);
        var runId = await Server.StartRunAsync(agentId, new JsonObject { ["topic"] = "tidal power" }, Ct);
        var run = await Server.WaitForRunAsync(runId, Ct);
        run["sources"]!.AsArray().Count.ShouldBeGreaterThan(0);

        await Page.GotoAsync($"/runs/{runId}");
        var citation = Page.Locator(".markdown a.cite").First;
        await Expect(citation).ToBeVisibleAsync();
        await citation.ClickAsync();
        await Expect(Page.Locator("#source-1")).ToHaveClassAsync("highlight");
        await Expect(Page.Locator("#source-1")).ToContainTextAsync("idal");
        await FinishAsync();
    }
}
