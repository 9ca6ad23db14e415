namespace Agentry.Client;

/// <summary>Where an <see cref="AgentryClient"/> connects, with which key, and how patiently it retries and reconnects.</summary>
public sealed class AgentryClientOptions
{
    /// <summary>
    /// The server's base address, such as <c>http://127.0.0.1:5170</c> (the API lives under <c>/v1</c> below it).
    /// When null, the <see cref="HttpClient.BaseAddress"/> of the client's <see cref="HttpClient"/> is used.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The API key sent as <c>X-API-Key</c> on every request; null sends none (only <c>/healthz</c> answers then).</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// How many times a request answered 429 (rate limited) or 503 (unavailable) is sent again; default 3, 0 turns
    /// retries off. Each retry waits for the answer's <c>Retry-After</c>, or an exponential backoff from
    /// <see cref="RetryBaseDelay"/> without one.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff when an answer has no <c>Retry-After</c>; doubled on each retry; default 1 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest the client waits before one retry, default 30 s. A <c>Retry-After</c> longer than this is not waited
    /// for: the error is thrown at once, with <see cref="AgentryApiException.RetryAfter"/> set.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many times in a row a stream (<see cref="AgentryClient.StreamEventsAsync"/>, <see cref="AgentryClient.StreamRunsAsync"/>)
    /// tries to reconnect after a dropped or refused connection before it gives up and throws; default 10. The count
    /// starts again with every message received.
    /// </summary>
    public int StreamReconnectAttempts { get; set; } = 10;

    /// <summary>The wait before the first reconnect of a stream; doubled on each failed attempt up to 10 s; default 500 ms.</summary>
    public TimeSpan StreamReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (BaseAddress is { IsAbsoluteUri: false })
        {
            throw new ArgumentException("AgentryClientOptions.BaseAddress must be an absolute URI such as http://127.0.0.1:5170.", nameof(BaseAddress));
        }

        if (MaxRetries < 0)
        {
            throw new ArgumentException("AgentryClientOptions.MaxRetries must be 0 or more.", nameof(MaxRetries));
        }

        if (RetryBaseDelay < TimeSpan.Zero || MaxRetryDelay < TimeSpan.Zero || StreamReconnectDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("AgentryClientOptions delays must not be negative.");
        }

        if (StreamReconnectAttempts < 0)
        {
            throw new ArgumentException("AgentryClientOptions.StreamReconnectAttempts must be 0 or more.", nameof(StreamReconnectAttempts));
        }
    }
}
