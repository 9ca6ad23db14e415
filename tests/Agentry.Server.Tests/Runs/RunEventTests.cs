using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests.Runs;

public sealed class RunEventTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private readonly HttpClient _client = server.CreateAdminClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_Pages_FollowLimitOffsetAndAfter()
    {
        var run = await FinishedRunAsync();
        var all = await _client.GetEventsAsync(run.Id());

        var page = await _client.GetFromJsonAsync<JsonElement>($"/v1/runs/{run.Id()}/events?limit=2&offset=1", Ct);
        page.GetProperty("total").GetInt64().ShouldBe(all.Count);
        page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("seq").GetInt32()).ShouldBe([2, 3]);

        var after = await _client.GetFromJsonAsync<JsonElement>($"/v1/runs/{run.Id()}/events?after=3&limit=100", Ct);
        after.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("seq").GetInt32()).ShouldBe(Enumerable.Range(4, all.Count - 3));
        after.GetProperty("total").GetInt64().ShouldBe(all.Count - 3);

        var underAgent = await _client.GetFromJsonAsync<JsonElement>($"/v1/agents/{run.GetProperty("agentId").GetString()}/runs/{run.Id()}/events?limit=100", Ct);
        underAgent.GetProperty("items").GetArrayLength().ShouldBe(all.Count);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("offset=-1")]
    [InlineData("after=x")]
    public async Task Events_BadPaging_Answers400(string query)
    {
        var run = await FinishedRunAsync();

        using var response = await _client.GetAsync($"/v1/runs/{run.Id()}/events?{query}", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task Stream_FinishedRun_ReplaysEveryEventInPositionOrderThenEnds()
    {
        var run = await FinishedRunAsync();
        var events = await _client.GetEventsAsync(run.Id());

        var stream = await _client.ReadStreamAsync($"/v1/runs/{run.Id()}/events/stream");

        stream.Status.ShouldBe(HttpStatusCode.OK);
        stream.ContentType.ShouldBe("text/event-stream");
        stream.Messages[^1].Type.ShouldBe("end");
        var streamed = stream.Events;
        streamed.Select(e => e.GetProperty("seq").GetInt32()).Order().ToList().ShouldBe(events.Select(e => e.GetProperty("seq").GetInt32()).ToList());
        var positions = streamed.Select(e => e.GetProperty("position").GetInt64()).ToList();
        positions.ShouldBe(positions.Order().ToList());
        stream.Messages.Where(m => m.Type != "end").Select(m => long.Parse(m.Id!, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(positions);
    }

    [Fact]
    public async Task Stream_ResumeAtEveryPosition_SendsExactlyTheLaterChanges()
    {
        var run = await FinishedRunAsync();
        var events = await _client.GetEventsAsync(run.Id());
        var last = events.Max(e => e.GetProperty("position").GetInt64());

        for (long after = 0; after < last; after++)
        {
            var resumed = await _client.ReadStreamAsync($"/v1/runs/{run.Id()}/events/stream", lastEventId: after.ToString(System.Globalization.CultureInfo.InvariantCulture));

            var expected = events.Where(e => e.GetProperty("position").GetInt64() > after).Select(e => e.GetProperty("seq").GetInt32()).Order().ToList();
            var got = resumed.Events.Select(e => e.GetProperty("seq").GetInt32()).ToList();
            got.Order().ToList().ShouldBe(expected, $"resuming after position {after}");
            got.Distinct().Count().ShouldBe(got.Count, "no event is sent twice");
            resumed.Messages[^1].Type.ShouldBe("end");
        }
    }

    [Fact]
    public async Task Stream_AfterTheEnd_Answers204()
    {
        var run = await FinishedRunAsync();
        var last = (await _client.GetEventsAsync(run.Id())).Max(e => e.GetProperty("position").GetInt64());

        var byHeader = await _client.ReadStreamAsync($"/v1/runs/{run.Id()}/events/stream", lastEventId: last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var byQuery = await _client.ReadStreamAsync($"/v1/runs/{run.Id()}/events/stream?after={last}");

        byHeader.Status.ShouldBe(HttpStatusCode.NoContent);
        byQuery.Status.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Stream_AcceptEventStreamOnEventsPath_Streams()
    {
        var run = await FinishedRunAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/runs/{run.Id()}/events");
        request.Headers.Accept.ParseAdd("text/event-stream");

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("event: end");
    }

    [Fact]
    public async Task Stream_BadCursor_Answers400()
    {
        var run = await FinishedRunAsync();

        using var response = await _client.GetAsync($"/v1/runs/{run.Id()}/events/stream?after=-3", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task Stream_LiveRun_DeliversEveryChangeAsItCommitsAndMatchesTheLog()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.SlowAgent());
        var run = await _client.StartRunAsync(agentId, new { topic = "live" });

        var stream = await _client.ReadStreamAsync($"/v1/runs/{run.Id()}/events/stream");

        stream.Messages[^1].Type.ShouldBe("end");
        var final = await _client.GetEventsAsync(run.Id());
        // Replaying the stream's changes in order (replace by seq) must give the log's final state.
        var state = new Dictionary<int, JsonElement>();
        foreach (var change in stream.Events)
        {
            state[change.GetProperty("seq").GetInt32()] = change;
        }

        state.Keys.Order().ToList().ShouldBe(final.Select(e => e.GetProperty("seq").GetInt32()).ToList());
        foreach (var e in final)
        {
            state[e.GetProperty("seq").GetInt32()].GetRawText().ShouldBe(e.GetRawText());
        }

        stream.Events.ShouldContain(e => e.GetProperty("type").GetString() == "model_call" && e.GetProperty("finishedAt").ValueKind == JsonValueKind.Null,
            "a model call is streamed when it starts, then again when it completes");
    }

    [Fact]
    public async Task Stream_DroppedMidRun_ResumesWithoutGapOrRepeat()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.SlowAgent());
        var run = await _client.StartRunAsync(agentId, new { topic = "resume" });

        var first = await _client.ReadStreamAsync($"/v1/runs/{run.Id()}/events/stream", until: m => m.Type == "planning");
        var lastId = first.Messages[^1].Id!;
        var rest = await _client.ReadStreamAsync($"/v1/runs/{run.Id()}/events/stream", lastEventId: lastId);

        var positions = first.Messages.Concat(rest.Messages).Where(m => m.Type != "end").Select(m => long.Parse(m.Id!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        positions.Distinct().Count().ShouldBe(positions.Count);
        positions.ShouldBe(positions.Order().ToList());
        rest.Messages[^1].Type.ShouldBe("end");
        var final = await _client.GetEventsAsync(run.Id());
        positions[^1].ShouldBe(final.Max(e => e.GetProperty("position").GetInt64()));
    }

    private async Task<JsonElement> FinishedRunAsync()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());
        var run = await _client.StartRunAsync(agentId, new { topic = "events" });
        return await _client.WaitForEndAsync(run.Id());
    }
}
