using System.ComponentModel;
using Agentry.Core.Runtime;
using Agentry.Core.Tools.Browse;
using Agentry.Core.Tools.Search;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Tools;

/// <summary>
/// Offers the builtin tools — <c>browseWebsite</c>, <c>codeInterpreter</c>, and <c>searchWeb</c> / <c>searchNews</c>
/// when a search provider is configured — to runs whose revision lists them. Without a search provider the search
/// tools are not offered and the loop fails such runs with <c>tool_unavailable</c>, naming the setting to configure.
/// </summary>
public sealed class BuiltinToolProvider : IAgentToolProvider, IToolAvailability, IDisposable
{
    public const string BrowseWebsiteName = "browseWebsite";

    public const string CodeInterpreterName = "codeInterpreter";

    public const string SearchWebName = "searchWeb";

    public const string SearchNewsName = "searchNews";

    private const string BrowseWebsiteDescription =
        "Fetches a public web page (HTML, plain text, JSON or PDF) and returns its title and readable text, with the " +
        "number to cite it by in the report. Long pages are cut and say so. Internal and private network addresses are refused.";

    private static readonly System.Text.CompositeFormat CodeInterpreterDescription = System.Text.CompositeFormat.Parse(
        "Runs JavaScript (ECMAScript 2023) in a sandbox and returns the value of the last expression as JSON plus what " +
        "console.log printed. Use it for arithmetic, statistics, date maths and data transformation. There is no network, " +
        "file system, timers, require or import; each call starts from a fresh state. Limits: {0} s, {1} MB, {2:N0} statements.");

    private readonly WebFetcher _fetcher;
    private readonly BrowseWebsite _browser;
    private readonly CodeInterpreter _interpreter;
    private readonly string _codeInterpreterDescription;
    private readonly HttpClient? _searchClient;
    private readonly SearchTool? _search;

    public BuiltinToolProvider(IOptions<ToolsOptions> options, ILogger<WebFetcher> fetcherLogger, ILogger<ISearchProvider>? searchLogger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var searchOptions = options.Value.Search;
        if (searchOptions.Provider is not null)
        {
            // Not WebFetcher's client: the search endpoint is chosen by the operator, not by the model, so browseWebsite's
            // address policy does not apply — a self-hosted SearXNG typically sits on a private network or localhost.
            _searchClient = new HttpClient(new SocketsHttpHandler
            {
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
            var provider = SearchProviders.Create(searchOptions, _searchClient, searchLogger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<ISearchProvider>.Instance)!;
            _search = new SearchTool(provider, searchOptions.MaxResults);
        }

        _fetcher = new WebFetcher(options.Value.Browse, fetcherLogger);
        _browser = new BrowseWebsite(_fetcher, options.Value.Browse);
        var interpreterOptions = options.Value.CodeInterpreter;
        _interpreter = new CodeInterpreter(interpreterOptions);
        _codeInterpreterDescription = string.Format(
            System.Globalization.CultureInfo.InvariantCulture,
            CodeInterpreterDescription,
            interpreterOptions.TimeoutSeconds,
            interpreterOptions.MemoryLimitMb,
            interpreterOptions.MaxStatements);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AIFunction>> GetToolsAsync(RunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var wanted = context.Revision.Config.Tools
            .Where(spec => spec.Source == "builtin" && spec.Type is not null)
            .Select(spec => spec.Type!)
            .ToHashSet(StringComparer.Ordinal);

        var tools = new List<AIFunction>();
        if (wanted.Contains(BrowseWebsiteName))
        {
            // The run's source list is captured here, so every page this run's model browses is recorded for this run.
            var sources = context.Sources;
            tools.Add(AIFunctionFactory.Create(
                ([Description("The absolute http or https URL of the page to read.")] string url, CancellationToken cancellationToken) =>
                    _browser.BrowseAsync(url, sources, cancellationToken),
                BrowseWebsiteName,
                BrowseWebsiteDescription));
        }

        if (wanted.Contains(CodeInterpreterName))
        {
            tools.Add(AIFunctionFactory.Create(RunCode, CodeInterpreterName, _codeInterpreterDescription));
        }

        if (_search is not null && wanted.Contains(SearchWebName))
        {
            tools.Add(AIFunctionFactory.Create(_search.SearchWebAsync, SearchWebName, SearchTool.WebDescription));
        }

        if (_search is not null && wanted.Contains(SearchNewsName))
        {
            tools.Add(AIFunctionFactory.Create(_search.SearchNewsAsync, SearchNewsName, SearchTool.NewsDescription));
        }

        return ValueTask.FromResult<IReadOnlyList<AIFunction>>(tools);
    }

    private CodeInterpreterResult RunCode(
        [Description("The JavaScript to run. The value of the last expression statement is returned; use console.log for intermediate output.")] string code,
        CancellationToken cancellationToken) =>
        _interpreter.Run(code, cancellationToken);

    /// <inheritdoc />
    public string? UnavailableReason(string toolType) =>
        _search is null && toolType is SearchWebName or SearchNewsName ? SearchProviders.NotConfiguredReason : null;

    public void Dispose()
    {
        _fetcher.Dispose();
        _searchClient?.Dispose();
    }
}
