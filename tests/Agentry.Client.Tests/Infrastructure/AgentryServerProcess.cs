using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Agentry.Client.Tests.Infrastructure;

/// <summary>
/// The real server as a separate process (the built <c>Agentry.Server.dll</c>) on a free loopback port, with its own
/// temporary data directory and <see cref="BootstrapKey"/> as the admin key. It can be killed and started again on the
/// same port and data, as an operator's restart.
/// </summary>
public sealed class AgentryServerProcess : IAsyncDisposable
{
    /// <summary>The default organization's admin key (scopes admin and system).</summary>
    public const string BootstrapKey = "agentry_test_bootstrap_key_0123456789";

    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private AgentryServerProcess(string dataDir, int port, IReadOnlyDictionary<string, string> settings)
    {
        DataDir = dataDir;
        Address = new Uri($"http://127.0.0.1:{port}");
        _settings = settings;
    }

    /// <summary>Where the server listens.</summary>
    public Uri Address { get; }

    /// <summary>The server's data directory (deleted on dispose).</summary>
    public string DataDir { get; }

    /// <summary>Everything the process printed so far.</summary>
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

    /// <summary>Starts a server and waits until <c>/healthz</c> answers.</summary>
    public static async Task<AgentryServerProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "agentry-client-tests", Guid.NewGuid().ToString("N"));
        var server = new AgentryServerProcess(dataDir, FreePort(), settings ?? new Dictionary<string, string>());
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>A client for this server with <paramref name="apiKey"/> (the bootstrap key when null).</summary>
    public AgentryClient CreateClient(string? apiKey = null, Action<AgentryClientOptions>? configure = null)
    {
        var options = new AgentryClientOptions { BaseAddress = Address, ApiKey = apiKey ?? BootstrapKey };
        configure?.Invoke(options);
        return new AgentryClient(new HttpClient(), options);
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown code runs, as in a crash.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Kills the server and starts it again on the same port and data directory.</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        _process?.Dispose();
        await StartProcessAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // Never created, or a file still held open: only a temporary directory is left behind.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Agentry.Server.dll"), "--urls", Address.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["Agentry__DataDir"] = DataDir;
        start.Environment["Agentry__BootstrapApiKey"] = BootstrapKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in _settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitUntilHealthyAsync(process);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilHealthyAsync(Process process)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The server did not become healthy within 60 s:\n{Output}");
    }
}

/// <summary>One server process shared by the tests of a class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private AgentryServerProcess? _server;

    /// <summary>The server.</summary>
    public AgentryServerProcess Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => _server = await AgentryServerProcess.StartAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
