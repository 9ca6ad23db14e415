using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Agentry.Cli.Tests.Infrastructure;

/// <summary>What one <c>agentry</c> process did.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout parsed as JSON (for <c>--json</c>).</summary>
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Stdout);
            return document.RootElement.Clone();
        }
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs the real <c>agentry</c> tool (the built <c>agentry.dll</c>) as a process, connected by environment variables,
/// with its own config directory so profiles never touch the user's.
/// </summary>
public sealed class AgentryCli(Uri? url, string? apiKey) : IDisposable
{
    public string ConfigHome { get; } = Directory.CreateTempSubdirectory("agentry-cli-config-").FullName;

    public async Task<CliResult> RunAsync(params string[] args) => await RunWithInputAsync(null, args);

    public async Task<CliResult> RunWithInputAsync(string? stdin, params string[] args)
    {
        using var process = Start(args, stdin is not null);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"agentry {string.Join(' ', args)} did not end within 2 minutes:\n{await stdout}\n{await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts <c>agentry</c> without waiting; the caller reads its output and waits.</summary>
    public Process Start(IEnumerable<string> args, bool redirectInput = false)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = ConfigHome,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "agentry.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("AGENTRY_URL");
        start.Environment.Remove("AGENTRY_API_KEY");
        start.Environment.Remove("AGENTRY_PROFILE");
        if (url is not null)
        {
            start.Environment["AGENTRY_URL"] = url.ToString();
        }

        if (apiKey is not null)
        {
            start.Environment["AGENTRY_API_KEY"] = apiKey;
        }

        start.Environment["XDG_CONFIG_HOME"] = ConfigHome;
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(ConfigHome, recursive: true);
        }
        catch (IOException)
        {
            // Only a temporary directory is left behind.
        }
    }
}
