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
    public async Task RunDetail_ConnectionDroppedMidRun_ResumesWithoutLosingOrRepeatingEvents()
    {
        var agentId = await Server.CreateAgentAsync(ConsoleServer.Agent("Resume agent", ConsoleServer.TopicSchema(), "local/offline-slow"), Ct);
        var runId = await Server.StartRunAsync(agentId, new JsonObject { ["topic"] = "wave power" }, Ct);
        var streamUrl = $"**/v1/runs/{runId}/events/stream";
        var resumedFrom = new List<string?>();
        long cutAt = 0;
        // The first connection carries the run's first changes (up to a position) and then drops without `end`, as a
        // network would; later connections go to the real server.
        await Page.RouteAsync(streamUrl, async route =>
        {
            bool first;
            lock (resumedFrom)
            {
                resumedFrom.Add(route.Request.Headers.TryGetValue("last-event-id", out var cursor) ? cursor : null);
                first = resumedFrom.Count == 1;
            }

            if (!first)
            {
                await route.ContinueAsync();
                return;
            }

            var events = (await Server.ListEventsAsync(runId, Ct)).Select(e => e!.AsObject()).OrderBy(e => e["position"]!.GetValue<long>()).ToList();
            cutAt = events[Math.Min(2, events.Count - 1)]["position"]!.GetValue<long>();
            var body = new System.Text.StringBuilder();
            foreach (var e in events.Where(e => e["position"]!.GetValue<long>() <= cutAt))
            {
                body.Append(System.Globalization.CultureInfo.InvariantCulture, $"id: {e["position"]}\nevent: {e["type"]}\ndata: {e.ToJsonString()}\n\n");
            }

            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/event-stream", Body = body.ToString() });
        });

        await OpenSignedInAsync($"/runs/{runId}");

        await Expect(Page.Locator(".page-header [data-status]")).ToHaveAttributeAsync("data-status", "done");
        await Server.WaitForRunAsync(runId, Ct);
        var events = await Server.ListEventsAsync(runId, Ct);
        // Every event exactly once: the tab counts the events held, one per seq, and the last one is the end.
        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = $"Timeline ({events.Count})" })).ToBeVisibleAsync();
        await Expect(Page.Locator(".event[data-type='status']").Last).ToContainTextAsync("running → done");
        lock (resumedFrom)
        {
            // The first connection replayed from the start; the reconnect asked only for what came after the cut.
            resumedFrom.Count.ShouldBeGreaterThanOrEqualTo(2);
            resumedFrom[0].ShouldBeNull();
            resumedFrom[1].ShouldBe(cutAt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await FinishAsync();
    }

    [Fact]
    public async Task RunDetail_TenThousandEvents_AreAllHeldButOnlyTheVisibleOnesRendered()
    {
        var agentId = await Server.CreateAgentAsync(ConsoleServer.Agent("Busy agent", ConsoleServer.TopicSchema()), Ct);
        var runId = await Server.StartRunAsync(agentId, new JsonObject { ["topic"] = "everything" }, Ct);
        await Server.WaitForRunAsync(runId, Ct);
        // The run is real; its event stream is replaced by ten thousand steps, as a long run would have.
        const int count = 10_000;
        var start = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var body = new System.Text.StringBuilder();
        for (var seq = 1; seq <= count; seq++)
        {
            var at = start.AddMilliseconds(seq * 10).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            var done = start.AddMilliseconds((seq * 10) + 5).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            var (type, data) = (seq % 3) switch
            {
                0 => ("tool_call", new JsonObject { ["id"] = $"call_{seq}", ["name"] = "searchWeb", ["input"] = new JsonObject { ["query"] = $"query {seq}" }, ["output"] = new JsonObject { ["hits"] = seq } }),
                1 => ("narration", new JsonObject { ["content"] = $"Step {seq} of the work." }),
                _ => ("model_call", new JsonObject { ["model"] = "local/offline", ["inputTokens"] = 10, ["outputTokens"] = 5, ["costUsd"] = 0, ["durationMs"] = 5 }),
            };
            var e = new JsonObject
            {
                ["id"] = $"{runId}:{seq}", ["runId"] = runId, ["seq"] = seq, ["position"] = seq, ["type"] = type, ["data"] = data,
                ["startedAt"] = at, ["finishedAt"] = done, ["timestamp"] = at,
            };
            body.Append(System.Globalization.CultureInfo.InvariantCulture, $"id: {seq}\nevent: {type}\ndata: {e.ToJsonString()}\n\n");
        }

        body.Append("event: end\ndata: {}\n\n");
        await Page.RouteAsync($"**/v1/runs/{runId}/events/stream", route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/event-stream", Body = body.ToString() }));

        await OpenSignedInAsync($"/runs/{runId}?tab=timeline");

        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = $"Timeline ({count})" })).ToBeVisibleAsync();
        (await Page.Locator(".event").CountAsync()).ShouldBeLessThan(100);
        await Page.GetByTestId("timeline").EvaluateAsync("element => { element.scrollTop = element.scrollHeight; }");
        var last = Page.Locator($".event[data-seq='{count}']");
        await Expect(last).ToBeVisibleAsync();
        var toolCall = Page.Locator($".event[data-seq='{count - 1}']");
        await toolCall.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(toolCall.Locator(".event-detail")).ToContainTextAsync("query 9999");
        (await Page.Locator(".event").CountAsync()).ShouldBeLessThan(100);
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
    public async Task RunDetail_RerunOnTheLatestRevision_StartsARunOfTheAgentsNewestConfiguration()
    {
        var agentId = await Server.CreateAgentAsync(ConsoleServer.Agent("Revised agent", ConsoleServer.TopicSchema()), Ct);
        var firstId = await Server.StartRunAsync(agentId, new JsonObject { ["topic"] = "tides" }, Ct);
        var first = await Server.WaitForRunAsync(firstId, Ct);
        using (var patch = await Server.Api.PatchAsync(new Uri($"/v1/agents/{agentId}", UriKind.Relative), System.Net.Http.Json.JsonContent.Create(new JsonObject { ["goalPrompt"] = "Summarise {{topic}} in one paragraph." }), Ct))
        {
            patch.EnsureSuccessStatusCode();
        }

        var agent = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonObject>(Server.Api, $"/v1/agents/{agentId}", Ct);
        var latest = agent!["latestRevisionId"]!.GetValue<string>();
        latest.ShouldNotBe(first["revisionId"]!.GetValue<string>());

        await OpenSignedInAsync($"/runs/{firstId}");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Rerun on latest revision" }).ClickAsync();

        await Expect(Page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/runs/{firstId}$"));
        await Expect(Page.Locator(".page-header .subtitle")).ToContainTextAsync(latest);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Rerun on latest revision" })).ToHaveCountAsync(0);
        await FinishAsync();
    }

    [Fact]
    public async Task Runs_MoreThanOnePage_LoadsTheNextPageByCursor()
    {
        var agentId = await Server.CreateAgentAsync(ConsoleServer.Agent("Paged agent", ConsoleServer.TopicSchema()), Ct);
        var ids = new List<string>();
        for (var i = 0; i < 52; i++)
        {
            ids.Add(await Server.StartRunAsync(agentId, new JsonObject { ["topic"] = $"topic {i}" }, Ct));
        }

        await OpenSignedInAsync($"/runs?agentId={agentId}");
        var rows = Page.Locator("tbody tr[data-run-id]");
        await Expect(rows).ToHaveCountAsync(50);
        await Expect(Page.Locator($"tr[data-run-id='{ids[^1]}']")).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Load more" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(52);
        await Expect(Page.Locator($"tr[data-run-id='{ids[0]}']")).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Load more" })).ToHaveCountAsync(0);
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
