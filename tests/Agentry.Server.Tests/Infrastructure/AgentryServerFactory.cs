using System.Net.Http.Json;
using System.Text.Json;
using Agentry.Server.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Agentry.Server.Tests.Infrastructure;

/// <summary>
/// Hosts the whole server in memory with its own temporary data directory (so its own SQLite database) and
/// <see cref="BootstrapKey"/> as the default organization's admin key. Use it as a class fixture
/// (<c>IClassFixture&lt;AgentryServerFactory&gt;</c>) or create one per test for special settings.
/// </summary>
public class AgentryServerFactory : WebApplicationFactory<Program>
{
    /// <summary>The default organization's admin key (scopes admin and system).</summary>
    public const string BootstrapKey = "agentry_test_bootstrap_key_0123456789";

    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDataDir;
    private readonly StringWriter _console = new();
    private readonly List<Action<IServiceCollection>> _serviceOverrides = [];

    /// <summary>A server with the default settings and the bootstrap key.</summary>
    public AgentryServerFactory()
        : this(settings: null)
    {
    }

    /// <summary>A server with extra configuration (see <see cref="Create"/>).</summary>
    protected AgentryServerFactory(IReadOnlyDictionary<string, string?>? settings, string? dataDir = null)
    {
        _ownsDataDir = dataDir is null;
        DataDir = dataDir ?? Path.Combine(Path.GetTempPath(), "agentry-server-tests", Guid.NewGuid().ToString("N"));
        _settings = new Dictionary<string, string?>
        {
            ["Agentry:DataDir"] = DataDir,
            ["Agentry:BootstrapApiKey"] = BootstrapKey,
            // The stdio MCP test server (tests/McpTestServer), with the tools read, search and fail.
            ["Agentry:Mcp:Servers:files:Command"] = "python3",
            ["Agentry:Mcp:Servers:files:Arguments:0"] = Path.Combine(AppContext.BaseDirectory, "Mcp", "mcp_test_server.py"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>A server with extra configuration, for tests that need their own.</summary>
    /// <param name="settings">Configuration keys to set (<c>Agentry:RateLimit:RequestsPerSecond</c>, …); a null value removes the default.</param>
    /// <param name="dataDir">An existing data directory to reuse (a "restart"); a new temporary one when null, deleted on dispose.</param>
    public static AgentryServerFactory Create(IReadOnlyDictionary<string, string?>? settings = null, string? dataDir = null) => new(settings, dataDir);

    /// <summary>The server's data directory.</summary>
    public string DataDir { get; }

    /// <summary>What the server printed for its operator (e.g. a generated admin key).</summary>
    public string ConsoleOutput
    {
        get
        {
            lock (_console)
            {
                return _console.ToString();
            }
        }
    }

    /// <summary>Replaces services before the server starts (call before the first client is created).</summary>
    public AgentryServerFactory WithServices(Action<IServiceCollection> configure)
    {
        _serviceOverrides.Add(configure);
        return this;
    }

    /// <summary>A client that sends <paramref name="apiKey"/> as <c>X-API-Key</c>.</summary>
    public HttpClient CreateClient(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        return client;
    }

    /// <summary>A client with the default organization's admin key.</summary>
    public HttpClient CreateAdminClient() => CreateClient(BootstrapKey);

    /// <summary>Creates another organization (with the system scope of the bootstrap key) and answers its id and admin key.</summary>
    public async Task<TestOrganization> CreateOrganizationAsync(string name = "Second org")
    {
        using var client = CreateAdminClient();
        using var response = await client.PostAsJsonAsync("/v1/organizations", new { name });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new TestOrganization(body.GetProperty("id").GetString()!, name, body.GetProperty("apiKey").GetString()!);
    }

    /// <summary>Creates a key with <paramref name="scopes"/> in the organization of <paramref name="adminKey"/> and answers its secret.</summary>
    public async Task<string> CreateApiKeyAsync(string adminKey, params string[] scopes)
    {
        using var client = CreateClient(adminKey);
        using var response = await client.PostAsJsonAsync("/v1/api-keys", new { name = "test key", scopes });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("key").GetString()!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(new OperatorConsole(TextWriter.Synchronized(_console)));
            foreach (var configure in _serviceOverrides)
            {
                configure(services);
            }
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _console.Dispose();
        if (_ownsDataDir && Directory.Exists(DataDir))
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
                // A file still open (SQLite's pool) only leaves a temporary directory behind.
            }
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>An organization made by a test: its id, name and first admin key.</summary>
public sealed record TestOrganization(string Id, string Name, string AdminKey);
