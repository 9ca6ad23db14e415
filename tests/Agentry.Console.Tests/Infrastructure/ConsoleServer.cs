using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agentry.Console.Tests.Infrastructure;

/// <summary>
/// The real server as a process (the built <c>Agentry.Server.dll</c> with its console) on a free loopback port, with
/// a fresh data directory and a known admin key, plus an API client for setting up agents and runs.
/// </summary>
public sealed class ConsoleServer : IAsyncDisposable
{
    /// <summary>The default organization's admin key.</summary>
    public const string AdminKey = "agentry_console_e2e_admin_key_0123456789";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dataDir;

    private ConsoleServer(Process process, Uri address, string dataDir)
    {
        _process = process;
        Address = address;
        _dataDir = dataDir;
        Api = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(90) };
        Api.DefaultRequestHeaders.Add("X-API-Key", AdminKey);
    }

    /// <summary>Where the server listens.</summary>
    public Uri Address { get; }

    /// <summary>A client with the admin key.</summary>
    public HttpClient Api { get; }

    /// <summary>Everything the server printed.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ConsoleServer> StartAsync(CancellationToken cancellationToken)
    {
        var dataDir = Directory.CreateTempSubdirectory("agentry-console-e2e-").FullName;
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Agentry.Server.dll"), "--urls", address.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["Agentry__DataDir"] = dataDir;
        start.Environment["Agentry__BootstrapApiKey"] = AdminKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // local/offline-slow, slower: long enough to watch a run live and cancel it mid-way (about 10 s in all).
        start.Environment["Agentry__Models__Stacks__local/offline-slow__Provider"] = "local";
        start.Environment["Agentry__Models__Stacks__local/offline-slow__StepDelayMs"] = "3000";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var server = new ConsoleServer(process, address, dataDir);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilHealthyAsync(cancellationToken);
        return server;
    }

    /// <summary>Creates an agent through the API and answers its id.</summary>
    public async Task<string> CreateAgentAsync(JsonObject body, CancellationToken cancellationToken)
    {
        using var response = await Api.PostAsJsonAsync("/v1/agents", body, cancellationToken);
        response.EnsureSuccessStatusCode();
        var agent = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        return agent!["id"]!.GetValue<string>();
    }

    /// <summary>Starts a run through the API and answers its id.</summary>
    public async Task<string> StartRunAsync(string agentId, JsonObject input, CancellationToken cancellationToken)
    {
        using var response = await Api.PostAsJsonAsync($"/v1/agents/{agentId}/runs", input, cancellationToken);
        response.EnsureSuccessStatusCode();
        var run = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        return run!["id"]!.GetValue<string>();
    }

    /// <summary>Reads a run, waiting (long-poll) until it is terminal.</summary>
    public async Task<JsonObject> WaitForRunAsync(string runId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var run = await Api.GetFromJsonAsync<JsonObject>($"/v1/runs/{runId}?wait=30", cancellationToken);
            if (run!["status"]!.GetValue<string>() is "done" or "error")
            {
                return run;
            }
        }

        throw new TimeoutException($"Run {runId} did not end.");
    }

    /// <summary>A run's events, in seq order.</summary>
    public async Task<JsonArray> ListEventsAsync(string runId, CancellationToken cancellationToken)
    {
        var page = await Api.GetFromJsonAsync<JsonObject>($"/v1/runs/{runId}/events?limit=100", cancellationToken);
        return page!["items"]!.AsArray();
    }

    /// <summary>An agent body on an offline model stack with the given input schema.</summary>
    public static JsonObject Agent(string name, JsonObject inputSchema, string modelStackId = "local/offline", JsonArray? tools = null) => new()
    {
        ["name"] = name,
        ["description"] = $"{name}, made by the console tests.",
        ["modelStackId"] = modelStackId,
        ["goalPrompt"] = "Research {{topic}} and write a short cited report.",
        ["inputSchema"] = inputSchema,
        ["tools"] = tools ?? [],
        ["resultType"] = "document",
    };

    /// <summary>The smallest input schema: one required topic.</summary>
    public static JsonObject TopicSchema() => JsonNode.Parse("""{"type":"object","properties":{"topic":{"type":"string"}},"required":["topic"]}""")!.AsObject();

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process; the temp directory is cleaned by the system later.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Not answering yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"The server did not become ready:\n{Output}");
    }

    internal static string Json(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
