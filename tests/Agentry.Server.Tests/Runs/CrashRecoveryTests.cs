using System.Net;
using System.Text.Json;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests.Runs;

/// <summary>What happens to runs when the server dies or stops: every run ends, and no stored event is lost or broken.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private static readonly Dictionary<string, string> FastLeases = new()
    {
        ["Agentry__Workers__LeaseDuration"] = "00:00:02",
        ["Agentry__Workers__HeartbeatInterval"] = "00:00:00.500",
        ["Agentry__Workers__WatchdogInterval"] = "00:00:00.500",
        ["Agentry__Workers__Concurrency"] = "8",
    };

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "agentry-crash-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task KillNine_WhileRunsRun_EveryRunEndsAfterRestartAndEveryEventIsIntact()
    {
        List<string> runIds;
        int port;
        await using (var server = await ServerProcess.StartAsync(_dataDir, FastLeases))
        {
            port = server.Address.Port;
            using var client = server.CreateAdminClient();
            var agentId = await client.CreateAgentAsync(RunApi.SlowAgent("Crash"));
            var batch = await client.PostJsonAsync($"/v1/agents/{agentId}/runs/batch", new { inputs = Enumerable.Range(0, 20).Select(i => new { topic = $"crash {i}" }) }, HttpStatusCode.Created);
            runIds = [.. batch.GetProperty("items").EnumerateArray().Select(r => r.Id())];
            await WaitForRunningAsync(client, agentId, atLeast: 4);

            await server.KillAsync();
        }

        await using var restarted = await ServerProcess.StartAsync(_dataDir, FastLeases, port);
        using var after = restarted.CreateAdminClient();
        var runs = new List<JsonElement>();
        foreach (var runId in runIds)
        {
            runs.Add(await after.WaitForEndAsync(runId));
        }

        runs.ShouldContain(r => r.ErrorCode() == "worker_lost", "the runs that were running when the process died are taken over");
        runs.ShouldAllBe(r => r.Status() == "done" || r.ErrorCode() == "worker_lost");
        foreach (var run in runs)
        {
            var events = await after.GetEventsAsync(run.Id());
            ShouldBeIntact(run, events);
        }
    }

    [Fact]
    public async Task GracefulStop_WithRunsInFlight_GivesTheirLeasesBackAndARestartFinishesThem()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Agentry:Workers:ShutdownGracePeriod"] = "00:00:00.200",
            ["Agentry:Workers:Concurrency"] = "4",
        };
        string runId;
        await using (var first = AgentryServerFactory.Create(settings, _dataDir))
        {
            using var client = first.CreateAdminClient();
            var agentId = await client.CreateAgentAsync(RunApi.SlowAgent("Stop"));
            runId = (await client.StartRunAsync(agentId, new { topic = "interrupted" })).Id();
            await client.WaitForRunningAsync(runId);
        }

        await using var second = AgentryServerFactory.Create(settings, _dataDir);
        using var again = second.CreateAdminClient();
        var run = await again.WaitForEndAsync(runId);

        run.Status().ShouldBe("done");
        run.GetProperty("attempt").GetInt32().ShouldBe(2);
        var events = await again.GetEventsAsync(runId);
        events.ShouldContain(e => e.GetProperty("type").GetString() == "status"
            && e.GetProperty("data").GetProperty("status").GetString() == "pending"
            && e.GetProperty("data").GetProperty("previous").GetString() == "running");
        ShouldBeIntact(run, events);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Nothing was written, or only a temporary directory is left behind.
        }
    }

    /// <summary>Seqs 1..n, unique increasing positions, nothing open, and the last event is the terminal status.</summary>
    private static void ShouldBeIntact(JsonElement run, List<JsonElement> events)
    {
        events.Select(e => e.GetProperty("seq").GetInt32()).ShouldBe(Enumerable.Range(1, events.Count), $"run {run.Id()}");
        var positions = events.Select(e => e.GetProperty("position").GetInt64()).ToList();
        positions.Distinct().Count().ShouldBe(positions.Count);
        var last = events[^1];
        last.GetProperty("type").GetString().ShouldBe("status");
        last.GetProperty("data").GetProperty("status").GetString().ShouldBe(run.Status());
        if (run.Status() == "error")
        {
            run.GetProperty("error").GetProperty("eventSeq").GetInt32().ShouldBeLessThanOrEqualTo(events.Count);
        }
    }

    private static async Task WaitForRunningAsync(HttpClient client, string agentId, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var page = await client.GetFromJsonElementAsync($"/v1/runs?agentId={agentId}&status=running");
            if (page.GetProperty("total").GetInt64() >= atLeast)
            {
                return;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline);
            await Task.Delay(50);
        }
    }
}
