using Microsoft.Extensions.Options;

namespace Agentry.Core.Tools.Mcp;

/// <summary>Refuses to start with an MCP server that has neither or both of Command and Url, or a URL that is not http(s).</summary>
internal sealed class McpOptionsValidator : IValidateOptions<McpOptions>
{
    public ValidateOptionsResult Validate(string? name, McpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var (id, server) in options.Servers)
        {
            var key = $"{McpOptions.SectionName}:{id}";
            var hasCommand = !string.IsNullOrWhiteSpace(server.Command);
            var hasUrl = !string.IsNullOrWhiteSpace(server.Url);
            if (hasCommand == hasUrl)
            {
                errors.Add($"{key} must set exactly one of Command (a stdio server) and Url (a streamable HTTP server).");
            }
            else if (hasUrl && !(Uri.TryCreate(server.Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                errors.Add($"{key}:Url is '{server.Url}', which is not an absolute http or https URL.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
