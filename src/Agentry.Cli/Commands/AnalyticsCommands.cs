using System.CommandLine;
using System.Globalization;
using Agentry.Client;
using Spectre.Console;

namespace Agentry.Cli.Commands;

/// <summary><c>agentry analytics &lt;agent-id&gt;</c> and <c>agentry analytics overview</c>: run figures as a summary table.</summary>
internal static class AnalyticsCommands
{
    public static Command Create(GlobalOptions global)
    {
        var range = new RangeOptions();
        var agentId = new Argument<string>("agent-id") { Description = "The agent's id (agt_…)" };
        var revision = new Option<string?>("--revision") { Description = "Only runs of this revision" };
        var model = new Option<string?>("--model") { Description = "Only runs on this resolved model" };
        var analytics = new Command(
            "analytics",
            "Show an agent's run figures: runs, success rate, durations, tokens, cost, tool calls and feedback, in total and per day or hour.\n\n" +
            "Examples:\n  agentry analytics agt_123\n  agentry analytics agt_123 --from 2026-11-01 --to 2026-12-01 --bucket day --tz Europe/Berlin\n  agentry analytics overview --json")
        {
            agentId,
            revision,
            model,
        };
        range.AddTo(analytics);
        analytics.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var query = range.Read(context.Parse) with { RevisionId = context.Parse.GetValue(revision), Model = context.Parse.GetValue(model) };
            var id = context.Parse.GetValue(agentId)!;
            var report = await client.GetAgentAnalyticsAsync(id, query, cancellationToken);
            return Print(context, $"Agent {id}", report);
        }));

        var overviewRange = new RangeOptions();
        var overview = new Command(
            "overview",
            "Show the run figures of every agent of the organization together.\n\nExample:\n  agentry analytics overview --from 2026-11-01 --bucket day");
        overviewRange.AddTo(overview);
        overview.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var report = await client.GetAnalyticsOverviewAsync(overviewRange.Read(context.Parse), cancellationToken);
            return Print(context, "All agents", report);
        }));
        analytics.Subcommands.Add(overview);
        return analytics;
    }

    private static int Print(CliContext context, string title, AnalyticsReport report)
    {
        if (context.Json)
        {
            context.WriteJson(report);
            return ExitCodes.Success;
        }

        var total = report.Total;
        context.Out.MarkupLine($"[bold]{Markup.Escape(title)}[/] [grey]{Tables.Time(report.From)} → {Tables.Time(report.To)} · {Markup.Escape(report.Bucket)} buckets in {Markup.Escape(report.TimeZone)}[/]");
        var summary = new Table().AddColumns("Figure", "Value");
        summary.AddRow("Runs", Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{total.Runs:N0} ({total.ByStatus.Done:N0} done, {total.ByStatus.Error:N0} error, {total.ByStatus.Running:N0} running, {total.ByStatus.Pending:N0} pending)")));
        summary.AddRow("Success rate", Percent(total.SuccessRate));
        summary.AddRow("Duration p50 / p95", $"{Millis(total.DurationMs.P50)} / {Millis(total.DurationMs.P95)}");
        summary.AddRow("Queue wait p50 / p95", $"{Millis(total.QueueWaitMs.P50)} / {Millis(total.QueueWaitMs.P95)}");
        summary.AddRow("Tokens in / out", string.Create(CultureInfo.InvariantCulture, $"{total.Tokens.Input:N0} / {total.Tokens.Output:N0}"));
        summary.AddRow("Cost", string.Create(CultureInfo.InvariantCulture, $"${total.CostUsd:0.0000}{(total.CostPerRunUsd is { } perRun ? $" (${perRun:0.0000} per run)" : "")}"));
        summary.AddRow("Tool calls", Markup.Escape(Tools(total)));
        summary.AddRow("Feedback", Markup.Escape(Feedback(total)));
        if (total.ErrorCodes.Count > 0)
        {
            summary.AddRow("Errors", Markup.Escape(string.Join(", ", total.ErrorCodes.OrderByDescending(e => e.Value).Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key} {e.Value:N0}")))));
        }

        context.Out.Write(summary);
        var buckets = report.Series.Where(b => b.Runs > 0).ToList();
        if (buckets.Count == 0)
        {
            context.Out.MarkupLine("[grey]No runs in this range.[/]");
            return ExitCodes.Success;
        }

        var series = new Table().AddColumns("From", "Runs", "Success", "p50", "p95", "Tokens", "Cost");
        foreach (var bucket in buckets)
        {
            series.AddRow(
                Tables.Time(bucket.Start),
                bucket.Runs.ToString("N0", CultureInfo.InvariantCulture),
                Percent(bucket.SuccessRate),
                Millis(bucket.DurationMs.P50),
                Millis(bucket.DurationMs.P95),
                (bucket.Tokens.Input + bucket.Tokens.Output).ToString("N0", CultureInfo.InvariantCulture),
                bucket.CostUsd.ToString("$0.0000", CultureInfo.InvariantCulture));
        }

        context.Out.Write(series);
        return ExitCodes.Success;
    }

    private static string Percent(double? rate) => rate is { } r ? r.ToString("0.0%", CultureInfo.InvariantCulture) : "–";

    private static string Millis(double? ms) => ms switch
    {
        null => "–",
        >= 1000 => (ms.Value / 1000).ToString("0.0 's'", CultureInfo.InvariantCulture),
        _ => ms.Value.ToString("0 'ms'", CultureInfo.InvariantCulture),
    };

    private static string Tools(AnalyticsFigures figures)
    {
        if (figures.ToolCalls.Count == 0)
        {
            return "none";
        }

        var calls = figures.ToolCalls.Values.Sum(t => t.Calls);
        var errors = figures.ToolCalls.Values.Sum(t => t.Errors);
        var byTool = string.Join(", ", figures.ToolCalls.OrderByDescending(t => t.Value.Calls).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value.Calls:N0}")));
        return string.Create(CultureInfo.InvariantCulture, $"{calls:N0} ({errors:N0} failed): {byTool}");
    }

    private static string Feedback(AnalyticsFigures figures) =>
        figures.Feedback.Count == 0
            ? "none"
            : string.Join(", ", figures.Feedback.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Key} {f.Value.Mean:0.00} (n={f.Value.Count:N0})")));

    /// <summary>The range options shared by both commands.</summary>
    private sealed class RangeOptions
    {
        private readonly Option<DateTimeOffset?> _from = new("--from") { Description = "Start of the range (ISO 8601, e.g. 2026-11-01 or 2026-11-01T09:00Z); default 7 days before --to" };
        private readonly Option<DateTimeOffset?> _to = new("--to") { Description = "End of the range; default now" };
        private readonly Option<string?> _bucket = new("--bucket") { Description = "Series bucket: hour or day (default day)" };
        private readonly Option<string?> _tz = new("--tz") { Description = "IANA time zone the buckets follow, e.g. Europe/Berlin (default UTC)" };

        public RangeOptions() => _bucket.AcceptOnlyFromAmong("hour", "day");

        public void AddTo(Command command)
        {
            command.Options.Add(_from);
            command.Options.Add(_to);
            command.Options.Add(_bucket);
            command.Options.Add(_tz);
        }

        public AnalyticsQuery Read(ParseResult parse) => new()
        {
            From = parse.GetValue(_from),
            To = parse.GetValue(_to),
            Bucket = parse.GetValue(_bucket),
            TimeZone = parse.GetValue(_tz),
        };
    }
}
