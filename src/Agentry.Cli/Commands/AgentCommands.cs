using System.CommandLine;
using Agentry.Client;
using Spectre.Console;

namespace Agentry.Cli.Commands;

/// <summary><c>agentry agents …</c>: create, read, change, publish, compare and delete agents.</summary>
internal static class AgentCommands
{
    public static Command Create(GlobalOptions global)
    {
        var agents = new Command("agents", "Create, list, change, publish and delete agents.");
        agents.Subcommands.Add(List(global));
        agents.Subcommands.Add(Get(global));
        agents.Subcommands.Add(CreateAgent(global));
        agents.Subcommands.Add(Update(global));
        agents.Subcommands.Add(Publish(global));
        agents.Subcommands.Add(Revisions(global));
        agents.Subcommands.Add(Diff(global));
        agents.Subcommands.Add(Delete(global));
        return agents;
    }

    private static Argument<string> AgentId() => new("agent-id") { Description = "The agent's id (agt_…)" };

    private static Option<string> FileOption(string description) => new("--file", "-f") { Description = description, Required = true };

    private static Command List(GlobalOptions global)
    {
        var limit = new Option<int>("--limit") { Description = "How many agents to show (1–100)", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "List your agents, newest first.\n\nExample:\n  agentry agents list --json") { limit };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var page = await client.ListAgentsAsync(context.Parse.GetValue(limit), cancellationToken: cancellationToken);
            if (context.Json)
            {
                context.WriteJson(page.Items);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Id", "Name", "Model stack", "Result", "Published", "Updated");
            foreach (var a in page.Items)
            {
                table.AddRow(
                    Markup.Escape(a.Id),
                    Markup.Escape(a.Name),
                    Markup.Escape(a.ModelStackId),
                    a.ResultType == AgentResultType.Json ? "json" : "document",
                    a.IsPublished ? (a.HasChanges ? "[yellow]yes, with changes[/]" : "[green]yes[/]") : "no",
                    Tables.Time(a.UpdatedAt));
            }

            context.Out.Write(table);
            context.Out.MarkupLine($"[grey]{page.Items.Count} of {page.Total}[/]");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Get(GlobalOptions global)
    {
        var id = AgentId();
        var command = new Command("get", "Show an agent with the configuration of its latest revision.\n\nExample:\n  agentry agents get agt_123") { id };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var agent = await client.GetAgentAsync(context.Parse.GetValue(id)!, cancellationToken);
            WriteAgent(context, agent);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command CreateAgent(GlobalOptions global)
    {
        var file = FileOption("The agent as JSON (a POST /v1/agents body; - reads stdin)");
        var command = new Command(
            "create",
            """
            Create an agent from a JSON file; modelStackId, goalPrompt, inputSchema and resultType are required.

            Example:
              agentry agents create -f samples/agents/researcher.json
            """)
        {
            file,
        };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            var body = JsonFiles.ReadFile(context.Parse.GetValue(file)!);
            using var client = context.CreateClient();
            var agent = await client.CreateAgentFromJsonAsync(body, cancellationToken);
            WriteAgent(context, agent, "Created");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Update(GlobalOptions global)
    {
        var id = AgentId();
        var file = FileOption("The fields to change as JSON (a PATCH body; - reads stdin)");
        var command = new Command(
            "update",
            """
            Change an agent with the fields in a JSON file; a configuration change makes a new revision.

            Example:
              echo '{"goalPrompt": "Study {{topic}}."}' | agentry agents update agt_123 -f -
            """)
        {
            id,
            file,
        };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            var body = JsonFiles.ReadFile(context.Parse.GetValue(file)!);
            using var client = context.CreateClient();
            var agent = await client.UpdateAgentFromJsonAsync(context.Parse.GetValue(id)!, body, cancellationToken);
            WriteAgent(context, agent, "Updated");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Publish(GlobalOptions global)
    {
        var id = AgentId();
        var revision = new Option<string?>("--revision") { Description = "The revision to publish (the latest when absent)" };
        var command = new Command("publish", "Publish a revision; runs use it by default.\n\nExample:\n  agentry agents publish agt_123 --revision rev_456") { id, revision };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var agent = await client.PublishAgentAsync(context.Parse.GetValue(id)!, context.Parse.GetValue(revision), cancellationToken);
            WriteAgent(context, agent, $"Published {agent.PublishedRevisionId} of");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Revisions(GlobalOptions global)
    {
        var id = AgentId();
        var command = new Command("revisions", "List an agent's revisions, newest first.\n\nExample:\n  agentry agents revisions agt_123") { id };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var page = await client.ListRevisionsAsync(context.Parse.GetValue(id)!, limit: 100, cancellationToken: cancellationToken);
            if (context.Json)
            {
                context.WriteJson(page.Items);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Revision", "Created", "Published");
            foreach (var r in page.Items)
            {
                table.AddRow(Markup.Escape(r.Id), Tables.Time(r.CreatedAt), r.IsPublished ? "[green]yes[/]" : "");
            }

            context.Out.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Diff(GlobalOptions global)
    {
        var id = AgentId();
        var from = new Option<string?>("--from") { Description = "The revision to compare from (the server's default when absent)" };
        var to = new Option<string?>("--to") { Description = "The revision to compare to (the server's default when absent)" };
        var command = new Command("diff", "Show the configuration fields that differ between two revisions.\n\nExample:\n  agentry agents diff agt_123 --from rev_1 --to rev_2") { id, from, to };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var diff = await client.DiffRevisionsAsync(context.Parse.GetValue(id)!, context.Parse.GetValue(from), context.Parse.GetValue(to), cancellationToken);
            if (context.Json)
            {
                context.WriteJson(diff);
                return ExitCodes.Success;
            }

            context.Out.MarkupLine($"{Markup.Escape(diff.From)} → {Markup.Escape(diff.To)}");
            if (diff.Diff.Count == 0)
            {
                context.Out.MarkupLine("[grey]No configuration differences.[/]");
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Field", "From", "To");
            foreach (var (field, change) in diff.Diff)
            {
                table.AddRow(Markup.Escape(field), Markup.Escape(CliContext.FormatJson(change.From)), Markup.Escape(CliContext.FormatJson(change.To)));
            }

            context.Out.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Delete(GlobalOptions global)
    {
        var id = AgentId();
        var command = new Command("delete", "Delete an agent (its runs stay readable; new runs are refused).\n\nExample:\n  agentry agents delete agt_123") { id };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var agentId = context.Parse.GetValue(id)!;
            await client.DeleteAgentAsync(agentId, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(new { id = agentId, deleted = true });
            }
            else
            {
                context.Out.MarkupLine($"Deleted {Markup.Escape(agentId)}.");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static void WriteAgent(CliContext context, Agent agent, string? verb = null)
    {
        if (context.Json)
        {
            context.WriteJson(agent);
            return;
        }

        if (verb is not null)
        {
            context.Out.MarkupLine($"{Markup.Escape(verb)} agent [bold]{Markup.Escape(agent.Id)}[/].");
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Id", Markup.Escape(agent.Id));
        grid.AddRow("Name", Markup.Escape(agent.Name));
        grid.AddRow("Description", Markup.Escape(agent.Description ?? ""));
        grid.AddRow("Model stack", Markup.Escape(agent.ModelStackId));
        grid.AddRow("Goal prompt", Markup.Escape(agent.GoalPrompt));
        grid.AddRow("Input schema", Markup.Escape(CliContext.FormatJson(agent.InputSchema)));
        grid.AddRow("Result", agent.ResultType == AgentResultType.Json ? "json" : "document");
        grid.AddRow("Tools", Markup.Escape(string.Join(", ", agent.Tools.Select(t => t.Type ?? t.ServerId ?? t.Source))));
        grid.AddRow("Latest revision", Markup.Escape(agent.LatestRevisionId));
        grid.AddRow("Published", Markup.Escape(agent.PublishedRevisionId ?? "no"));
        context.Out.Write(grid);
    }
}
