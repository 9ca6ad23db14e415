using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Agentry.Console.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Agentry.Console.Tests;

public sealed class MonitoringTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task Monitoring_AnAgentWithADoneAndAFailedRun_ShowsTotalsChartsErrorsAndRevisions()
    {
        var agentId = await Server.CreateAgentAsync(ConsoleServer.Agent("Monitored agent", ConsoleServer.TopicSchema()), Ct);
        await Server.WaitForRunAsync(await Server.StartRunAsync(agentId, new JsonObject { ["topic"] = "lithium" }, Ct), Ct);
        // A second revision needs web search, which the test server does not provide: its run fails with tool_unavailable.
        var tools = new JsonObject { ["tools"] = new JsonArray(new JsonObject { ["source"] = "builtin", ["type"] = "searchWeb" }) };
        using (var patch = await Server.Api.PatchAsync(new Uri($"/v1/agents/{agentId}", UriKind.Relative), JsonContent.Create(tools), Ct))
        {
            patch.EnsureSuccessStatusCode();
        }

        var failed = await Server.WaitForRunAsync(await Server.StartRunAsync(agentId, new JsonObject { ["topic"] = "cobalt" }, Ct), Ct);
        failed["status"]!.GetValue<string>().ShouldBe("error");

        await OpenSignedInAsync($"/monitoring?agentId={agentId}");

        var totals = Page.GetByTestId("monitoring-totals");
        await Expect(totals.Locator(".stat", new() { HasText = "Runs" }).Locator(".stat-value")).ToHaveTextAsync("2");
        await Expect(totals.Locator(".stat", new() { HasText = "Success rate" }).Locator(".stat-value")).ToHaveTextAsync("50.0%");
        await Expect(Page.Locator("figure[data-chart='Runs'] svg rect").First).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("error-codes")).ToContainTextAsync("tool_unavailable");
        await Expect(Page.GetByTestId("revision-figures").Locator("tbody tr")).ToHaveCountAsync(2);

        await Page.GetByTestId("error-codes").GetByRole(AriaRole.Link, new() { Name = "tool_unavailable" }).ClickAsync();
        await Expect(Page.Locator($"tr[data-run-id='{failed["id"]}']")).ToBeVisibleAsync();
        await FinishAsync();
    }
}
