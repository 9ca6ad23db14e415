using System.Net;
using Agentry.Client.Tests.Infrastructure;

namespace Agentry.Client.Tests;

public sealed class RetryTests
{
    private const string Page = """{"items":[],"total":0,"limit":20,"offset":0}""";
    private const string RateLimited = """{"error":"rate_limited","message":"Too many requests for this key; retry after 1 s.","status":429,"errors":[]}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AgentryClient ClientFor(ScriptedHttpServer server, int maxRetries = 3, TimeSpan? maxRetryDelay = null) =>
        new(new HttpClient(), new AgentryClientOptions
        {
            BaseAddress = server.Address,
            ApiKey = "secret-key",
            MaxRetries = maxRetries,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = maxRetryDelay ?? TimeSpan.FromSeconds(30),
        });

    [Fact]
    public async Task Request_429WithRetryAfter_WaitsThatLongAndRetries()
    {
        await using var server = new ScriptedHttpServer(new ScriptedAnswer(429, RateLimited, RetryAfter: "1"), new ScriptedAnswer(200, Page, "application/json"));
        using var client = ClientFor(server);

        var page = await client.ListAgentsAsync(cancellationToken: Ct);

        page.Total.ShouldBe(0);
        var received = server.Received;
        received.Count.ShouldBe(2);
        received.ShouldAllBe(r => r.ApiKey == "secret-key" && r.Path == "/v1/agents");
        (received[1].At - received[0].At).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task Request_503WithoutRetryAfter_RetriesWithBackoffUntilItSucceeds()
    {
        await using var server = new ScriptedHttpServer(
            new ScriptedAnswer(503, "Service Unavailable", "text/plain"),
            new ScriptedAnswer(503, "Service Unavailable", "text/plain"),
            new ScriptedAnswer(200, Page, "application/json"));
        using var client = ClientFor(server);

        await client.ListRunsAsync(cancellationToken: Ct);

        server.Received.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Request_StillRateLimitedAfterMaxRetries_ThrowsTheTypedError()
    {
        await using var server = new ScriptedHttpServer(new ScriptedAnswer(429, RateLimited, RetryAfter: "0"));
        using var client = ClientFor(server, maxRetries: 2);

        var error = await Should.ThrowAsync<AgentryApiException>(() => client.ListAgentsAsync(cancellationToken: Ct));

        error.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        error.ErrorCode.ShouldBe("rate_limited");
        error.Message.ShouldBe("Too many requests for this key; retry after 1 s.");
        error.RetryAfter.ShouldBe(TimeSpan.Zero);
        server.Received.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Request_RetryAfterLongerThanTheBound_ThrowsAtOnceWithRetryAfter()
    {
        await using var server = new ScriptedHttpServer(new ScriptedAnswer(429, RateLimited, RetryAfter: "120"));
        using var client = ClientFor(server, maxRetryDelay: TimeSpan.FromSeconds(5));

        var error = await Should.ThrowAsync<AgentryApiException>(() => client.ListAgentsAsync(cancellationToken: Ct));

        error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(120));
        server.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Request_OtherErrors_AreNotRetried()
    {
        await using var server = new ScriptedHttpServer(new ScriptedAnswer(500, """{"error":"internal","message":"Something broke.","status":500}"""));
        using var client = ClientFor(server);

        var error = await Should.ThrowAsync<AgentryApiException>(() => client.GetAgentAsync("agt_1", Ct));

        error.ErrorCode.ShouldBe("internal");
        server.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Request_ErrorWithoutProblemBody_ThrowsWithACodeFromTheStatus()
    {
        await using var server = new ScriptedHttpServer(new ScriptedAnswer(404, "<html>nothing here</html>", "text/html"));
        using var client = ClientFor(server);

        var error = await Should.ThrowAsync<AgentryApiException>(() => client.GetRunAsync("run_1", Ct));

        error.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        error.ErrorCode.ShouldBe("not_found");
        error.FieldErrors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Request_CancelledWhileWaitingToRetry_ThrowsOperationCanceled()
    {
        await using var server = new ScriptedHttpServer(new ScriptedAnswer(429, RateLimited, RetryAfter: "20"));
        using var client = ClientFor(server);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Should.ThrowAsync<OperationCanceledException>(() => client.ListAgentsAsync(cancellationToken: cancel.Token));
        server.Received.Count.ShouldBe(1);
    }
}
