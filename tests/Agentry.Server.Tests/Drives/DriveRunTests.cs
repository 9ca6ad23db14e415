using System.Net;
using System.Text.RegularExpressions;
using Agentry.Server.Tests.Infrastructure;
using Agentry.Server.Tests.Runs;

namespace Agentry.Server.Tests.Drives;

/// <summary>Agents with drives, run on the offline model: they search and read the files and cite them.</summary>
public sealed partial class DriveRunTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private readonly HttpClient _client = server.CreateAdminClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_AgentWithDrive_EndsDoneWithAReportCitingTheFilesItRead()
    {
        var (agentId, driveId) = await CreateAgentWithHoneybeeDriveAsync();

        var run = await _client.WaitForEndAsync((await _client.StartRunAsync(agentId, new { topic = "honeybee colonies" })).Id());

        run.Status().ShouldBe("done", run.ToString());
        var report = run.GetProperty("resultData").GetProperty("result").GetString()!;
        var sources = run.GetProperty("sources").EnumerateArray().ToList();
        sources.Count.ShouldBe(2, run.ToString());
        sources.ShouldAllBe(s => s.GetProperty("url").GetString()!.StartsWith($"drive://{driveId}/", StringComparison.Ordinal));
        sources.Select(s => s.GetProperty("url").GetString()).ShouldNotContain($"drive://{driveId}/unrelated.txt");
        var cited = Citation().Matches(report).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        cited.ShouldBe(Enumerable.Range(1, sources.Count).ToHashSet(), ignoreOrder: true);
        report.ShouldStartWith("# honeybee colonies\n");
        report.ShouldContain("A honeybee colony has one queen");
        foreach (var (source, number) in sources.Select((s, i) => (s, i + 1)))
        {
            report.ShouldContain($"{number}. [{source.GetProperty("title").GetString()}]({source.GetProperty("url").GetString()})");
        }

        run.GetProperty("resultData").GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString())
            .ShouldBe(sources.Select(s => s.GetProperty("url").GetString()));
        var events = await _client.GetEventsAsync(run.Id());
        events.Where(e => e.GetProperty("type").GetString() == "source").Select(e => e.GetProperty("data").GetProperty("url").GetString())
            .ShouldBe(sources.Select(s => s.GetProperty("url").GetString()));
        var tools = events.Where(e => e.GetProperty("type").GetString() == "tool_call").Select(e => e.GetProperty("data")).ToList();
        tools.Select(t => t.GetProperty("name").GetString()).ShouldBe(["searchDrives", "readDriveFile", "readDriveFile"]);
        tools.Where(t => t.TryGetProperty("error", out var error)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Run_SameInputTwice_GivesTheSameResult()
    {
        var (agentId, _) = await CreateAgentWithHoneybeeDriveAsync();

        var first = await _client.WaitForEndAsync((await _client.StartRunAsync(agentId, new { topic = "honeybee queen" })).Id());
        var second = await _client.WaitForEndAsync((await _client.StartRunAsync(agentId, new { topic = "honeybee queen" })).Id());

        first.Status().ShouldBe("done");
        second.GetProperty("resultData").GetRawText().ShouldBe(first.GetProperty("resultData").GetRawText());
        second.GetProperty("sources").GetRawText().ShouldBe(first.GetProperty("sources").GetRawText());
    }

    [Fact]
    public async Task Run_NothingInTheDrivesMatches_EndsDoneWithoutSources()
    {
        var (agentId, _) = await CreateAgentWithHoneybeeDriveAsync();

        var run = await _client.WaitForEndAsync((await _client.StartRunAsync(agentId, new { topic = "xylophone tuning" })).Id());

        run.Status().ShouldBe("done", run.ToString());
        run.GetProperty("sources").GetArrayLength().ShouldBe(0);
        run.GetProperty("resultData").GetProperty("result").GetString()!.ShouldNotContain("[1]");
    }

    [Fact]
    public async Task Run_DriveDeletedAfterTheAgentWasSaved_SearchesNothingAndEndsDone()
    {
        var (agentId, driveId) = await CreateAgentWithHoneybeeDriveAsync();
        (await _client.DeleteAsync($"/v1/drives/{driveId}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var run = await _client.WaitForEndAsync((await _client.StartRunAsync(agentId, new { topic = "honeybee colonies" })).Id());

        run.Status().ShouldBe("done", run.ToString());
        run.GetProperty("sources").GetArrayLength().ShouldBe(0);
    }

    private async Task<(string AgentId, string DriveId)> CreateAgentWithHoneybeeDriveAsync()
    {
        var driveId = await _client.CreateDriveAsync("Bees");
        await _client.AddReadyFileAsync(driveId, "/colony.md", """
            # Honeybee colonies

            A honeybee colony has one queen, thousands of female workers and, in summer, a few hundred male drones.
            The workers build the comb, raise the brood and forage for nectar and pollen.

            ## Swarming

            In spring a crowded colony raises a new queen, and the old queen leaves with about half of the workers.
            """);
        await _client.AddReadyFileAsync(driveId, "/queen.txt", "The honeybee queen lays up to two thousand eggs a day in early summer. She is fed royal jelly by the workers throughout her life.");
        await _client.AddReadyFileAsync(driveId, "/unrelated.txt", "Granite is an igneous rock made mostly of quartz and feldspar, formed from slowly cooling magma.");
        var agent = RunApi.Research("Bee researcher");
        agent["drives"] = new object[] { new { driveId } };
        return (await _client.CreateAgentAsync(agent), driveId);
    }

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex Citation();
}
