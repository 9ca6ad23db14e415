using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agentry.Client;

/// <summary>
/// A typed client for Agentry's HTTP API (<c>/v1</c>). Every error answer is thrown as <see cref="AgentryApiException"/>;
/// answers 429 and 503 are retried after their <c>Retry-After</c> (bounded by <see cref="AgentryClientOptions"/>);
/// streams reconnect and resume by position on their own. Thread-safe; create one and share it, or register it with
/// <c>services.AddAgentryClient(…)</c>.
/// </summary>
public sealed partial class AgentryClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = CreateJsonOptions();
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly AgentryClientOptions _options;
    private readonly Uri _baseAddress;

    /// <summary>A client over <paramref name="httpClient"/>, which the caller owns (it is not disposed with this client).</summary>
    /// <param name="httpClient">The HTTP client to send with; its <see cref="HttpClient.BaseAddress"/> is used when <see cref="AgentryClientOptions.BaseAddress"/> is null.</param>
    /// <param name="options">Address, key, retries and reconnects.</param>
    /// <exception cref="ArgumentException">No base address is set, or an option is out of range.</exception>
    public AgentryClient(HttpClient httpClient, AgentryClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = httpClient;
        _options = options;
        var address = options.BaseAddress ?? httpClient.BaseAddress
            ?? throw new ArgumentException("Set AgentryClientOptions.BaseAddress (or the HttpClient's BaseAddress) to the server, such as http://127.0.0.1:5170.", nameof(options));
        _baseAddress = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
    }

    /// <summary>A client with its own <see cref="HttpClient"/> (disposed with this client) for <paramref name="baseAddress"/> and <paramref name="apiKey"/>.</summary>
    /// <param name="baseAddress">The server, such as <c>http://127.0.0.1:5170</c>.</param>
    /// <param name="apiKey">The API key.</param>
    public AgentryClient(Uri baseAddress, string apiKey)
        : this(new HttpClient(), new AgentryClientOptions { BaseAddress = baseAddress, ApiKey = apiKey })
    {
        _ownsHttp = true;
    }

    /// <summary>The server this client talks to.</summary>
    public Uri BaseAddress => _baseAddress;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>Serializes <paramref name="value"/> with the API's JSON settings (camelCase, enums as strings, nulls left out).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The JSON element.</returns>
    public static JsonElement ToJson<T>(T value) => JsonSerializer.SerializeToElement(value, Json);

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static string Escape(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Uri.EscapeDataString(id);
    }

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            builder.Append(builder.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }

    private static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static StringContent JsonContent<T>(T body) =>
        new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");

    private async Task<T> SendAsync<T>(HttpMethod method, string path, Func<HttpContent?>? content, CancellationToken cancellationToken, Action<HttpRequestMessage>? configure = null)
    {
        using var response = await SendCheckedAsync(method, path, content, HttpCompletionOption.ResponseContentRead, cancellationToken, configure).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<T>(stream, Json, cancellationToken).ConfigureAwait(false)
                ?? throw new AgentryApiException(response.StatusCode, "invalid_response", $"{method} {path} answered an empty body.");
        }
    }

    private async Task SendNoContentAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var response = await SendCheckedAsync(method, path, null, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends with retries on 429/503; answers a success, or throws <see cref="AgentryApiException"/> for an error answer.</summary>
    private async Task<HttpResponseMessage> SendCheckedAsync(
        HttpMethod method, string path, Func<HttpContent?>? content, HttpCompletionOption completion, CancellationToken cancellationToken, Action<HttpRequestMessage>? configure = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(_baseAddress, path)) { Content = content?.Invoke() };
            if (_options.ApiKey is { Length: > 0 } key)
            {
                request.Headers.Add("X-API-Key", key);
            }

            configure?.Invoke(request);
            var response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                var retryAfter = ReadRetryAfter(response);
                if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable && attempt < _options.MaxRetries)
                {
                    var delay = retryAfter ?? Backoff(_options.RetryBaseDelay, attempt, _options.MaxRetryDelay);
                    if (delay <= _options.MaxRetryDelay)
                    {
                        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }

                throw await ReadProblemAsync(response, retryAfter, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan Backoff(TimeSpan first, int attempt, TimeSpan max)
    {
        var delay = first * Math.Pow(2, Math.Min(attempt, 16));
        return delay > max ? max : delay;
    }

    private static TimeSpan? ReadRetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static async Task<AgentryApiException> ReadProblemAsync(HttpResponseMessage response, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var fallbackCode = FallbackCode(status);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var problem = JsonSerializer.Deserialize<Problem>(body, Json);
            if (problem is not null && (problem.Error is not null || problem.Message is not null))
            {
                return new AgentryApiException(status, problem.Error ?? fallbackCode, problem.Message ?? problem.Title ?? status.ToString(), problem.Errors, retryAfter);
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's page, say): the status alone tells what happened.
        }

        var text = body.Length is > 0 and <= 500 ? body.Trim() : $"The server answered {(int)status} {response.ReasonPhrase}.";
        return new AgentryApiException(status, fallbackCode, text, [], retryAfter);
    }

    private static string FallbackCode(HttpStatusCode status) => (int)status switch
    {
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        409 => "conflict",
        413 => "payload_too_large",
        429 => "rate_limited",
        >= 500 => "internal",
        _ => "bad_request",
    };

    private sealed record Problem(string? Error, string? Message, string? Title, IReadOnlyList<AgentryFieldError>? Errors);

    private static MediaTypeWithQualityHeaderValue EventStream { get; } = new("text/event-stream");
}
