using System.Text.Json.Nodes;
using Agentry.Console.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Agentry.Console.Tests;

public sealed class RunDetailTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task RunDetail_SlowRunCancelled_ShowsEventsArriveLiveThenEndsCancelled()
    {
        var agentId = await Server.CreateAgentAsync(ConsoleServer.Agent("Slow agent", ConsoleServer.TopicSchema(), "local/offline-slow"), Ct);
        var runId = await Server.StartRunAsync(agentId, new JsonObject { ["topic"] = "geothermal" }, Ct);
        await OpenSignedInAsync($"/runs/{runId}");

        await Expect(Page.Locator(".page-header [data-status]")).ToHaveAttributeAsync("data-status", "running");
        // Events arrive while the run goes on: the offline-slow stack pauses before each model call.
        await Expect(Page.Locator(".event[data-type='model_call']").First).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true }).ClickAsync();

        await Expect(Page.Locator(".page-header [data-status]")).ToHaveTextAsync("error · cancelled");
        await Expect(Page.GetByTestId("run-error")).ToContainTextAsync("cancelled");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true })).ToHaveCountAsync(0);
        var run = await Server.WaitForRunAsync(runId, Ct);
        run["error"]!["code"]!.GetValue<string>().ShouldBe("cancelled");
        var events = await Server.ListEventsAsync(runId, Ct);
        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = $"Timeline ({events.Count})" })).ToBeVisibleAsync();
        await FinishAsync();
    }

    [Fact]
    public async Task RunDetail_FailedRun_HighlightsTheFailingStep()
    {
        // No search provider is configured on the test server, so an agent that needs searchWeb fails with tool_unavailable.
        var tools = new JsonArray(new JsonObject { ["source"] = "builtin", ["type"] = "searchWeb" });
        var agentId = await Server.CreateAgentAsync(ConsoleServer.Agent("Failing agent", ConsoleServer.TopicSchema(), tools: tools), Ct);
        var runId = await Server.StartRunAsync(agentId, new JsonObject { ["topic"] = "wind" }, Ct);
        var run = await Server.WaitForRunAsync(runId, Ct);
        var failingSeq = run["error"]!["eventSeq"]!.GetValue<int>();

        await OpenSignedInAsync($"/runs/{runId}");

        await Expect(Page.GetByTestId("run-error")).ToContainTextAsync("tool_unavailable");
        var failing = Page.Locator(".event.failing");
        await Expect(failing).ToHaveCountAsync(1);
        await Expect(failing).ToHaveAttributeAsync("data-seq", failingSeq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(failing).ToBeInViewportAsync();
        await FinishAsync();
    }

    [Fact]
    public async Task RunDetail_RerunCopyAsCurlAndCompare_MakesANewRunAndShowsBothSideBySide()
    {
        var agentId = await Server.CreateAgentAsync(ConsoleServer.Agent("Rerun agent", ConsoleServer.TopicSchema()), Ct);
        var firstId = await Server.StartRunAsync(agentId, new JsonObject { ["topic"] = "hydrogen" }, Ct);
        await Server.WaitForRunAsync(firstId, Ct);
        await OpenSignedInAsync($"/runs/{firstId}");
        await Expect(Page.Locator(".markdown h1")).ToContainTextAsync("hydrogen");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Copy as curl" }).ClickAsync();
        var curl = await Page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        curl.ShouldContain($"/v1/agents/{agentId}/runs");
        curl.ShouldContain("""{"topic":"hydrogen"}""");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Rerun", Exact = true }).ClickAsync();
        await Expect(Page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/runs/{firstId}$"));
        var secondId = Page.Url.Split('/')[^1].Split('?')[0];
        await Expect(Page.Locator(".page-header [data-status]")).ToHaveAttributeAsync("data-status", "done");

        await Page.GotoAsync($"/runs?agentId={agentId}");
        await Page.GetByLabel($"Select {firstId}").CheckAsync();
        await Page.GetByLabel($"Select {secondId}").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Compare selected" }).ClickAsync();

        var table = Page.GetByTestId("compare");
        await Expect(table.GetByRole(AriaRole.Link, new() { Name = firstId })).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Link, new() { Name = secondId })).ToBeVisibleAsync();
        await Expect(table.Locator("tr[data-event-type='model_call'] td").First).Not.ToHaveTextAsync("0");
        await Expect(Page.Locator(".compare-results .markdown h1")).ToHaveCountAsync(2);
        await FinishAsync();
    }

    [Fact]
    public async Task Runs_ListFilteredByTheAddress_ShowsANewRunAndItsStatusChangesLive()
    {
        var agentId = await Server.CreateAgentAsync(ConsoleServer.Agent("Live list agent", ConsoleServer.TopicSchema(), "local/offline-slow"), Ct);
        await OpenSignedInAsync($"/runs?agentId={agentId}");
        await Expect(Page.GetByText("No runs match these filters.")).ToBeVisibleAsync();
        await Expect(Page.Locator(".live-live")).ToBeVisibleAsync();

        var runId = await Server.StartRunAsync(agentId, new JsonObject { ["topic"] = "batteries" }, Ct);
        var row = Page.Locator($"tr[data-run-id='{runId}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToHaveAttributeAsync("data-status", "done");
        await Expect(Page.Locator("select[name='agentId']")).ToHaveValueAsync(agentId);

        await Page.Locator("select[name='status']").SelectOptionAsync("error");
        await Page.WaitForURLAsync(url => url.Contains("status=error", StringComparison.Ordinal));
        await Expect(Page.GetByText("No runs match these filters.")).ToBeVisibleAsync();
        await FinishAsync();
    }
}
