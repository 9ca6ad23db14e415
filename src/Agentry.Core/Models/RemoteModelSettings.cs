namespace Agentry.Core.Models;

/// <summary>The settings every remote provider resolves the same way: the API key, and an endpoint given as a setting.</summary>
internal static class RemoteModelSettings
{
    /// <summary>
    /// The stack's key: <c>ApiKey</c> when configured, else the variable named by <c>ApiKeyEnvironmentVariable</c>, else
    /// the provider's conventional variable. When there is none, the reason names the variable that was read.
    /// </summary>
    public static (string? Key, string? Reason) ApiKey(string stackId, ModelStackOptions options, ModelEnvironment environment, string conventionalVariable)
    {
        if (options.ApiKey is { Length: > 0 } configured)
        {
            return (configured, null);
        }

        var variable = options.ApiKeyEnvironmentVariable ?? conventionalVariable;
        return environment[variable] is { } key
            ? (key, null)
            : (null, $"{variable} is not set (the model stack '{stackId}' reads its API key from it; or set {ModelsOptions.SectionName}:Stacks:{stackId}:ApiKey).");
    }

    /// <summary>The stack's <c>Endpoint</c>, else the URL in <paramref name="variable"/>, else null; a URL that does not parse is a reason.</summary>
    public static (Uri? Endpoint, string? Reason) Endpoint(string stackId, ModelStackOptions options, ModelEnvironment environment, string variable)
    {
        if (options.Endpoint is { } configured)
        {
            return (configured, null);
        }

        if (environment[variable] is not { } text)
        {
            return (null, null);
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var endpoint) && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps)
            ? (endpoint, null)
            : (null, $"{variable} is not an absolute http(s) URL (was '{text}'); the model stack '{stackId}' cannot use it.");
    }
}
