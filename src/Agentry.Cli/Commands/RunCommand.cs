using System.CommandLine;
using System.Text.Json;
using Agentry.Client;
using Spectre.Console;

namespace Agentry.Cli.Commands;

/// <summary><c>agentry run</c>: starts a run with typed inputs and shows it live until it ends.</summary>
internal static class RunCommand
{
    public static Command Create(GlobalOptions global)
    {
        var agentId = new Argument<string>("agent-id") { Description = "The agent to run (agt_…)" };
        var pairs = new Argument<string[]>("inputs")
        {
            Description = "Inputs as name=value, typed by the agent's inputSchema (numbers, booleans, JSON arrays and objects are parsed)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var input = new Option<string?>("--input") { Description = "The whole input as a JSON object" };
        var inputFile = new Option<string?>("--input-file") { Description = "A file holding the input as a JSON object (- reads stdin)" };
        var revision = new Option<string?>("--revision") { Description = "The revision to run (else the published one, else the latest)" };
        var idempotencyKey = new Option<string?>("--idempotency-key") { Description = "Start the run only once for this key and input (24 h)" };
        var detach = new Option<bool>("--detach") { Description = "Start the run and print it without waiting for the end" };
        var command = new Command(
            "run",
            """
            Start a run of an agent and show it live until it ends.

            Shows its plan, tool calls, tokens and cost as they happen, then the result (Markdown rendered, JSON
            pretty-printed). Ctrl-C asks whether to cancel the run. Exit code 1 when the run ends in error.

            Examples:
              agentry run agt_123 topic="AI in healthcare" depth=3 tags='["a","b"]'
              agentry run agt_123 --input '{"topic": "AI in healthcare"}'
              agentry run agt_123 --input-file input.json --json
            """)
        {
            agentId,
            pairs,
            input,
            inputFile,
            revision,
            idempotencyKey,
            detach,
        };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            var parse = context.Parse;
            var id = parse.GetValue(agentId)!;
            var revisionId = parse.GetValue(revision);
            using var client = context.CreateClient();
            var body = await ReadInputAsync(client, id, revisionId, parse.GetValue(pairs) ?? [], parse.GetValue(input), parse.GetValue(inputFile), cancellationToken);
            var run = await client.StartRunAsync(id, body, new StartRunOptions { RevisionId = revisionId, IdempotencyKey = parse.GetValue(idempotencyKey) }, cancellationToken);
            if (parse.GetValue(detach))
            {
                if (context.Json)
                {
                    context.WriteJson(run);
                }
                else
                {
                    context.Out.MarkupLine($"Started [bold]{Markup.Escape(run.Id)}[/]. Watch it with: agentry runs watch {Markup.Escape(run.Id)}");
                }

                return ExitCodes.Success;
            }

            return await new RunWatcher(context, client).WatchAsync(run.Id, $"[grey]Run {Markup.Escape(run.Id)} of {Markup.Escape(id)}[/]", cancellationToken);
        }));
        return command;
    }

    private static async Task<JsonElement> ReadInputAsync(
        AgentryClient client, string agentId, string? revisionId, string[] pairs, string? input, string? inputFile, CancellationToken cancellationToken)
    {
        var sources = (pairs.Length > 0 ? 1 : 0) + (input is null ? 0 : 1) + (inputFile is null ? 0 : 1);
        if (sources > 1)
        {
            throw new CliUsageException("Give the input one way: name=value pairs, --input '{…}', or --input-file FILE.");
        }

        if (input is not null)
        {
            return JsonFiles.Parse(input, "--input");
        }

        if (inputFile is not null)
        {
            return JsonFiles.ReadFile(inputFile);
        }

        if (pairs.Length == 0)
        {
            return JsonFiles.Parse("{}", "input");
        }

        var schema = revisionId is null
            ? (await client.GetAgentAsync(agentId, cancellationToken)).InputSchema
            : (await client.GetRevisionAsync(agentId, revisionId, cancellationToken)).Config.InputSchema ?? default;
        return AgentryClient.ToJson(RunInputParser.Parse(pairs, schema));
    }
}
