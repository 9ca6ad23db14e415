using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Agentry.Core.Tools.Search;

/// <summary>Chooses the configured <see cref="ISearchProvider"/> and checks its settings.</summary>
internal static class SearchProviders
{
    /// <summary>Why <c>searchWeb</c> and <c>searchNews</c> are missing; <c>tool_unavailable</c> carries it to the user.</summary>
    public const string NotConfiguredReason =
        $"no search provider is configured: set {SearchOptions.SectionName}:Provider (searxng, brave or tavily) " +
        "and its SearxngUrl, BraveApiKey or TavilyApiKey";

    /// <summary>The configured provider, or null when <see cref="SearchOptions.Provider"/> is not set.</summary>
    /// <exception cref="InvalidOperationException">The settings have a problem (start-up validation reports it first).</exception>
    public static ISearchProvider? Create(SearchOptions options, HttpClient client, ILogger logger)
    {
        if (Problems(options).FirstOrDefault() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var baseUrl = BaseUrl(options.BaseUrl);
        switch (Normalized(options.Provider))
        {
            case null:
                return null;
            case SearchOptions.SearxngProvider:
                return new SearxngSearchProvider(
                    baseUrl ?? BaseUrl(options.SearxngUrl)!,
                    new SearchHttp(client, "SearXNG", options, apiKey: null, logger));
            case SearchOptions.BraveProvider:
                return new BraveSearchProvider(
                    baseUrl ?? BraveSearchProvider.DefaultBaseUrl,
                    options.BraveApiKey!,
                    new SearchHttp(client, "Brave Search", options, options.BraveApiKey, logger));
            default:
                return new TavilySearchProvider(
                    baseUrl ?? TavilySearchProvider.DefaultBaseUrl,
                    options.TavilyApiKey!,
                    new SearchHttp(client, "Tavily", options, options.TavilyApiKey, logger));
        }
    }

    /// <summary>Each problem with the search settings, naming the key to fix.</summary>
    public static IEnumerable<string> Problems(SearchOptions options)
    {
        const string Key = SearchOptions.SectionName;
        var provider = Normalized(options.Provider);
        if (options.BaseUrl is { } baseUrl && BaseUrl(baseUrl) is null)
        {
            yield return $"{Key}:BaseUrl must be an absolute http or https URL; '{baseUrl}' is not.";
        }

        if (options.MaxResults > SearchOptions.MaxResultsLimit)
        {
            yield return $"{Key}:MaxResults must be at most {SearchOptions.MaxResultsLimit}; {options.MaxResults} is more.";
        }

        switch (provider)
        {
            case null:
                yield break;
            case SearchOptions.SearxngProvider when string.IsNullOrWhiteSpace(options.SearxngUrl) && options.BaseUrl is null:
                yield return $"{Key}:SearxngUrl is required when {Key}:Provider is searxng (the base URL of your SearXNG instance, e.g. http://searxng:8080).";
                break;
            case SearchOptions.SearxngProvider when options.BaseUrl is null && BaseUrl(options.SearxngUrl) is null:
                yield return $"{Key}:SearxngUrl must be an absolute http or https URL; '{options.SearxngUrl}' is not.";
                break;
            case SearchOptions.BraveProvider when string.IsNullOrWhiteSpace(options.BraveApiKey):
                yield return $"{Key}:BraveApiKey (or the environment variable BRAVE_API_KEY) is required when {Key}:Provider is brave.";
                break;
            case SearchOptions.TavilyProvider when string.IsNullOrWhiteSpace(options.TavilyApiKey):
                yield return $"{Key}:TavilyApiKey (or the environment variable TAVILY_API_KEY) is required when {Key}:Provider is tavily.";
                break;
            case SearchOptions.SearxngProvider or SearchOptions.BraveProvider or SearchOptions.TavilyProvider:
                break;
            default:
                yield return $"{Key}:Provider is '{options.Provider}', which is not a search provider; use searxng, brave or tavily.";
                break;
        }
    }

    /// <summary>A hit the model can use: it needs an absolute http(s) URL; a missing title falls back to the URL.</summary>
    public static SearchResult? Result(string? title, string? url, string? snippet, DateTimeOffset? publishedAt)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        var plainTitle = SearchHttp.PlainText(title, 200) ?? uri.AbsoluteUri;
        return new SearchResult(plainTitle, uri.AbsoluteUri, snippet, publishedAt);
    }

    /// <summary>
    /// The usable hits of a provider's <paramref name="results"/> array, each read with the provider's own property
    /// names: invalid URLs dropped, duplicates removed, at most <paramref name="maxResults"/>.
    /// </summary>
    public static SearchResult[] Results(JsonElement results, string snippetProperty, string dateProperty, int maxSnippetChars, int maxResults) =>
        [.. results.EnumerateArray()
            .Select(item => Result(
                SearchHttp.String(item, "title"),
                SearchHttp.String(item, "url"),
                SearchHttp.PlainText(SearchHttp.String(item, snippetProperty), maxSnippetChars),
                SearchHttp.Date(item, dateProperty)))
            .OfType<SearchResult>()
            .DistinctBy(result => result.Url, StringComparer.Ordinal)
            .Take(maxResults)];

    private static string? Normalized(string? provider) =>
        string.IsNullOrWhiteSpace(provider) ? null : provider.Trim().ToLowerInvariant();

    // A trailing slash makes relative paths ("search", "res/v1/…") resolve under the base instead of replacing its last segment.
    private static Uri? BaseUrl(string? text) =>
        Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? new Uri(uri.AbsoluteUri.EndsWith('/') ? uri.AbsoluteUri : uri.AbsoluteUri + "/")
            : null;
}
