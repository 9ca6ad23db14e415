using Agentry.Core.Tools.Search;

namespace Agentry.Core.Tools;

/// <summary>The builtin tools' settings, from the <c>Agentry:Tools</c> configuration section.</summary>
public sealed class ToolsOptions
{
    public const string SectionName = "Agentry:Tools";

    public BrowseOptions Browse { get; } = new();

    public CodeInterpreterOptions CodeInterpreter { get; } = new();

    public SearchOptions Search { get; } = new();

    /// <summary>Values that did not parse, reported by the validator at start.</summary>
    public List<string> BindingErrors { get; } = [];
}

/// <summary>Settings of <c>browseWebsite</c> (<c>Agentry:Tools:Browse</c>).</summary>
public sealed class BrowseOptions
{
    /// <summary>
    /// Host names (exact, case-insensitive) that may be fetched whatever they resolve to, e.g. an intranet wiki.
    /// Everything else is refused when it resolves to a loopback, private, link-local, metadata or otherwise
    /// non-public address.
    /// </summary>
    public List<string> AllowedHosts { get; } = [];

    /// <summary>Networks in CIDR notation (<c>10.1.0.0/16</c>, <c>fd12::/64</c>) whose addresses may be fetched.</summary>
    public List<string> AllowedNetworks { get; } = [];

    /// <summary>The largest response body read, in bytes; a larger page is refused.</summary>
    public int MaxResponseBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>The time a whole fetch (redirects and body included) may take.</summary>
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>The most characters of extracted text returned to the model; the rest is cut and the cut is stated.</summary>
    public int MaxTextChars { get; set; } = 20_000;

    /// <summary>The most redirects followed; each hop is checked like the first request.</summary>
    public int MaxRedirects { get; set; } = 5;
}

/// <summary>Settings of <c>codeInterpreter</c> (<c>Agentry:Tools:CodeInterpreter</c>).</summary>
public sealed class CodeInterpreterOptions
{
    /// <summary>The wall-clock time a script may run.</summary>
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>The memory a script may allocate, in megabytes.</summary>
    public int MemoryLimitMb { get; set; } = 32;

    /// <summary>The most statements a script may execute.</summary>
    public int MaxStatements { get; set; } = 10_000_000;

    /// <summary>The deepest call stack a script may build.</summary>
    public int MaxRecursionDepth { get; set; } = 256;

    /// <summary>The most characters of <c>console</c> output (and of the value's JSON) returned; the rest is cut.</summary>
    public int MaxOutputChars { get; set; } = 20_000;
}
