using System.Text.Json;

namespace Agentry.Core.Tools.Search;

/// <summary>
/// A self-hosted SearXNG instance: <c>GET {url}/search?q=…&amp;format=json&amp;categories=general|news</c>. The
/// instance must have the JSON format enabled (<c>search.formats</c> in its settings.yml).
/// </summary>
internal sealed class SearxngSearchProvider : ISearchProvider
{
    private const int MaxSnippetChars = 300;

    private readonly Uri _baseUrl;
    private readonly SearchHttp _http;

    public SearxngSearchProvider(Uri baseUrl, SearchHttp http)
    {
        _baseUrl = baseUrl;
        _http = http;
    }

    public string Name => SearchOptions.SearxngProvider;

    public async Task<IReadOnlyList<SearchResult>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = $"search?q={Uri.EscapeDataString(request.Query)}&format=json&categories={(request.Kind == SearchKind.News ? "news" : "general")}";
        if (request.Freshness is { } freshness)
        {
            query += $"&time_range={freshness.ToString().ToLowerInvariant()}";
        }

        var url = new Uri(_baseUrl, query);
        using var answer = await _http.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);
        if (answer.RootElement.ValueKind != JsonValueKind.Object
            || !answer.RootElement.TryGetProperty("results", out var results)
            || results.ValueKind != JsonValueKind.Array)
        {
            throw _http.Unexpected("no 'results' array");
        }

        // SearXNG has no result-count parameter: it returns a page of merged engine results, cut here.
        return SearchProviders.Results(results, "content", "publishedDate", MaxSnippetChars, request.MaxResults);
    }
}
