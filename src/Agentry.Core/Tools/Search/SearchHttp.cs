using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agentry.Core.Models;
using Microsoft.Extensions.Logging;

namespace Agentry.Core.Tools.Search;

/// <summary>
/// Sends one search request and reads its JSON answer, turning every failure (HTTP error, timeout, unreachable
/// service, unreadable JSON) into a <see cref="ToolException"/> the model can read. Messages pass through a
/// <see cref="SecretScrubber"/> that knows the provider's key, because providers echo request details in errors.
/// </summary>
internal sealed partial class SearchHttp
{
    // Enough of an error body to tell "invalid token" from "rate limited", short enough not to flood the transcript.
    private const int MaxErrorBodyChars = 300;

    private readonly HttpClient _client;
    private readonly string _providerName;
    private readonly TimeSpan _timeout;
    private readonly SecretScrubber _scrubber;
    private readonly ILogger _logger;

    public SearchHttp(HttpClient client, string providerName, SearchOptions options, string? apiKey, ILogger logger)
    {
        _client = client;
        _providerName = providerName;
        _timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        _scrubber = new SecretScrubber([apiKey]);
        _logger = logger;
    }

    public async Task<JsonDocument> SendAsync(Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            using var request = createRequest();
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(deadline.Token);
                throw Fail($"The search provider {_providerName} answered {(int)response.StatusCode} {response.ReasonPhrase}{Excerpt(body)}", null);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
            return await JsonDocument.ParseAsync(stream, cancellationToken: deadline.Token);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail($"The search provider {_providerName} did not answer within {_timeout.TotalSeconds:0} s.", exception);
        }
        catch (HttpRequestException exception)
        {
            throw Fail($"The search provider {_providerName} could not be reached: {exception.Message}", exception);
        }
        catch (JsonException exception)
        {
            throw Fail($"The search provider {_providerName} answered with something that is not valid JSON: {exception.Message}", exception);
        }
    }

    /// <summary>A provider answer that parsed but lacks what a search answer must have.</summary>
    public ToolException Unexpected(string what) =>
        Fail($"The search provider {_providerName} answered with JSON of an unexpected shape ({what}).", null);

    private ToolException Fail(string message, Exception? inner)
    {
        var scrubbed = _scrubber.Scrub(message);
        Log.SearchFailed(_logger, _providerName, scrubbed);
        return inner is null ? new ToolException(scrubbed) : new ToolException(scrubbed, inner);
    }

    private static string Excerpt(string body)
    {
        var text = Whitespace().Replace(body, " ").Trim();
        if (text.Length == 0)
        {
            return ".";
        }

        return text.Length <= MaxErrorBodyChars ? $": {text}" : $": {text[..MaxErrorBodyChars]}…";
    }

    /// <summary>Plain text from a provider snippet: Brave marks matches with HTML tags and entities.</summary>
    public static string? PlainText(string? html, int maxChars)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return null;
        }

        var text = Whitespace().Replace(WebUtility.HtmlDecode(Tag().Replace(html, string.Empty)), " ").Trim();
        if (text.Length == 0)
        {
            return null;
        }

        return text.Length <= maxChars ? text : $"{text[..maxChars].TrimEnd()}…";
    }

    public static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static DateTimeOffset? Date(JsonElement element, string property) =>
        String(element, property) is { } text && DateTimeOffset.TryParse(
            text,
            System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal,
            out var date)
            ? date
            : null;

    [GeneratedRegex(@"<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();

    private static partial class Log
    {
        [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "Search with {Provider} failed: {Reason}")]
        public static partial void SearchFailed(ILogger logger, string provider, string reason);
    }
}
