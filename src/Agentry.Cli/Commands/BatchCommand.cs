using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Agentry.Client;
using Spectre.Console;

namespace Agentry.Cli.Commands;

/// <summary><c>agentry batch</c>: starts one run per line of a JSONL file, follows them with a progress bar, and sums them up.</summary>
internal static class BatchCommand
{
    /// <summary>The most runs one batch request may start (API.md).</summary>
    private const int MaxPerRequest = 1000;

    public static Command Create(GlobalOptions global)
    {
        var agentId = new Argument<string>("agent-id") { Description = "The agent to run (agt_…)" };
        var inputs = new Option<string>("--inputs") { Description = "A JSONL file: one input object per line (- reads stdin)", Required = true };
        var revision = new Option<string?>("--revision") { Description = "The revision to run (else the published one, else the latest)" };
        var command = new Command(
            "batch",
            """
            Start one run per line of a JSONL file and follow them to the end.

            Starts the runs in chunks of 1,000 (each all or nothing), shows a progress bar, then a summary: done, errors
            by code, p50/p95 duration and cost. Exit code 1 when any run ended in error.

            Example:
              agentry batch agt_123 --inputs topics.jsonl
            """)
        {
            agentId,
            inputs,
            revision,
        };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            var id = context.Parse.GetValue(agentId)!;
            var lines = ReadLines(context.Parse.GetValue(inputs)!);
            using var client = context.CreateClient();
            var started = new List<Run>();
            foreach (var chunk in lines.Chunk(MaxPerRequest))
            {
                started.AddRange(await client.StartRunBatchAsync(id, chunk, context.Parse.GetValue(revision), cancellationToken));
            }

            var runs = await FollowAsync(context, client, id, started, cancellationToken);
            return Summarise(context, runs);
        }));
        return command;
    }

    private static List<JsonElement> ReadLines(string path)
    {
        string[] lines;
        try
        {
            lines = path == "-" ? Console.In.ReadToEnd().Split('\n') : File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"Cannot read {path}: {ex.Message}");
        }

        var inputs = new List<JsonElement>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }

            var input = JsonFiles.Parse(lines[i], $"Line {i + 1} of {path}");
            if (input.ValueKind != JsonValueKind.Object)
            {
                throw new CliUsageException($"Line {i + 1} of {path} is not a JSON object; each line must be one run's input, such as {{\"topic\": \"…\"}}.");
            }

            inputs.Add(input);
        }

        return inputs.Count > 0 ? inputs : throw new CliUsageException($"{path} holds no inputs; write one JSON object per line.");
    }

    /// <summary>Polls the agent's runs (a page of 100 per request) until every started run has ended.</summary>
    private static async Task<IReadOnlyList<Run>> FollowAsync(CliContext context, AgentryClient client, string agentId, List<Run> started, CancellationToken cancellationToken)
    {
        var latest = started.ToDictionary(r => r.Id);
        var since = started.Min(r => r.CreatedAt);
        var lastReported = -1;

        async Task<int> RefreshAsync()
        {
            await foreach (var run in client.ListAllRunsAsync(new RunListQuery { AgentId = agentId, CreatedAfter = since, Limit = 100 }, cancellationToken))
            {
                if (latest.ContainsKey(run.Id))
                {
                    latest[run.Id] = run;
                }
            }

            return latest.Values.Count(r => r.IsTerminal);
        }

        if (context.Interactive)
        {
            await context.Out.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask($"{started.Count} runs", maxValue: started.Count);
                    while (true)
                    {
                        var ended = await RefreshAsync();
                        task.Value = ended;
                        task.Description = $"{ended}/{started.Count} ended";
                        if (ended == started.Count)
                        {
                            return;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    }
                });
        }
        else
        {
            while (true)
            {
                var ended = await RefreshAsync();
                if (!context.Json && ended != lastReported)
                {
                    context.Out.WriteLine($"progress: {ended}/{started.Count} ended");
                    lastReported = ended;
                }

                if (ended == started.Count)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }

        return [.. started.Select(r => latest[r.Id])];
    }

    private static int Summarise(CliContext context, IReadOnlyList<Run> runs)
    {
        var done = runs.Count(r => r.Status == RunStatus.Done);
        var errors = runs.Where(r => r.Status == RunStatus.Error)
            .GroupBy(r => r.Error?.Code ?? "unknown")
            .OrderByDescending(g => g.Count())
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var durations = runs
            .Where(r => r.CompletedAt is not null)
            .Select(r => (r.CompletedAt!.Value - (r.StartedAt ?? r.CreatedAt)).TotalMilliseconds)
            .Order()
            .ToList();
        var p50 = Percentile(durations, 0.50);
        var p95 = Percentile(durations, 0.95);
        var cost = runs.Sum(r => r.Usage.CostUsd);
        var exitCode = errors.Count == 0 ? ExitCodes.Success : ExitCodes.RunFailed;
        if (context.Json)
        {
            context.WriteJson(new
            {
                total = runs.Count,
                done,
                error = runs.Count - done,
                errorCodes = errors,
                durationMs = new { p50, p95 },
                costUsd = cost,
                runIds = runs.Select(r => r.Id),
            });
            return exitCode;
        }

        var table = new Table().AddColumns("Runs", "Done", "Errors", "p50", "p95", "Cost");
        table.AddRow(
            runs.Count.ToString(CultureInfo.InvariantCulture),
            $"[green]{done}[/]",
            errors.Count == 0 ? "0" : Markup.Escape(string.Join(", ", errors.Select(e => $"{e.Key} {e.Value}"))),
            Seconds(p50),
            Seconds(p95),
            cost.ToString("$0.0000", CultureInfo.InvariantCulture));
        context.Out.Write(table);
        return exitCode;
    }

    /// <summary>The nearest-rank percentile of sorted values; 0 when there are none.</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)]);

    private static string Seconds(double milliseconds) => (milliseconds / 1000).ToString("0.0 s", CultureInfo.InvariantCulture);
}
