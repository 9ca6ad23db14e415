using Agentry.Sqlite;

namespace Agentry.Server.Hosting;

/// <summary>
/// <c>Agentry.Server analytics rebuild [configuration…]</c>: rebuilds the analytics rollups from the runs table (with
/// the same configuration as the server, so the same data directory), prints how many finished runs it counted, and
/// exits. The rebuild is one write transaction: a server running on the same file waits for it.
/// </summary>
public static class AnalyticsRebuildCommand
{
    /// <summary>True when the command line starts with <c>analytics rebuild</c>.</summary>
    public static bool IsInvoked(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Length >= 2
            && string.Equals(args[0], "analytics", StringComparison.OrdinalIgnoreCase)
            && string.Equals(args[1], "rebuild", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Runs the command; the arguments after <c>analytics rebuild</c> are configuration (<c>--Agentry:DataDir=…</c>).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = WebApplication.CreateBuilder(args[2..]);
        builder.AddAgentry();
        await using var app = builder.Build();
        var store = app.Services.GetRequiredService<SqliteStore>();
        await store.MigrateAsync();
        var runs = await store.RebuildRollupsAsync(CancellationToken.None);
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SqliteStoreOptions>>().Value;
        await Console.Out.WriteLineAsync($"Rebuilt the analytics rollups of {options.DataSource} from {runs} finished runs.");
        return 0;
    }
}
