using System.ComponentModel;

namespace Agentry.Core.Tools.Search;

/// <summary>
/// The functions behind <c>searchWeb</c> and <c>searchNews</c>. Hits are returned as leads and are not recorded as the
/// run's sources: issue 4 counts a search hit as a source once it is opened, which <c>browseWebsite</c> records.
/// </summary>
internal sealed class SearchTool
{
    public const string WebDescription =
        "Searches the web and returns a short list of results (title, URL, snippet). Results are leads, not sources: " +
        "open the promising ones with browseWebsite to read and cite them.";

    public const string NewsDescription =
        "Searches recent news articles and returns a short list of results (title, URL, snippet, publication time when " +
        "known). Results are leads, not sources: open the promising ones with browseWebsite to read and cite them.";

    private readonly ISearchProvider _provider;
    private readonly int _maxResults;

    public SearchTool(ISearchProvider provider, int maxResults)
    {
        _provider = provider;
        _maxResults = maxResults;
    }

    public Task<SearchToolOutput> SearchWebAsync(
        [Description("What to search for, as you would type it into a search engine.")] string query,
        CancellationToken cancellationToken) =>
        SearchAsync(query, SearchKind.Web, null, cancellationToken);

    public Task<SearchToolOutput> SearchNewsAsync(
        [Description("What to search for in the news.")] string query,
        [Description("Only articles from the last day, week, month or year; omit for any time.")] string? freshness = null,
        CancellationToken cancellationToken = default)
    {
        SearchFreshness? period = null;
        if (!string.IsNullOrWhiteSpace(freshness))
        {
            period = Enum.TryParse<SearchFreshness>(freshness.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new ToolException($"freshness must be day, week, month or year; '{freshness}' is none of them.");
        }

        return SearchAsync(query, SearchKind.News, period, cancellationToken);
    }

    private async Task<SearchToolOutput> SearchAsync(string query, SearchKind kind, SearchFreshness? freshness, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new ToolException("The query is empty; say what to search for.");
        }

        var results = await _provider.SearchAsync(new SearchRequest(query.Trim(), kind, _maxResults, freshness), cancellationToken);
        return new SearchToolOutput(
            query.Trim(),
            [.. results.Take(_maxResults)],
            results.Count == 0 ? "No results; try other or fewer words." : null);
    }
}

/// <summary>What <c>searchWeb</c> and <c>searchNews</c> return to the model (nulls are left out of the JSON).</summary>
public sealed record SearchToolOutput(string Query, IReadOnlyList<SearchResult> Results, string? Note);
