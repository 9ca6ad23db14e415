using System.Collections.Concurrent;
using ModelContextProtocol.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Tools.Mcp;

/// <summary>What one configured MCP server offers now: its tools, or why it cannot be reached.</summary>
public sealed record McpServerState(string Id, string Transport, IReadOnlyList<McpClientTool> Tools, string? Reason)
{
    /// <summary>Whether the server was reached and listed its tools.</summary>
    public bool Available => Reason is null;
}

/// <summary>A configured MCP server as <c>GET /v1/mcp-servers</c> lists it.</summary>
public sealed record McpServerInfo(string Id, string Transport, bool Available, string? Reason, IReadOnlyList<McpToolInfo> Tools);

/// <summary>One tool of an MCP server.</summary>
public sealed record McpToolInfo(string Name, string? Description);

/// <summary>
/// The configured MCP servers. Each is connected on first use (stdio or streamable HTTP) and its client and tool list
/// are kept; a failed connection is reported as a reason and tried again on the next use, never thrown.
/// </summary>
public sealed class McpServerRegistry(IOptions<McpOptions> options, ILoggerFactory? loggerFactory = null) : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private readonly McpOptions _options = options.Value;
    private readonly ILoggerFactory _loggerFactory = loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (McpClient Client, McpServerState State)> _connected = new(StringComparer.Ordinal);

    /// <summary>The configured server ids.</summary>
    public IReadOnlyList<string> ServerIds => [.. _options.Servers.Keys];

    /// <summary>Whether <paramref name="id"/> is configured.</summary>
    public bool IsConfigured(string id) => _options.Servers.ContainsKey(id);

    /// <summary>The server's tools, connecting first if needed; null when <paramref name="id"/> is not configured.</summary>
    public async Task<McpServerState?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!_options.Servers.TryGetValue(id, out var server))
        {
            return null;
        }

        if (_connected.TryGetValue(id, out var known))
        {
            return known.State;
        }

        var transportName = server.Url is null ? "stdio" : "http";
        var gate = _locks.GetOrAdd(id, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_connected.TryGetValue(id, out known))
            {
                return known.State;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            McpClient? client = null;
            try
            {
                client = await McpClient.CreateAsync(CreateTransport(id, server), null, _loggerFactory, timeout.Token);
                var tools = await client.ListToolsAsync(cancellationToken: timeout.Token);
                var state = new McpServerState(id, transportName, [.. tools], null);
                _connected[id] = (client, state);
                return state;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (client is not null)
                {
                    await client.DisposeAsync();
                }

                return new McpServerState(id, transportName, [], $"MCP server '{id}' could not be reached: {ex.Message}");
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Every configured server with its tools or the reason it is not available.</summary>
    public async Task<IReadOnlyList<McpServerInfo>> DescribeAsync(CancellationToken cancellationToken)
    {
        var infos = new List<McpServerInfo>();
        foreach (var id in _options.Servers.Keys)
        {
            var state = (await GetAsync(id, cancellationToken))!;
            infos.Add(new McpServerInfo(id, state.Transport, state.Available, state.Reason, [.. state.Tools.Select(t => new McpToolInfo(t.Name, t.Description))]));
        }

        return infos;
    }

    private IClientTransport CreateTransport(string id, McpServerOptions server) =>
        server.Url is { } url
            ? new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(url), Name = id }, _loggerFactory)
            : new StdioClientTransport(
                new StdioClientTransportOptions
                {
                    Command = server.Command!,
                    Arguments = [.. server.Arguments],
                    EnvironmentVariables = server.Environment.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
                    Name = id,
                },
                _loggerFactory);

    /// <summary>Disposes synchronously (for containers disposed with <c>Dispose</c>): closes every connection.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        foreach (var (client, _) in _connected.Values)
        {
            await client.DisposeAsync();
        }

        _connected.Clear();
        foreach (var gate in _locks.Values)
        {
            gate.Dispose();
        }
    }
}
