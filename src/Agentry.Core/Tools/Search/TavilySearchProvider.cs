using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agentry.Core.Tools.Search;

/// <summary>The Tavily search API: <c>POST /search</c> with a JSON body whose <c>topic</c> is <c>general</c> or <c>news</c>.</summary>
internal sealed class TavilySearchProvider : ISearchProvider
{
    public static readonly Uri DefaultBaseUrl = new("https://api.tavily.com/");

    private const int MaxSnippetChars = 300;

    private readonly Uri _baseUrl;
    private readonly string _apiKey;
    private readonly SearchHttp _http;

    public TavilySearchProvider(Uri baseUrl, string apiKey, SearchHttp http)
    {
        _baseUrl = baseUrl;
        _apiKey = apiKey;
        _http = http;
    }

    public string Name => SearchOptions.TavilyProvider;

    public async Task<IReadOnlyList<SearchResult>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The key goes both in the body (the original API) and as a bearer token (the current one): either version accepts it.
        var body = new JsonObject
        {
            ["api_key"] = _apiKey,
            ["query"] = request.Query,
            ["topic"] = request.Kind == SearchKind.News ? "news" : "general",
            ["max_results"] = request.MaxResults,
        };
        if (request.Freshness is { } freshness)
        {
            body["time_range"] = freshness.ToString().ToLowerInvariant();
        }

        var url = new Uri(_baseUrl, "search");
        using var answer = await _http.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, url)
            {
                // Serialized up front so the request has a Content-Length rather than a chunked body some gateways refuse.
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
                Headers = { Authorization = new AuthenticationHeaderValue("Bearer", _apiKey) },
            },
            cancellationToken);
        if (answer.RootElement.ValueKind != JsonValueKind.Object
            || !answer.RootElement.TryGetProperty("results", out var results)
            || results.ValueKind != JsonValueKind.Array)
        {
            throw _http.Unexpected("no 'results' array");
        }

        return SearchProviders.Results(results, "content", "published_date", MaxSnippetChars, request.MaxResults);
    }
}
