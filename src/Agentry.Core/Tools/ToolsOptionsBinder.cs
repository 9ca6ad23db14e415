using System.Globalization;
using Agentry.Core.Tools.Search;
using Microsoft.Extensions.Configuration;

namespace Agentry.Core.Tools;

/// <summary>
/// Reads <see cref="ToolsOptions"/> from configuration by hand, as the model settings are read: the shape is small and
/// this keeps reflection-based binding out of the core. Values that do not parse become binding errors for the validator.
/// </summary>
internal static class ToolsOptionsBinder
{
    /// <param name="configuration">The configuration root: <c>Agentry:Tools</c> and the environment variables holding search keys are read.</param>
    /// <param name="options">The options to fill.</param>
    public static void Bind(IConfiguration configuration, ToolsOptions options)
    {
        var section = configuration.GetSection(ToolsOptions.SectionName);
        var browse = section.GetSection("Browse");
        options.Browse.AllowedHosts.AddRange(List(browse.GetSection("AllowedHosts")));
        options.Browse.AllowedNetworks.AddRange(List(browse.GetSection("AllowedNetworks")));
        var browseKey = $"{ToolsOptions.SectionName}:Browse";
        options.Browse.MaxResponseBytes = Positive(browse, "MaxResponseBytes", browseKey, options.BindingErrors) ?? options.Browse.MaxResponseBytes;
        options.Browse.TimeoutSeconds = Positive(browse, "TimeoutSeconds", browseKey, options.BindingErrors) ?? options.Browse.TimeoutSeconds;
        options.Browse.MaxTextChars = Positive(browse, "MaxTextChars", browseKey, options.BindingErrors) ?? options.Browse.MaxTextChars;
        options.Browse.MaxRedirects = Positive(browse, "MaxRedirects", browseKey, options.BindingErrors, allowZero: true) ?? options.Browse.MaxRedirects;

        var code = section.GetSection("CodeInterpreter");
        var codeKey = $"{ToolsOptions.SectionName}:CodeInterpreter";
        var interpreter = options.CodeInterpreter;
        interpreter.TimeoutSeconds = Positive(code, "TimeoutSeconds", codeKey, options.BindingErrors) ?? interpreter.TimeoutSeconds;
        interpreter.MemoryLimitMb = Positive(code, "MemoryLimitMb", codeKey, options.BindingErrors) ?? interpreter.MemoryLimitMb;
        interpreter.MaxStatements = Positive(code, "MaxStatements", codeKey, options.BindingErrors) ?? interpreter.MaxStatements;
        interpreter.MaxRecursionDepth = Positive(code, "MaxRecursionDepth", codeKey, options.BindingErrors) ?? interpreter.MaxRecursionDepth;
        interpreter.MaxOutputChars = Positive(code, "MaxOutputChars", codeKey, options.BindingErrors) ?? interpreter.MaxOutputChars;

        var search = section.GetSection("Search");
        var searchOptions = options.Search;
        searchOptions.Provider = Text(search["Provider"]);
        searchOptions.SearxngUrl = Text(search["SearxngUrl"]);
        searchOptions.BaseUrl = Text(search["BaseUrl"]);

        // Keys conventionally live in the environment; the host's configuration includes it, and tests set them without the process.
        searchOptions.BraveApiKey = Text(search["BraveApiKey"]) ?? Text(configuration["BRAVE_API_KEY"]);
        searchOptions.TavilyApiKey = Text(search["TavilyApiKey"]) ?? Text(configuration["TAVILY_API_KEY"]);
        searchOptions.MaxResults = Positive(search, "MaxResults", SearchOptions.SectionName, options.BindingErrors) ?? searchOptions.MaxResults;
        searchOptions.TimeoutSeconds = Positive(search, "TimeoutSeconds", SearchOptions.SectionName, options.BindingErrors) ?? searchOptions.TimeoutSeconds;
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // A list is either children (AllowedHosts:0, AllowedHosts:1, as JSON arrays bind) or one comma-separated value
    // (handy in an environment variable).
    private static IEnumerable<string> List(IConfigurationSection section)
    {
        var values = section.GetChildren().Select(child => child.Value).ToList();
        if (section.Value is { } single)
        {
            values.AddRange(single.Split(','));
        }

        return values.Where(value => !string.IsNullOrWhiteSpace(value)).Select(value => value!.Trim());
    }

    private static int? Positive(IConfiguration section, string name, string key, List<string> errors, bool allowZero = false)
    {
        var text = section[name];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && (value > 0 || (allowZero && value == 0)))
        {
            return value;
        }

        errors.Add($"{key}:{name} must be a {(allowZero ? "non-negative" : "positive")} integer; '{text}' is not.");
        return null;
    }
}
