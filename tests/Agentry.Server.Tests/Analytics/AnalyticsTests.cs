using System.Net;
using System.Text.Json;
using Agentry.Server.Hosting;
using Agentry.Server.Tests.Infrastructure;
using Agentry.Server.Tests.Runs;

namespace Agentry.Server.Tests.Analytics;

/// <summary>
/// Analytics through the real engine: runs with scripted durations, tool calls, tokens, failures and feedback, then
/// every figure of the answers checked against the runs as the runs API reports them.
/// </summary>
public sealed class AnalyticsTests
{
    private static readonly DateTimeOffset Day = new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AgentAnalytics_SeededRuns_EveryFigureMatchesInTotalAndPerHour()
    {
        await using var server = AnalyticsServer.Start(Day.AddHours(10));
        var client = server.Client;
        var agentId = await client.CreateAgentAsync(AnalyticsServer.Agent());

        int[] durations = [120, 480, 950, 1500, 2200, 3100, 4700, 6400, 8800, 15000];
        var first = await server.RunBatchAsync(agentId, [.. durations.Select((d, i) => (object)new
        {
            topic = $"first {i}",
            durationMs = d,
            tokens = new[] { 100 + (i * 10), 20 + i },
            calls = (i % 3) switch
            {
                0 => new object[] { new { tool = "codeInterpreter", ok = true }, new { tool = "codeInterpreter", ok = false } },
                1 => [new { tool = "ghost", ok = true }],
                _ => [],
            },
            fail = i is 4 or 8,
        })]);
        server.Clock.Set(Day.AddHours(13).AddMinutes(20));
        var second = await server.RunBatchAsync(
            agentId,
            new { topic = "second 0", durationMs = 300, tokens = new[] { 7, 3 } },
            new { topic = "second 1", durationMs = 700, tokens = new[] { 9, 1 } },
            new { topic = "second 2", durationMs = 2500, tokens = new[] { 11, 2 }, calls = new[] { new { tool = "codeInterpreter", ok = true } } },
            new { topic = "second 3", durationMs = 90_000, tokens = new[] { 13, 4 } });

        var facts = new Dictionary<string, RunFacts>(StringComparer.Ordinal);
        foreach (var run in first.Concat(second))
        {
            facts[run.Id()] = await RunFacts.ReadAsync(client, run);
        }

        await ScoreAsync(client, facts[first[0].Id()], "accuracy", 1.0);
        await ScoreAsync(client, facts[first[1].Id()], "accuracy", 0.5);
        await ScoreAsync(client, facts[first[2].Id()], "accuracy", 0.25);
        await ScoreAsync(client, facts[first[2].Id()], "accuracy", 0.75, HttpStatusCode.OK);
        await ScoreAsync(client, facts[first[0].Id()], "helpfulness", 0.5);
        await ScoreAsync(client, facts[first[4].Id()], "helpfulness", 0);
        await ScoreAsync(client, facts[second[3].Id()], "accuracy", 0);

        // One run held in its first model call (running) and one queued behind it (pending: there is one worker).
        server.Clock.Set(Day.AddHours(15).AddMinutes(5));
        var held = await client.StartRunAsync(agentId, new { topic = "held", hold = true });
        await client.WaitForRunningAsync(held.Id());
        var queued = await client.StartRunAsync(agentId, new { topic = "queued" });
        (await client.GetRunAsync(queued.Id())).Status().ShouldBe("pending");

        var report = await client.GetFromJsonElementAsync($"/v1/analytics/agents/{agentId}?from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z&bucket=hour");

        report.GetProperty("from").GetString().ShouldBe("2026-03-10T00:00:00.000Z");
        report.GetProperty("to").GetString().ShouldBe("2026-03-11T00:00:00.000Z");
        report.GetProperty("bucket").GetString().ShouldBe("hour");
        report.GetProperty("timeZone").GetString().ShouldBe("UTC");
        var all = facts.Values.ToList();
        report.GetProperty("total").ShouldMatch(all, pending: 1, running: 1);
        var series = report.GetProperty("series").EnumerateArray().ToList();
        series.Count.ShouldBe(24);
        for (var hour = 0; hour < 24; hour++)
        {
            var start = Day.AddHours(hour);
            series[hour].GetProperty("start").GetString().ShouldBe(start.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            var inHour = all.Where(r => r.CreatedAt >= start && r.CreatedAt < start.AddHours(1)).ToList();
            series[hour].ShouldMatch(inHour, pending: hour == 15 ? 1 : 0, running: hour == 15 ? 1 : 0);
        }

        all.Count(static r => r.CreatedAt.Hour == 10).ShouldBe(10, "the first batch was created in hour 10");
        all.Count(static r => r.CreatedAt.Hour == 13).ShouldBe(4, "the second batch was created in hour 13");

        // The overview covers the organization: here exactly this agent's runs.
        var overview = await client.GetFromJsonElementAsync("/v1/analytics/overview?from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z&bucket=day");
        overview.GetProperty("total").ShouldMatch(all, pending: 1, running: 1);
        overview.GetProperty("series").GetArrayLength().ShouldBe(1);

        server.Model.Held.Release();
        facts[held.Id()] = await RunFacts.ReadAsync(client, await client.WaitForEndAsync(held.Id()));
        facts[queued.Id()] = await RunFacts.ReadAsync(client, await client.WaitForEndAsync(queued.Id()));
        var finished = await client.GetFromJsonElementAsync($"/v1/analytics/agents/{agentId}?from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z");
        finished.GetProperty("total").ShouldMatch([.. facts.Values]);
    }

    [Fact]
    public async Task AnalyticsRebuild_FromTheRunsTable_AnswersExactlyAsTheLiveRollups()
    {
        await using var server = AnalyticsServer.Start(Day.AddHours(9));
        var client = server.Client;
        var agentId = await client.CreateAgentAsync(AnalyticsServer.Agent());
        var runs = await server.RunBatchAsync(
            agentId,
            new { topic = "a", durationMs = 1000, tokens = new[] { 10, 5 }, calls = new[] { new { tool = "codeInterpreter", ok = true }, new { tool = "codeInterpreter", ok = false } } },
            new { topic = "b", durationMs = 2000, tokens = new[] { 20, 5 }, fail = true },
            new { topic = "c", durationMs = 4000, tokens = new[] { 30, 5 }, model = "other-model" });
        server.Clock.Set(Day.AddHours(20));
        await server.RunBatchAsync(agentId, new { topic = "d", durationMs = 500, calls = new[] { new { tool = "ghost", ok = true } } });
        await ScoreAsync(client, null, runs[0].Id(), "accuracy", 0.5);
        await ScoreAsync(client, null, runs[0].Id(), "accuracy", 1, HttpStatusCode.OK);
        await ScoreAsync(client, null, runs[1].Id(), "accuracy", 0.25);
        string[] paths =
        [
            $"/v1/analytics/agents/{agentId}?from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z&bucket=hour",
            $"/v1/analytics/agents/{agentId}/revisions?from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z",
            "/v1/analytics/overview?from=2026-03-09T00:00:00Z&to=2026-03-12T00:00:00Z&bucket=day&tz=Asia/Kolkata",
        ];
        var live = new List<string>();
        foreach (var path in paths)
        {
            live.Add((await client.GetFromJsonElementAsync(path)).GetRawText());
        }

        var exit = await AnalyticsRebuildCommand.RunAsync(["analytics", "rebuild", $"--Agentry:DataDir={server.Factory.DataDir}"]);

        exit.ShouldBe(0);
        for (var i = 0; i < paths.Length; i++)
        {
            (await client.GetFromJsonElementAsync(paths[i])).GetRawText().ShouldBe(live[i], paths[i]);
        }

        JsonDocument.Parse(live[0]).RootElement.GetProperty("total").GetProperty("runs").GetInt64().ShouldBe(4, "the comparison is not between two empty answers");
    }

    [Fact]
    public async Task AgentAnalytics_RevisionAndModelFilters_CountOnlyMatchingRuns_AndRevisionsSitSideBySide()
    {
        await using var server = AnalyticsServer.Start(Day.AddHours(8));
        var client = server.Client;
        var agent = await client.PostJsonAsync("/v1/agents", AnalyticsServer.Agent(), HttpStatusCode.Created);
        var agentId = agent.Id();
        var firstRevision = agent.GetProperty("latestRevisionId").GetString()!;
        var onFirst = await server.RunBatchAsync(
            agentId,
            new { topic = "1a", durationMs = 100, model = "m-small", tokens = new[] { 10, 1 } },
            new { topic = "1b", durationMs = 200, model = "m-small", tokens = new[] { 10, 1 } },
            new { topic = "1c", durationMs = 300, model = "m-small", fail = true });
        using (var patch = await client.PatchAsync(
                   new Uri($"/v1/agents/{agentId}", UriKind.Relative),
                   new StringContent("""{"goalPrompt":"Study {{topic}} carefully."}""", System.Text.Encoding.UTF8, "application/json"),
                   Ct))
        {
            patch.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var secondRevision = (await client.GetFromJsonElementAsync($"/v1/agents/{agentId}")).GetProperty("latestRevisionId").GetString()!;
        secondRevision.ShouldNotBe(firstRevision);
        server.Clock.Set(Day.AddHours(9));
        var onSecond = await client.PostJsonAsync(
            $"/v1/agents/{agentId}/runs/batch",
            new
            {
                inputs = new object[]
                {
                    new { topic = "2a", durationMs = 1000, model = "m-large", tokens = new[] { 50, 9 } },
                    new { topic = "2b", durationMs = 3000, model = "m-large", tokens = new[] { 60, 9 } },
                    new { topic = "2c", durationMs = 5000, model = "m-small", tokens = new[] { 70, 9 } },
                },
                revisionId = secondRevision,
            },
            HttpStatusCode.Created);
        var second = new List<JsonElement>();
        foreach (var run in onSecond.GetProperty("items").EnumerateArray())
        {
            second.Add(await client.WaitForEndAsync(run.Id()));
        }

        var facts = new List<(RunFacts Facts, string Model)>();
        foreach (var run in onFirst.Concat(second))
        {
            facts.Add((await RunFacts.ReadAsync(client, run), run.GetProperty("model").GetString()!));
        }

        const string Range = "from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z";
        (await client.GetFromJsonElementAsync($"/v1/analytics/agents/{agentId}?{Range}&revisionId={firstRevision}")).GetProperty("total")
            .ShouldMatch([.. facts.Where(f => f.Facts.RevisionId == firstRevision).Select(static f => f.Facts)]);
        (await client.GetFromJsonElementAsync($"/v1/analytics/agents/{agentId}?{Range}&model=m-large")).GetProperty("total")
            .ShouldMatch([.. facts.Where(static f => f.Model == "m-large").Select(static f => f.Facts)]);
        (await client.GetFromJsonElementAsync($"/v1/analytics/agents/{agentId}?{Range}&model=m-small&revisionId={secondRevision}")).GetProperty("total")
            .ShouldMatch([.. facts.Where(f => f.Model == "m-small" && f.Facts.RevisionId == secondRevision).Select(static f => f.Facts)]);
        (await client.GetFromJsonElementAsync($"/v1/analytics/agents/{agentId}?{Range}&model=unknown-model")).GetProperty("total").ShouldMatch([]);

        var comparison = await client.GetFromJsonElementAsync($"/v1/analytics/agents/{agentId}/revisions?{Range}");
        var items = comparison.GetProperty("items").EnumerateArray().ToList();
        items.Select(static i => i.GetProperty("revisionId").GetString()).ShouldBe([secondRevision, firstRevision]);
        items[0].GetProperty("total").ShouldMatch([.. facts.Where(f => f.Facts.RevisionId == secondRevision).Select(static f => f.Facts)]);
        items[1].GetProperty("total").ShouldMatch([.. facts.Where(f => f.Facts.RevisionId == firstRevision).Select(static f => f.Facts)]);
        items[0].GetProperty("createdAt").GetString().ShouldNotBeNull();

        using var unknownRevision = await client.GetAsync($"/v1/analytics/agents/{agentId}?{Range}&revisionId=rev_unknown", Ct);
        await unknownRevision.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AnalyticsBuckets_DstAndHalfHourZones_FollowLocalDaysAndHours()
    {
        await using var server = AnalyticsServer.Start(new DateTimeOffset(2026, 3, 7, 12, 0, 0, TimeSpan.Zero));
        var client = server.Client;
        var agentId = await client.CreateAgentAsync(AnalyticsServer.Agent());
        // New York: EST (−5) until 2026-03-08 02:00 local, then EDT (−4); the local day of March 8 has 23 hours.
        DateTimeOffset[] created =
        [
            new(2026, 3, 8, 4, 30, 0, TimeSpan.Zero), // March 7, 23:30 EST
            new(2026, 3, 9, 3, 30, 0, TimeSpan.Zero), // March 8, 23:30 EDT
            new(2026, 3, 9, 4, 30, 0, TimeSpan.Zero), // March 9, 00:30 EDT
            new(2026, 3, 10, 10, 20, 0, TimeSpan.Zero), // Kolkata (+05:30) 15:50
            new(2026, 3, 10, 10, 40, 0, TimeSpan.Zero), // Kolkata 16:10
        ];
        foreach (var time in created)
        {
            server.Clock.Set(time);
            await server.RunBatchAsync(agentId, new { topic = time.ToString("O", System.Globalization.CultureInfo.InvariantCulture), durationMs = 10 });
        }

        var newYork = await client.GetFromJsonElementAsync(
            $"/v1/analytics/agents/{agentId}?from=2026-03-07T12:00:00Z&to=2026-03-09T12:00:00Z&bucket=day&tz=America/New_York");

        newYork.GetProperty("from").GetString().ShouldBe("2026-03-07T05:00:00.000Z", "from moves back to the start of its local day");
        newYork.GetProperty("to").GetString().ShouldBe("2026-03-10T04:00:00.000Z", "to moves forward to the end of its local day");
        newYork.GetProperty("timeZone").GetString().ShouldBe("America/New_York");
        var days = newYork.GetProperty("series").EnumerateArray().ToList();
        days.Select(static d => d.GetProperty("start").GetString()).ShouldBe(["2026-03-07T05:00:00.000Z", "2026-03-08T05:00:00.000Z", "2026-03-09T04:00:00.000Z"]);
        days.Select(static d => d.GetProperty("end").GetString()).ShouldBe(["2026-03-08T05:00:00.000Z", "2026-03-09T04:00:00.000Z", "2026-03-10T04:00:00.000Z"]);
        days.Select(static d => d.GetProperty("runs").GetInt64()).ShouldBe([1, 1, 1]);
        newYork.GetProperty("total").GetProperty("runs").GetInt64().ShouldBe(3);

        var utcDays = await client.GetFromJsonElementAsync($"/v1/analytics/agents/{agentId}?from=2026-03-07T00:00:00Z&to=2026-03-10T00:00:00Z&bucket=day");
        utcDays.GetProperty("series").EnumerateArray().Select(static d => d.GetProperty("runs").GetInt64()).ShouldBe([0, 1, 2]);

        var kolkata = await client.GetFromJsonElementAsync(
            $"/v1/analytics/agents/{agentId}?from=2026-03-10T10:00:00Z&to=2026-03-10T11:00:00Z&bucket=hour&tz=Asia/Kolkata");
        kolkata.GetProperty("from").GetString().ShouldBe("2026-03-10T09:30:00.000Z");
        kolkata.GetProperty("to").GetString().ShouldBe("2026-03-10T11:30:00.000Z");
        var hours = kolkata.GetProperty("series").EnumerateArray().ToList();
        hours.Select(static h => h.GetProperty("start").GetString()).ShouldBe(["2026-03-10T09:30:00.000Z", "2026-03-10T10:30:00.000Z"]);
        hours.Select(static h => h.GetProperty("runs").GetInt64()).ShouldBe([1, 1]);

        var utcHours = await client.GetFromJsonElementAsync($"/v1/analytics/agents/{agentId}?from=2026-03-10T10:00:00Z&to=2026-03-10T11:00:00Z&bucket=hour");
        utcHours.GetProperty("series").EnumerateArray().Select(static h => h.GetProperty("runs").GetInt64()).ShouldBe([2]);
    }

    [Fact]
    public async Task Analytics_AnotherOrganizationsAgent_Answers404_AndTheOverviewLeavesItOut()
    {
        await using var server = AnalyticsServer.Start(Day.AddHours(11));
        var mine = await server.Client.CreateAgentAsync(AnalyticsServer.Agent("Mine"));
        await server.RunBatchAsync(mine, new { topic = "mine", durationMs = 100 });
        var other = await server.Factory.CreateOrganizationAsync();
        using var otherClient = server.Factory.CreateClient(other.AdminKey);
        var theirs = await otherClient.CreateAgentAsync(AnalyticsServer.Agent("Theirs"));
        await AnalyticsServer.RunBatchAsync(otherClient, theirs, new { topic = "theirs 1", durationMs = 100 }, new { topic = "theirs 2", durationMs = 100 });
        const string Range = "from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z";

        using var agent = await server.Client.GetAsync($"/v1/analytics/agents/{theirs}?{Range}", Ct);
        using var revisions = await server.Client.GetAsync($"/v1/analytics/agents/{theirs}/revisions?{Range}", Ct);
        var overview = await server.Client.GetFromJsonElementAsync($"/v1/analytics/overview?{Range}");
        var theirOverview = await otherClient.GetFromJsonElementAsync($"/v1/analytics/overview?{Range}");

        await agent.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        await revisions.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        overview.GetProperty("total").GetProperty("runs").GetInt64().ShouldBe(1);
        theirOverview.GetProperty("total").GetProperty("runs").GetInt64().ShouldBe(2);
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-45T00:00:00Z", "to")]
    [InlineData("bucket=week", "bucket")]
    [InlineData("tz=Mars/Olympus_Mons", "tz")]
    [InlineData("from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "from")]
    [InlineData("from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z&bucket=hour", "bucket")]
    [InlineData("from=1900-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", "from")]
    public async Task Analytics_BadParameter_Answers400NamingIt(string query, string parameter)
    {
        await using var server = AnalyticsServer.Start(Day);
        var agentId = await server.Client.CreateAgentAsync(AnalyticsServer.Agent());

        foreach (var path in new[] { $"/v1/analytics/agents/{agentId}?{query}", $"/v1/analytics/overview?{query}", $"/v1/analytics/agents/{agentId}/revisions?{query}" })
        {
            if (path.Contains("/revisions", StringComparison.Ordinal) && parameter == "bucket")
            {
                continue;
            }

            using var response = await server.Client.GetAsync(path, Ct);
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request");
            problem.ErrorPaths().ShouldBe([parameter], path);
        }
    }

    private static Task ScoreAsync(HttpClient client, RunFacts facts, string key, double score, HttpStatusCode status = HttpStatusCode.Created) =>
        ScoreAsync(client, facts, facts.Id, key, score, status);

    private static async Task ScoreAsync(HttpClient client, RunFacts? facts, string runId, string key, double score, HttpStatusCode status = HttpStatusCode.Created)
    {
        var stored = await client.PostJsonAsync($"/v1/runs/{runId}/feedback", new { key, score }, status);
        stored.GetProperty("score").GetDouble().ShouldBe(score);
        if (facts is not null)
        {
            facts.Feedback[key] = score;
        }
    }
}
