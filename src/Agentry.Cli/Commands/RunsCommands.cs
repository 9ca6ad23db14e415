using System.CommandLine;
using Agentry.Client;
using Spectre.Console;

namespace Agentry.Cli.Commands;

/// <summary><c>agentry runs …</c>: list, inspect, watch, cancel, repeat and score runs.</summary>
internal static partial class RunsCommands
{
    public static Command Create(GlobalOptions global)
    {
        var runs = new Command("runs", "List, inspect, watch, cancel, rerun and score runs.");
        runs.Subcommands.Add(List(global));
        runs.Subcommands.Add(Get(global));
        runs.Subcommands.Add(Events(global));
        runs.Subcommands.Add(Watch(global));
        runs.Subcommands.Add(Cancel(global));
        runs.Subcommands.Add(Rerun(global));
        runs.Subcommands.Add(Feedback(global));
        return runs;
    }

    private static Argument<string> RunId() => new("run-id") { Description = "The run's id (run_…)" };

    private static Command List(GlobalOptions global)
    {
        var agent = new Option<string?>("--agent") { Description = "Only runs of this agent" };
        var status = new Option<string?>("--status") { Description = "Only runs in this status" };
        status.AcceptOnlyFromAmong("pending", "running", "done", "error");
        var errorCode = new Option<string?>("--error-code") { Description = "Only runs that ended with this error code (timeout, cancelled, …)" };
        var limit = new Option<int?>("--limit") { Description = "Page size, 1–100 (default 20)" };
        var cursor = new Option<string?>("--cursor") { Description = "Continue from the nextCursor of a previous page" };
        var command = new Command(
            "list",
            "List runs, newest first.\n\nExamples:\n  agentry runs list --agent agt_123 --status error\n  agentry runs list --json --limit 100 --cursor <nextCursor>")
        {
            agent,
            status,
            errorCode,
            limit,
            cursor,
        };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            var p = context.Parse;
            using var client = context.CreateClient();
            var page = await client.ListRunsAsync(
                new RunListQuery
                {
                    AgentId = p.GetValue(agent),
                    Status = p.GetValue(status) is { } s ? Enum.Parse<RunStatus>(s, ignoreCase: true) : null,
                    ErrorCode = p.GetValue(errorCode),
                    Limit = p.GetValue(limit),
                    Cursor = p.GetValue(cursor),
                },
                cancellationToken);
            if (context.Json)
            {
                context.WriteJson(page);
                return ExitCodes.Success;
            }

            context.Out.Write(Tables.Runs(page.Items));
            context.Out.MarkupLine($"[grey]{page.Items.Count} of {page.Total}{(page.NextCursor is { } next ? $"; next page: --cursor {Markup.Escape(next)}" : "")}[/]");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Get(GlobalOptions global)
    {
        var id = RunId();
        var command = new Command("get", "Show a run with its result or error.\n\nExample:\n  agentry runs get run_123 --json") { id };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var run = await client.GetRunAsync(context.Parse.GetValue(id)!, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(run);
                return ExitCodes.Success;
            }

            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("Id", Markup.Escape(run.Id));
            grid.AddRow("Agent", Markup.Escape(run.AgentId));
            grid.AddRow("Revision", Markup.Escape(run.RevisionId));
            grid.AddRow("Status", Tables.Status(run));
            grid.AddRow("Input", Markup.Escape(CliContext.FormatJson(run.Input)));
            grid.AddRow("Created", Tables.Time(run.CreatedAt));
            grid.AddRow("Completed", Tables.Time(run.CompletedAt));
            grid.AddRow("Usage", Markup.Escape($"{run.Usage.TotalTokens} tokens, ${run.Usage.CostUsd}, {run.Usage.ModelCalls} model calls, {run.Usage.ToolCalls} tool calls"));
            if (run.Error is { } error)
            {
                grid.AddRow("Error", Markup.Escape($"{error.Code}: {error.Message}"));
            }

            context.Out.Write(grid);
            if (run.Document is { } document)
            {
                context.Out.WriteLine();
                Console.Out.WriteLine(document);
            }
            else if (run.ResultData is { } data)
            {
                Console.Out.WriteLine(CliContext.FormatJson(data));
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Events(GlobalOptions global)
    {
        var id = RunId();
        var command = new Command("events", "List a run's events in order.\n\nExample:\n  agentry runs events run_123 --json") { id };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var runId = context.Parse.GetValue(id)!;
            var events = new List<RunEvent>();
            AgentryPage<RunEvent> page;
            do
            {
                page = await client.ListEventsAsync(runId, limit: 100, offset: events.Count, cancellationToken: cancellationToken);
                events.AddRange(page.Items);
            }
            while (page.Items.Count > 0 && events.Count < page.Total);

            if (context.Json)
            {
                context.WriteJson(events);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Seq", "Type", "Started", "Finished", "Data");
            foreach (var e in events)
            {
                var data = e.Data.GetRawText();
                table.AddRow(e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(e.Type), Tables.Time(e.StartedAt), Tables.Time(e.FinishedAt), Markup.Escape(data.Length > 100 ? data[..97] + "…" : data));
            }

            context.Out.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Watch(GlobalOptions global)
    {
        var id = RunId();
        var command = new Command(
            "watch",
            "Follow a run live until it ends, then print its result; reconnects on its own if the connection or the server drops. Exit code 1 when it ends in error.\n\nExample:\n  agentry runs watch run_123")
        {
            id,
        };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            return await new RunWatcher(context, client).WatchAsync(context.Parse.GetValue(id)!, header: null, cancellationToken);
        }));
        return command;
    }

    private static Command Cancel(GlobalOptions global)
    {
        var id = RunId();
        var command = new Command("cancel", "Cancel a run; it ends in error with code cancelled.\n\nExample:\n  agentry runs cancel run_123") { id };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var run = await client.CancelRunAsync(context.Parse.GetValue(id)!, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(run);
            }
            else
            {
                context.Out.MarkupLine($"Cancelling {Markup.Escape(run.Id)}.");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Rerun(GlobalOptions global)
    {
        var id = RunId();
        var revision = new Option<string?>("--revision") { Description = "Run it on another revision" };
        var command = new Command("rerun", "Start a new run with the same input.\n\nExample:\n  agentry runs rerun run_123 --revision rev_456") { id, revision };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var run = await client.RerunAsync(context.Parse.GetValue(id)!, context.Parse.GetValue(revision), cancellationToken);
            if (context.Json)
            {
                context.WriteJson(run);
            }
            else
            {
                context.Out.MarkupLine($"Started [bold]{Markup.Escape(run.Id)}[/]. Watch it with: agentry runs watch {Markup.Escape(run.Id)}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Feedback(GlobalOptions global)
    {
        var id = RunId();
        var scores = new Argument<string[]>("scores")
        {
            Description = "key=score pairs, each score from 0 to 1 (e.g. accuracy=0.9); none lists the run's feedback",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var comment = new Option<string?>("--comment") { Description = "A comment stored with each score" };
        var command = new Command(
            "feedback",
            "Score a finished run under one or more keys (a key scored again is replaced), then show its feedback.\n\nExamples:\n  agentry runs feedback run_123 accuracy=0.9 --comment \"Two sources were outdated\"\n  agentry runs feedback run_123 accuracy=1 clarity=0.5\n  agentry runs feedback run_123 --json")
        {
            id,
            scores,
            comment,
        };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            var runId = context.Parse.GetValue(id)!;
            var pairs = (context.Parse.GetValue(scores) ?? []).Select(ParseScore).ToList();
            using var client = context.CreateClient();
            foreach (var (key, score) in pairs)
            {
                await client.SetRunFeedbackAsync(runId, key, score, context.Parse.GetValue(comment), cancellationToken);
            }

            var feedback = await client.ListRunFeedbackAsync(runId, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(feedback);
                return ExitCodes.Success;
            }

            if (feedback.Count == 0)
            {
                context.Out.MarkupLine($"Run {Markup.Escape(runId)} has no feedback yet. Score it with: agentry runs feedback {Markup.Escape(runId)} accuracy=0.9");
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Key", "Score", "Comment", "Updated");
            foreach (var f in feedback)
            {
                table.AddRow(Markup.Escape(f.Key), f.Score.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(f.Comment ?? ""), Tables.Time(f.UpdatedAt));
            }

            context.Out.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static (string Key, double Score) ParseScore(string pair)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        // Checked here as the server checks them, so that a bad pair is refused before any score of the command is stored.
        if (equals <= 0
            || !FeedbackKey().IsMatch(pair[..equals])
            || !double.TryParse(pair[(equals + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var score)
            || score is < 0 or > 1)
        {
            throw new CliUsageException(
                $"'{pair}' is not key=score; give a key (letters, digits, '_', '-', '.', ':', at most 64) and a number from 0 to 1, such as accuracy=0.9. Nothing was stored.");
        }

        return (pair[..equals], score);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex FeedbackKey();
}
