using System.CommandLine;
using Spectre.Console;

namespace Agentry.Cli.Commands;

/// <summary><c>agentry model-stacks</c>: the server's model stacks and whether each is available.</summary>
internal static class ModelStackCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("model-stacks", "List the server's model stacks, whether each is available, and why not.\n\nExample:\n  agentry model-stacks");
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var stacks = await client.ListModelStacksAsync(limit: 100, cancellationToken: cancellationToken);
            if (context.Json)
            {
                context.WriteJson(stacks.Items);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Id", "Provider", "Model", "Available", "Reason");
            foreach (var s in stacks.Items)
            {
                table.AddRow(
                    Markup.Escape(s.Id),
                    Markup.Escape(s.Provider ?? ""),
                    Markup.Escape(s.Model ?? ""),
                    s.Available ? "[green]yes[/]" : "[red]no[/]",
                    Markup.Escape(s.AliasOf is { } alias ? $"alias of {alias}" : s.Reason ?? ""));
            }

            context.Out.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }
}
