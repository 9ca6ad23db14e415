using System.Globalization;
using System.Text.Json;
using Agentry.Client;
using Spectre.Console;

namespace Agentry.Cli;

/// <summary>
/// Shows a run as it happens, from its event stream (which resumes by position after a dropped connection or a server
/// restart): each step as a line once it is finished, the step in progress with a spinner, and tokens and cost as they
/// grow; then the result. Ctrl-C asks whether to cancel the run.
/// </summary>
internal sealed class RunWatcher(CliContext context, AgentryClient client)
{
    private readonly HashSet<int> _printed = [];
    private readonly Dictionary<int, RunEvent> _events = [];
    private long _position;

    /// <summary>
    /// Watches until the run ends (or the user leaves it running) and prints it; answers the exit code.
    /// <paramref name="header"/> is printed once Ctrl-C is handled, so an interrupt after it always reaches the question.
    /// </summary>
    public async Task<int> WatchAsync(string runId, string? header, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
            {
                e.Cancel = true;
                interrupt.Cancel();
            }

            Console.CancelKeyPress += OnCancelKeyPress;
            if (header is not null && !context.Json)
            {
                context.Out.MarkupLine(header);
                header = null;
            }

            try
            {
                await FollowAsync(runId, interrupt.Token);
                break;
            }
            catch (OperationCanceledException) when (interrupt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                if (!await AskToCancelAsync(runId, cancellationToken))
                {
                    return ExitCodes.Success;
                }
            }
            finally
            {
                Console.CancelKeyPress -= OnCancelKeyPress;
            }
        }

        var run = await client.GetRunAsync(runId, cancellationToken);
        return PrintResult(run);
    }

    private async Task<bool> AskToCancelAsync(string runId, CancellationToken cancellationToken)
    {
        var cancel = !Console.IsInputRedirected && !context.Json
            && await context.Error.ConfirmAsync($"Cancel run {Markup.Escape(runId)}?", defaultValue: true, cancellationToken);
        if (!cancel)
        {
            context.Error.MarkupLine($"[grey]The run goes on. Watch it again with: agentry runs watch {Markup.Escape(runId)}[/]");
            return false;
        }

        try
        {
            await client.CancelRunAsync(runId, cancellationToken);
            context.Error.MarkupLine("[yellow]Cancelling…[/]");
        }
        catch (AgentryApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // It ended meanwhile; the stream shows how.
        }

        return true;
    }

    private async Task FollowAsync(string runId, CancellationToken cancellationToken)
    {
        if (!context.Interactive)
        {
            await foreach (var e in client.StreamEventsAsync(runId, _position, cancellationToken))
            {
                Apply(e, line => { if (!context.Json) { context.Out.MarkupLine(line); } });
            }

            return;
        }

        await context.Out.Status().Spinner(Spinner.Known.Dots).StartAsync("Waiting for a worker…", async status =>
        {
            await foreach (var e in client.StreamEventsAsync(runId, _position, cancellationToken))
            {
                Apply(e, context.Out.MarkupLine);
                status.Status(Markup.Escape(InProgress()) + "  [grey]" + Markup.Escape(UsageText()) + "[/]");
            }
        });
    }

    /// <summary>Records an event (a change replaces what is held for its seq) and prints it once it is finished.</summary>
    private void Apply(RunEvent e, Action<string> print)
    {
        _position = e.Position;
        _events[e.Seq] = e;
        if (e.FinishedAt is null || !_printed.Add(e.Seq))
        {
            return;
        }

        if (Describe(e) is { } line)
        {
            print(line);
        }
    }

    private string InProgress()
    {
        var running = _events.Values.Where(e => e.FinishedAt is null).OrderBy(e => e.Seq).LastOrDefault();
        return running is null
            ? "Working…"
            : running.Type == "tool_call" ? $"Calling {Text(running.Data, "name") ?? "a tool"}…" : $"{running.Type}…";
    }

    private (long Input, long Output, decimal Cost) Usage()
    {
        long input = 0, output = 0;
        decimal cost = 0;
        foreach (var e in _events.Values.Where(e => e.Type == "model_call"))
        {
            input += Number(e.Data, "inputTokens");
            output += Number(e.Data, "outputTokens");
            cost += e.Data.TryGetProperty("costUsd", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetDecimal() : 0;
        }

        return (input, output, cost);
    }

    private string UsageText()
    {
        var (input, output, cost) = Usage();
        return string.Create(CultureInfo.InvariantCulture, $"{input + output:N0} tokens · ${cost:0.0000}");
    }

    private static string? Describe(RunEvent e)
    {
        var data = e.Data;
        return e.Type switch
        {
            "status" => $"[grey]● {Markup.Escape(Text(data, "status") ?? "?")}[/]",
            "planning" => $"[bold]Plan[/] {Markup.Escape(Shorten(Text(data, "content")))}",
            "reasoning" or "narration" => $"[grey]{Markup.Escape(Shorten(Text(data, "content")))}[/]",
            "tool_call" when data.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null =>
                $"[red]✗[/] {Markup.Escape(Text(data, "name") ?? "tool")} {Markup.Escape(Shorten(error.ToString()))}",
            "tool_call" => $"[green]✓[/] {Markup.Escape(Text(data, "name") ?? "tool")} [grey]{Markup.Escape(Shorten(data.TryGetProperty("input", out var input) ? input.GetRawText() : ""))}[/]",
            "model_call" => string.Create(CultureInfo.InvariantCulture, $"[grey]model {Markup.Escape(Text(data, "model") ?? "")}: {Number(data, "inputTokens")}+{Number(data, "outputTokens")} tokens[/]"),
            "context_compression" => $"[grey]context compressed: {Number(data, "tokensBefore")} → {Number(data, "tokensAfter")} tokens[/]",
            "source" => $"[blue]source[/] {Markup.Escape(Text(data, "title") ?? "")} [grey]{Markup.Escape(Text(data, "url") ?? "")}[/]",
            "result" => "[green]result ready[/]",
            "error" => $"[red]error {Markup.Escape(Text(data, "code") ?? "")}:[/] {Markup.Escape(Text(data, "message") ?? "")}",
            _ => null,
        };
    }

    private int PrintResult(Run run)
    {
        if (context.Json)
        {
            context.WriteJson(run);
            return run.Status == RunStatus.Done ? ExitCodes.Success : ExitCodes.RunFailed;
        }

        var duration = run.CompletedAt is { } end && run.StartedAt is { } start ? $"{(end - start).TotalSeconds:0.0} s · " : "";
        var summary = string.Create(CultureInfo.InvariantCulture, $"{duration}{run.Usage.TotalTokens:N0} tokens · ${run.Usage.CostUsd:0.0000}");
        if (run.Status != RunStatus.Done)
        {
            context.Error.MarkupLine($"[red]Run {Markup.Escape(run.Id)} ended in error[/] [yellow]{Markup.Escape(run.Error?.Code ?? "")}[/]: {Markup.Escape(run.Error?.Message ?? "")}");
            context.Error.MarkupLine($"[grey]{Markup.Escape(summary)}[/]");
            return ExitCodes.RunFailed;
        }

        context.Out.WriteLine();
        if (run.Document is { } document)
        {
            if (context.Interactive)
            {
                MarkdownRenderer.Write(context.Out, document);
            }
            else
            {
                Console.Out.WriteLine(document);
            }
        }
        else if (run.ResultData is { } data)
        {
            Console.Out.WriteLine(CliContext.FormatJson(data));
        }

        context.Out.MarkupLine($"[green]done[/] [grey]{Markup.Escape(run.Id)} · {Markup.Escape(summary)}[/]");
        return ExitCodes.Success;
    }

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Number(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.TryGetInt64(out var number) ? number : 0;

    private static string Shorten(string? text)
    {
        var line = (text ?? "").ReplaceLineEndings(" ").Trim();
        return line.Length <= 160 ? line : line[..157] + "…";
    }
}
