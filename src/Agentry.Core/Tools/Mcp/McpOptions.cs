using Microsoft.Extensions.Configuration;

namespace Agentry.Core.Tools.Mcp;

/// <summary>The MCP servers of <c>Agentry:Mcp:Servers:&lt;id&gt;</c>: a stdio command or a streamable HTTP URL each.</summary>
public sealed class McpOptions
{
    /// <summary>The configuration section of the servers.</summary>
    public const string SectionName = "Agentry:Mcp:Servers";

    /// <summary>The servers by id (configuration lists them sorted by id).</summary>
    public Dictionary<string, McpServerOptions> Servers { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads every server of <see cref="SectionName"/> into <paramref name="options"/>.</summary>
    public static void Bind(IConfiguration configuration, McpOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var server in configuration.GetSection(SectionName).GetChildren())
        {
            options.Servers[server.Key] = new McpServerOptions
            {
                Command = server["Command"],
                Arguments = server.GetSection("Arguments").GetChildren().Select(a => a.Value ?? string.Empty).ToList(),
                Environment = server.GetSection("Environment").GetChildren().ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
                Url = server["Url"],
            };
        }
    }
}

/// <summary>One MCP server: exactly one of <see cref="Command"/> (stdio) and <see cref="Url"/> (streamable HTTP).</summary>
public sealed class McpServerOptions
{
    public string? Command { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public string? Url { get; init; }
}
