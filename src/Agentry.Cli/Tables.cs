using System.Globalization;
using Agentry.Client;
using Spectre.Console;

namespace Agentry.Cli;

/// <summary>How the tables of the CLI show common values.</summary>
internal static class Tables
{
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    public static string Status(Run run) => run.Status switch
    {
        RunStatus.Done => "[green]done[/]",
        RunStatus.Error => $"[red]error[/] {Markup.Escape(run.Error?.Code ?? "")}",
        RunStatus.Running => "[yellow]running[/]",
        _ => "[grey]pending[/]",
    };

    public static Table Runs(IEnumerable<Run> runs)
    {
        var table = new Table().AddColumns("Id", "Agent", "Status", "Created", "Tokens", "Cost");
        foreach (var run in runs)
        {
            table.AddRow(
                Markup.Escape(run.Id),
                Markup.Escape(run.AgentId),
                Status(run),
                Time(run.CreatedAt),
                run.Usage.TotalTokens.ToString("N0", CultureInfo.InvariantCulture),
                run.Usage.CostUsd.ToString("$0.0000", CultureInfo.InvariantCulture));
        }

        return table;
    }
}
