using System.ComponentModel;
using Agentry.Core.Runtime;
using Agentry.Core.Tools.Browse;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Tools;

/// <summary>
/// Offers the builtin tools that need no external service — <c>browseWebsite</c> and <c>codeInterpreter</c> —
/// to runs whose revision lists them. Search tools come from a search provider elsewhere; when none is configured the
/// loop fails such runs with <c>tool_unavailable</c>.
/// </summary>
public sealed class BuiltinToolProvider : IAgentToolProvider, IDisposable
{
    public const string BrowseWebsiteName = "browseWebsite";

    public const string CodeInterpreterName = "codeInterpreter";

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

    public BuiltinToolProvider(IOptions<ToolsOptions> options, ILogger<WebFetcher> fetcherLogger)
    {
        ArgumentNullException.ThrowIfNull(options);
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

        return ValueTask.FromResult<IReadOnlyList<AIFunction>>(tools);
    }

    private CodeInterpreterResult RunCode(
        [Description("The JavaScript to run. The value of the last expression statement is returned; use console.log for intermediate output.")] string code,
        CancellationToken cancellationToken) =>
        _interpreter.Run(code, cancellationToken);

    public void Dispose() => _fetcher.Dispose();
}
