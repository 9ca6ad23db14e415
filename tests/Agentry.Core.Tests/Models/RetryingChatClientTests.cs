using System.Net;
using Agentry.Core.Models;
using Agentry.Core.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Agentry.Core.Tests.Models;

public sealed class RetryingChatClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TransientFailures_AreRetried_WithGrowingWaits_UntilTheCallSucceeds()
    {
        var time = new FakeTimeProvider(TestRuns.Epoch);
        var inner = new FailingClient(
            new HttpRequestException("busy", null, HttpStatusCode.ServiceUnavailable),
            new HttpRequestException("connection refused"));
        using var client = Client(inner, time, new ModelRetryOptions { MaxAttempts = 4, BaseDelayMs = 1_000, MaxDelayMs = 30_000 });

        var call = client.GetResponseAsync("hi", cancellationToken: Ct);
        await WaitForCallsAsync(inner, 1);
        time.Advance(TimeSpan.FromMilliseconds(499));
        inner.Calls.ShouldBe(1, "the first wait is at least half of the base delay");
        time.Advance(TimeSpan.FromMilliseconds(501));
        await WaitForCallsAsync(inner, 2);
        time.Advance(TimeSpan.FromMilliseconds(2_000));
        var response = await call;

        response.Text.ShouldBe("ok");
        inner.Calls.ShouldBe(3);
    }

    [Fact]
    public async Task RetryAfter_AsAnHttpDate_IsWaitedFor()
    {
        var time = new FakeTimeProvider(TestRuns.Epoch);
        var retryAfter = ModelFailure.RetryAfterFrom(null, time.GetUtcNow().AddSeconds(7).ToString("R"), time);

        retryAfter.ShouldBe(TimeSpan.FromSeconds(7));
        ModelFailure.RetryAfterFrom(null, "3", time).ShouldBe(TimeSpan.FromSeconds(3));
        ModelFailure.RetryAfterFrom("250", "3", time).ShouldBe(TimeSpan.FromMilliseconds(250));
        ModelFailure.RetryAfterFrom(null, "soon", time).ShouldBeNull();
    }

    [Fact]
    public void Waits_AreCapped_IncludingWhatRetryAfterAsks()
    {
        using var client = Client(new FailingClient(), TimeProvider.System, new ModelRetryOptions { BaseDelayMs = 1_000, MaxDelayMs = 5_000 });

        client.DelayBefore(1, TimeSpan.FromMinutes(10)).ShouldBe(TimeSpan.FromSeconds(5));
        client.DelayBefore(10, retryAfter: null).ShouldBe(TimeSpan.FromSeconds(5));
        client.DelayBefore(2, retryAfter: null).ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Attempts_AreBounded_AndTheLastFailureIsReported()
    {
        var inner = new FailingClient(Enumerable.Range(0, 10).Select(_ => (Exception)new HttpRequestException("overloaded", null, HttpStatusCode.TooManyRequests)).ToArray());
        using var client = Client(inner, TimeProvider.System, new ModelRetryOptions { MaxAttempts = 3, BaseDelayMs = 1, MaxDelayMs = 1 });

        var failure = await Should.ThrowAsync<ModelProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));

        inner.Calls.ShouldBe(3);
        failure.StatusCode.ShouldBe(429);
        failure.Transient.ShouldBeTrue();
        failure.Attempts.ShouldBe(3);
        failure.Message.ShouldBe("HTTP 429: overloaded (gave up after 3 attempts)");
    }

    [Fact]
    public async Task NonTransientFailures_AreNotRetried_AndCarryNoInnerException()
    {
        var inner = new FailingClient(new HttpRequestException("bad key sk-live-0123456789abcdef", null, HttpStatusCode.Unauthorized));
        using var client = Client(inner, TimeProvider.System, new ModelRetryOptions());

        var failure = await Should.ThrowAsync<ModelProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));

        inner.Calls.ShouldBe(1);
        failure.Message.ShouldBe("HTTP 401: bad key [redacted]");
        failure.InnerException.ShouldBeNull();
    }

    [Fact]
    public async Task Cancellation_EndsAWaitAtOnce()
    {
        var time = new FakeTimeProvider(TestRuns.Epoch);
        var inner = new FailingClient(new HttpRequestException("busy", null, HttpStatusCode.BadGateway));
        using var client = Client(inner, time, new ModelRetryOptions { BaseDelayMs = 60_000, MaxDelayMs = 60_000 });
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = client.GetResponseAsync("hi", cancellationToken: cancellation.Token);
        await WaitForCallsAsync(inner, 1);
        await cancellation.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call);
        inner.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task Streaming_IsRetriedBeforeTheFirstUpdate()
    {
        var inner = new FailingClient(new HttpRequestException("busy", null, HttpStatusCode.ServiceUnavailable));
        using var client = Client(inner, TimeProvider.System, new ModelRetryOptions { BaseDelayMs = 1, MaxDelayMs = 1 });

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
        {
            updates.Add(update);
        }

        updates.ToChatResponse().Text.ShouldBe("ok");
        inner.Calls.ShouldBe(2);
    }

    private static RetryingChatClient Client(IChatClient inner, TimeProvider time, ModelRetryOptions options) =>
        new(inner, "test/stack", options, new SecretScrubber(["not-used-here"]), time, NullLogger.Instance);

    private static async Task WaitForCallsAsync(FailingClient client, int calls)
    {
        for (var i = 0; i < 500 && client.Calls < calls; i++)
        {
            await Task.Delay(5, Ct);
        }

        client.Calls.ShouldBe(calls);
    }

    /// <summary>Throws the given exceptions on the first calls, then answers "ok".</summary>
    private sealed class FailingClient(params Exception[] failures) : IChatClient
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var call = Interlocked.Increment(ref _calls);
            return call <= failures.Length
                ? Task.FromException<ChatResponse>(failures[call - 1])
                : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var response = await GetResponseAsync(messages, options, cancellationToken);
            foreach (var update in response.ToChatResponseUpdates())
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
