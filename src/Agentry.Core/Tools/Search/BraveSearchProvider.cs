using System.Globalization;
using System.Text.Json;

namespace Agentry.Core.Tools.Search;

/// <summary>
/// The Brave Search API: <c>GET /res/v1/web/search</c> and <c>/res/v1/news/search</c> with the key in the
/// <c>X-Subscription-Token</c> header.
/// </summary>
internal sealed class BraveSearchProvider : ISearchProvider
{
    public static readonly Uri DefaultBaseUrl = new("https://api.search.brave.com/");

    private const int MaxSnippetChars = 300;

    private readonly Uri _baseUrl;
    private readonly string _apiKey;
    private readonly SearchHttp _http;

    public BraveSearchProvider(Uri baseUrl, string apiKey, SearchHttp http)
    {
        _baseUrl = baseUrl;
        _apiKey = apiKey;
        _http = http;
    }

    public string Name => SearchOptions.BraveProvider;

    public async Task<IReadOnlyList<SearchResult>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Kind == SearchKind.News ? "res/v1/news/search" : "res/v1/web/search";
        var query = string.Create(CultureInfo.InvariantCulture, $"{path}?q={Uri.EscapeDataString(request.Query)}&count={request.MaxResults}");
        if (request.Freshness is { } freshness)
        {
            query += $"&freshness={Freshness(freshness)}";
        }

        var url = new Uri(_baseUrl, query);
        using var answer = await _http.SendAsync(
            () =>
            {
                var message = new HttpRequestMessage(HttpMethod.Get, url);
                message.Headers.TryAddWithoutValidation("X-Subscription-Token", _apiKey);
                return message;
            },
            cancellationToken);

        // Web answers nest their hits under "web" (absent when nothing matched); news answers list them at the top.
        var root = answer.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw _http.Unexpected("not an object");
        }

        var container = request.Kind == SearchKind.News ? root : root.TryGetProperty("web", out var web) ? web : default;
        if (container.ValueKind != JsonValueKind.Object || !container.TryGetProperty("results", out var results))
        {
            return [];
        }

        if (results.ValueKind != JsonValueKind.Array)
        {
            throw _http.Unexpected("'results' is not an array");
        }

        return SearchProviders.Results(results, "description", "page_age", MaxSnippetChars, request.MaxResults);
    }

    private static string Freshness(SearchFreshness freshness) => freshness switch
    {
        SearchFreshness.Day => "pd",
        SearchFreshness.Week => "pw",
        SearchFreshness.Month => "pm",
        _ => "py",
    };
}
