namespace Agentry.Core.Tools.Search;

/// <summary>Settings of <c>searchWeb</c> and <c>searchNews</c> (<c>Agentry:Tools:Search</c>).</summary>
public sealed class SearchOptions
{
    public const string SectionName = $"{ToolsOptions.SectionName}:Search";

    public const string SearxngProvider = "searxng";

    public const string BraveProvider = "brave";

    public const string TavilyProvider = "tavily";

    /// <summary>The largest <see cref="MaxResults"/> accepted: Brave's and Tavily's own limit per request.</summary>
    public const int MaxResultsLimit = 20;

    /// <summary><c>searxng</c>, <c>brave</c> or <c>tavily</c>; null when no search provider is configured.</summary>
    public string? Provider { get; set; }

    /// <summary>The base URL of a SearXNG instance (its JSON format must be enabled), e.g. <c>http://searxng:8080</c>.</summary>
    public string? SearxngUrl { get; set; }

    /// <summary>The Brave Search API key; from <c>BRAVE_API_KEY</c> when not set here.</summary>
    public string? BraveApiKey { get; set; }

    /// <summary>The Tavily API key; from <c>TAVILY_API_KEY</c> when not set here.</summary>
    public string? TavilyApiKey { get; set; }

    /// <summary>Replaces the provider's base URL (a proxy, a regional endpoint, a fake in tests).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The most results a search returns to the model.</summary>
    public int MaxResults { get; set; } = 8;

    /// <summary>The time a search request may take.</summary>
    public int TimeoutSeconds { get; set; } = 15;
}
