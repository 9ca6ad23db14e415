using Agentry.Core.Runs;
using Agentry.Core.Runtime;

namespace Agentry.Core.Tools.Browse;

/// <summary>
/// <c>browseWebsite</c>: fetch, extract, record the page as a source of the run, and give the model the text, cut to
/// the configured length with the cut stated.
/// </summary>
public sealed class BrowseWebsite
{
    private readonly WebFetcher _fetcher;
    private readonly BrowseOptions _options;

    public BrowseWebsite(WebFetcher fetcher, BrowseOptions options)
    {
        ArgumentNullException.ThrowIfNull(fetcher);
        ArgumentNullException.ThrowIfNull(options);
        _fetcher = fetcher;
        _options = options;
    }

    /// <summary>Browses <paramref name="url"/> for a run, recording it in <paramref name="sources"/>.</summary>
    public async Task<BrowseResult> BrowseAsync(string url, RunSources sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri))
        {
            throw new ToolException($"'{url}' is not an absolute URL; give one such as https://example.com/page.");
        }

        var page = await _fetcher.FetchAsync(uri, cancellationToken);
        var extracted = PageExtractor.Extract(page);
        var finalUrl = page.Url.AbsoluteUri;
        var citation = sources.Add(new RunSource(finalUrl, extracted.Title ?? finalUrl, extracted.Snippet));

        var text = extracted.Text;
        var truncated = text.Length > _options.MaxTextChars;
        if (truncated)
        {
            text = $"{text[.._options.MaxTextChars]}\n\n[Truncated: the page's text has {extracted.Text.Length:N0} characters; only the first {_options.MaxTextChars:N0} are shown.]";
        }
        else if (text.Length == 0)
        {
            text = "[The page has no readable text.]";
        }

        return new BrowseResult(finalUrl, extracted.Title, extracted.Kind, citation, truncated, text);
    }
}
