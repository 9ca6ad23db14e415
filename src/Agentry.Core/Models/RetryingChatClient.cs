using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Agentry.Core.Models;

/// <summary>
/// Wraps a remote provider's client: retries transient failures (429, 408, 5xx, timeouts, refused or dropped
/// connections) with exponential backoff and jitter, waiting what the provider asks in <c>Retry-After</c> when it
/// does, and turns every failure that ends the call into a <see cref="ModelProviderException"/> whose message is the
/// provider's, scrubbed of secrets. The caller's cancellation is never retried and ends a wait at once. A streamed
/// answer is retried only while nothing of it has been handed on; after that, a retry would repeat text.
/// </summary>
public sealed partial class RetryingChatClient : DelegatingChatClient
{
    private readonly string _stackId;
    private readonly ModelRetryOptions _options;
    private readonly SecretScrubber _scrubber;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IDisposable? _ownedResource;

    /// <param name="innerClient">The provider's client.</param>
    /// <param name="stackId">The stack the client serves, for log messages.</param>
    /// <param name="options">Attempts and waits.</param>
    /// <param name="scrubber">Removes the stack's secrets from messages.</param>
    /// <param name="timeProvider">The clock for waits and <c>Retry-After</c> dates.</param>
    /// <param name="logger">Where retries are logged.</param>
    /// <param name="ownedResource">Something the inner client uses but does not dispose (an HTTP client), disposed with this one.</param>
    public RetryingChatClient(
        IChatClient innerClient,
        string stackId,
        ModelRetryOptions options,
        SecretScrubber scrubber,
        TimeProvider timeProvider,
        ILogger logger,
        IDisposable? ownedResource = null)
        : base(innerClient)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stackId);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scrubber);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        _stackId = stackId;
        _options = options;
        _scrubber = scrubber;
        _timeProvider = timeProvider;
        _logger = logger;
        _ownedResource = ownedResource;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Each attempt sends the same conversation, so it is enumerated once.
        var conversation = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await base.GetResponseAsync(conversation, options, cancellationToken);
            }
            catch (Exception exception) when (!IsCallerCancellation(exception, cancellationToken) && exception is not ModelProviderException)
            {
                await WaitOrThrowAsync(exception, attempt, cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var conversation = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        for (var attempt = 1; ; attempt++)
        {
            var enumerator = base.GetStreamingResponseAsync(conversation, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                ChatResponseUpdate? first = null;
                try
                {
                    if (await enumerator.MoveNextAsync())
                    {
                        first = enumerator.Current;
                    }
                }
                catch (Exception exception) when (!IsCallerCancellation(exception, cancellationToken) && exception is not ModelProviderException)
                {
                    await WaitOrThrowAsync(exception, attempt, cancellationToken);
                    continue;
                }

                if (first is null)
                {
                    yield break;
                }

                yield return first;
                while (true)
                {
                    ChatResponseUpdate current;
                    try
                    {
                        if (!await enumerator.MoveNextAsync())
                        {
                            yield break;
                        }

                        current = enumerator.Current;
                    }
                    catch (Exception exception) when (!IsCallerCancellation(exception, cancellationToken) && exception is not ModelProviderException)
                    {
                        // Part of the answer is already out; the failure ends the call, described like any other.
                        throw Failure(ModelFailure.From(exception, _timeProvider), attempt, finalTransient: false);
                    }

                    yield return current;
                }
            }
            finally
            {
                await enumerator.DisposeAsync();
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _ownedResource?.Dispose();
        }
    }

    /// <summary>The wait before retry number <paramref name="attempt"/>: the provider's, or exponential with jitter; capped.</summary>
    internal TimeSpan DelayBefore(int attempt, TimeSpan? retryAfter)
    {
        var cap = TimeSpan.FromMilliseconds(_options.MaxDelayMs);
        if (retryAfter is { } asked)
        {
            return asked < cap ? asked : cap;
        }

        // "Equal jitter": half the exponential wait, plus a random part of the other half, so that many runs hit by the
        // same 429 do not come back in lockstep, yet none retries immediately.
        var exponential = _options.BaseDelayMs * Math.Pow(2, attempt - 1);
        var jittered = (exponential / 2) + (exponential / 2 * (RandomNumberGenerator.GetInt32(1_001) / 1_000d));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, _options.MaxDelayMs));
    }

    private static bool IsCallerCancellation(Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested;

    private async Task WaitOrThrowAsync(Exception exception, int attempt, CancellationToken cancellationToken)
    {
        var failure = ModelFailure.From(exception, _timeProvider);
        if (!failure.Transient || attempt >= _options.MaxAttempts)
        {
            throw Failure(failure, attempt, finalTransient: failure.Transient);
        }

        var delay = DelayBefore(attempt, failure.RetryAfter);
        LogRetry(_logger, _stackId, attempt, _options.MaxAttempts, _scrubber.Scrub(failure.Message), (long)delay.TotalMilliseconds);
        await Task.Delay(delay, _timeProvider, cancellationToken);
    }

    private ModelProviderException Failure(ModelFailure failure, int attempts, bool finalTransient)
    {
        var message = _scrubber.Scrub(failure.Message);
        if (finalTransient && attempts > 1)
        {
            message = $"{message} (gave up after {attempts} attempts)";
        }

        return new ModelProviderException(message, failure.StatusCode, failure.Transient, attempts);
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Model stack {StackId}: attempt {Attempt} of {MaxAttempts} failed ({Failure}); retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string stackId, int attempt, int maxAttempts, string failure, long delayMs);
}
