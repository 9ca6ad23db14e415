using System.ClientModel;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Anthropic.Exceptions;
using OllamaSharp.Models.Exceptions;

namespace Agentry.Core.Models;

/// <summary>
/// What went wrong in one model call, read from the exception of whichever client made it (OpenAI's
/// <see cref="ClientResultException"/>, Anthropic's <see cref="AnthropicApiException"/>, OllamaSharp's and plain
/// <see cref="HttpRequestException"/>): whether it is worth retrying, the HTTP status, the wait the provider asked for,
/// and the provider's own message (not yet scrubbed).
/// </summary>
/// <param name="Transient">True for 408, 429, 5xx, timeouts and dropped or refused connections.</param>
/// <param name="StatusCode">The HTTP status; null when no answer arrived.</param>
/// <param name="RetryAfter">The wait the provider asked for (<c>retry-after-ms</c> or <c>Retry-After</c>), when it did.</param>
/// <param name="Message">The provider's message, with the status in front when there is one.</param>
internal sealed record ModelFailure(bool Transient, int? StatusCode, TimeSpan? RetryAfter, string Message)
{
    public static ModelFailure From(Exception exception, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(timeProvider);
        switch (exception)
        {
            case ClientResultException { Status: 0 } transport:
                // System.ClientModel reports a request that got no answer as status 0, with the transport's exception inside.
                return new ModelFailure(true, null, null, $"The model server could not be reached: {Innermost(transport).Message}");
            case ClientResultException result:
                var response = result.GetRawResponse();
                var retryAfter = response is null ? null : RetryAfterFrom(
                    response.Headers.TryGetValue("retry-after-ms", out var ms) ? ms : null,
                    response.Headers.TryGetValue("Retry-After", out var after) ? after : null,
                    timeProvider);
                var body = response?.Content is { } content ? ErrorMessageFromBody(content.ToString()) : null;
                return ForStatus(result.Status, response?.ReasonPhrase, body ?? FirstLine(result.Message), retryAfter);
            case AnthropicApiException api:
                return ForStatus((int)api.StatusCode, null, AnthropicMessage(api), retryAfter: null);
            case AnthropicIOException io:
                return new ModelFailure(true, null, null, $"The model server could not be reached: {Innermost(io).Message}");
            case HttpRequestException { StatusCode: { } status } http:
                return ForStatus((int)status, null, http.Message, retryAfter: null);
            case HttpRequestException http:
                return new ModelFailure(true, null, null, $"The model server could not be reached: {Innermost(http).Message}");
            case OperationCanceledException or TimeoutException:
                // The caller's own cancellation never gets here (it is let through before classifying), so this is a client timeout.
                return new ModelFailure(true, null, null, "The model server did not answer in time.");
            case IOException or SocketException:
                return new ModelFailure(true, null, null, $"The connection to the model server failed: {exception.Message}");
            case OllamaException ollama:
                return new ModelFailure(false, null, null, ollama.Message);
            default:
                return new ModelFailure(false, null, null, exception.Message);
        }
    }

    /// <summary>The wait from <c>retry-after-ms</c> (milliseconds) or <c>Retry-After</c> (seconds or an HTTP date); null when neither parses.</summary>
    public static TimeSpan? RetryAfterFrom(string? retryAfterMs, string? retryAfter, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (double.TryParse(retryAfterMs, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (string.IsNullOrWhiteSpace(retryAfter))
        {
            return null;
        }

        if (double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        }

        if (RetryConditionHeaderValue.TryParse(retryAfter, out var header) && header.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static ModelFailure ForStatus(int status, string? reason, string message, TimeSpan? retryAfter)
    {
        var transient = status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500;
        var label = reason is { Length: > 0 } ? $"HTTP {status} ({reason})" : $"HTTP {status}";
        return new ModelFailure(transient, status, retryAfter, $"{label}: {message}");
    }

    // OpenAI-compatible servers answer {"error":{"message":"…"}}; some (and Ollama) {"error":"…"}; Anthropic {"error":{"type","message"}}.
    private static string? ErrorMessageFromBody(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    return error.GetString();
                }

                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    return message.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: a proxy's HTML page, say. Its first line says more than nothing.
        }

        return FirstLine(body);
    }

    private static string AnthropicMessage(AnthropicApiException exception)
    {
        try
        {
            if (!string.IsNullOrWhiteSpace(exception.ApiMessage))
            {
                return exception.ApiMessage;
            }
        }
        catch (Exception reading) when (reading is InvalidOperationException or JsonException or AnthropicException)
        {
            // The body was not the documented error shape; fall back to the exception's own text.
        }

        return ErrorMessageFromBody(exception.ResponseBody) ?? FirstLine(exception.Message);
    }

    private static string FirstLine(string text)
    {
        var trimmed = text.Trim();
        var end = trimmed.IndexOfAny(['\r', '\n']);
        const int maxLength = 500;
        var line = end < 0 ? trimmed : trimmed[..end];
        return line.Length <= maxLength ? line : string.Concat(line.AsSpan(0, maxLength), "…");
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }
}
