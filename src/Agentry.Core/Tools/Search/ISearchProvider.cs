namespace Agentry.Core.Tools.Search;

/// <summary>A web or news search service behind <c>searchWeb</c> and <c>searchNews</c> (SearXNG, Brave Search, Tavily).</summary>
public interface ISearchProvider
{
    /// <summary>The provider's name as users configure it (<c>searxng</c>, <c>brave</c>, <c>tavily</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Runs the search. Failures the model should hear about (HTTP errors, timeouts, unreadable answers) are
    /// <see cref="ToolException"/>s whose messages never contain the provider's key.
    /// </summary>
    Task<IReadOnlyList<SearchResult>> SearchAsync(SearchRequest request, CancellationToken cancellationToken);
}

/// <summary>What to search for.</summary>
/// <param name="Query">The search terms.</param>
/// <param name="Kind">Web pages or news articles.</param>
/// <param name="MaxResults">The most results wanted; providers that cannot limit are cut afterwards.</param>
/// <param name="Freshness">For news: only results published within this period; null for any time.</param>
public sealed record SearchRequest(string Query, SearchKind Kind, int MaxResults, SearchFreshness? Freshness = null);

/// <summary>One hit. It is a lead, not a source: a source is a page the agent actually opened with <c>browseWebsite</c>.</summary>
public sealed record SearchResult(string Title, string Url, string? Snippet, DateTimeOffset? PublishedAt);

/// <summary>Whether a search looks for web pages or news articles.</summary>
public enum SearchKind
{
    Web,
    News,
}

/// <summary>How recent news results must be.</summary>
public enum SearchFreshness
{
    Day,
    Week,
    Month,
    Year,
}
